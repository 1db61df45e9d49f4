"""The built-site gate: every finished page is parsed once more for what only the templates may emit."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from jiangxin.checks.bounds import browser_url
from jiangxin.problems import Problem

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data"})
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Elements that load from their URL as the page opens, and which attribute holds it.
LOADING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src"}


class _FinalCheck(HTMLParser):
    def __init__(self, hosts: frozenset[str], where: str, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.hosts, self.where, self.source = hosts, where, source
        self.found: list[Problem] = []

    def _found(self, code: str, message: str) -> None:
        self.found.append(Problem(self.where, 0, 0, self.source, message, code=code))

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if tag in ("base", "object", "embed"):
            self._found("built.refused-tag", f"第 {line} 行有 <{tag}> 标签")
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._found("built.refresh", f"第 {line} 行有自动跳转（<meta http-equiv=refresh>）")
        # Material's forms (search, palette) submit nowhere; only a form with a target can send data away.
        if tag == "form" and ({"action", "method", "target"} & values.keys()):
            self._found("built.form", f"第 {line} 行有提交到别处的表单（<form>）")
        for name, value in values.items():
            if name.startswith("on"):
                self._found("built.event-attribute", f"第 {line} 行 <{tag}> 带有事件属性 {name}")
            elif name in URL_ATTRIBUTES and browser_url(value).lower().startswith(DANGEROUS_SCHEMES):
                self._found(
                    "built.unsafe-url", f"第 {line} 行 <{tag}> 的 {name} 是不安全的地址（{browser_url(value)[:40]}）"
                )
        loads = LOADING.get(tag)
        if tag == "iframe" or (loads and loads in values and self._foreign(values[loads])):
            foreign = values.get(loads or "", "")[:60]
            self._found("built.foreign-content", f"第 {line} 行 <{tag}> 从别的网站加载内容（{foreign}）")

    def _foreign(self, value: str) -> bool:
        parts = urlsplit(browser_url(value).replace("\\", "/"))
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return True
        return bool(parts.netloc) and (parts.hostname or "").lower() not in self.hosts


def check_final_html(html: str, site_url: str | None, where: str = "", source: str = "") -> list[Problem]:
    """What a built page may not contain unless the templates put it there, in document order.

    `where`: the page (its URL) and `source`, the file an editor can change, as the problems name them.
    """
    hosts = frozenset({h.lower() for h in [urlsplit(site_url).hostname] if h} if site_url else set())
    parser = _FinalCheck(hosts, where, source)
    parser.feed(html)
    parser.close()
    return parser.found
