"""The built-site gate: every finished page is parsed once more for what only the templates may emit.

Inline scripts are allowed by what the theme's templates can write, not by what the pages hold:
each `<script>` in a template (Material's, MkDocs', ours) becomes a pattern of its literal text
with a slot where Jinja fills in a value, and a page's inline script must be one of them. A
script that arrived through a title or a record matches none and stops the build and the
publish; it never reaches the Content-Security-Policy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from jiangxin.checks.bounds import browser_url
from jiangxin.problems import Problem

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data"})
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Elements that load from their URL as the page opens, and which attribute holds it.
LOADING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src"}
# Script types the browser runs (an empty type is JavaScript); JSON data blocks are not scripts.
SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "importmap"})
_TEMPLATE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
# What a `{{ … }}` inside a template's script may become: a path, a name, a number. No quote,
# bracket, backslash or line break, so a value cannot leave its JavaScript string.
_SLOT = r"[^\"'`<>\\\n]*"
# A `{{ … | tojson }}`: one JSON value. Its strings hold no quote or backslash, its objects and lists no
# call, assignment, statement end or template string, so the value cannot become code.
_JSON_SLOT = r"""(?:"[^"\\<>\n]*"|-?[0-9][0-9.eE+-]*|true|false|null|[{\[][^;()=`<>\\\n]*[}\]])"""


def theme_scripts(dirs: Iterable[Path]) -> tuple[re.Pattern[str], ...]:
    """Every inline script the templates in `dirs` can write, as a pattern (read again when one changed)."""
    templates = tuple(path for folder in dirs for path in sorted(folder.rglob("*.html")))
    return _patterns(tuple((path, path.stat().st_mtime_ns) for path in templates))


@functools.lru_cache(maxsize=4)
def _patterns(templates: tuple[tuple[Path, int], ...]) -> tuple[re.Pattern[str], ...]:
    found: dict[str, re.Pattern[str]] = {}
    for path, _ in templates:
        for match in _TEMPLATE_SCRIPT.finditer(path.read_text(encoding="utf-8", errors="replace")):
            attrs, body = match.groups()
            if re.search(r"\bsrc\s*=", attrs) or _type(attrs) not in SCRIPT_TYPES:
                continue
            # A block tag ({% if %}) would make parts optional: such a script is not allowed at all.
            if "{%" in body:
                continue
            slots = [_JSON_SLOT if "tojson" in expression else _SLOT for expression in _JINJA.findall(body)]
            parts = [re.escape(part) for part in _JINJA.split(body)]
            pattern = "".join(part + slot for part, slot in zip(parts, [*slots, ""], strict=True))
            found.setdefault(pattern, re.compile(pattern, re.DOTALL))
    return tuple(found.values())


def _type(attrs: str) -> str:
    match = re.search(r"""\btype\s*=\s*["']?([^"'\s>]*)""", attrs, re.IGNORECASE)
    return match.group(1).strip().lower() if match else ""


def unknown_script(script: str, allowed: Sequence[re.Pattern[str]]) -> bool:
    """Whether an inline script is none of the templates' (compare `inline_scripts` of a page)."""
    return not any(pattern.fullmatch(script) for pattern in allowed)


class _Scripts(HTMLParser):
    """The text of every inline script a browser would run, as it is hashed for the CSP."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._open: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            values = dict(attrs)
            runs = (values.get("type") or "").strip().lower() in SCRIPT_TYPES
            self._open = [] if runs and values.get("src") is None else None
            self._line = self.getpos()[0]

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.found.append((self._line, "".join(self._open)))
            self._open = None


def inline_scripts(page_html: str) -> list[tuple[int, str]]:
    """The inline scripts of one page with their lines, exactly as the browser hashes them."""
    parser = _Scripts()
    parser.feed(page_html)
    parser.close()
    return parser.found


def unknown_scripts(
    page_html: str, allowed: Sequence[re.Pattern[str]], where: str = "", source: str = ""
) -> list[Problem]:
    """The page's inline scripts that no template writes, named like `check_final_html`'s problems."""
    return [
        Problem(
            where,
            0,
            0,
            source,
            f"第 {line} 行有模板之外的脚本（<script>{' '.join(script.split())[:40]}）",
            code="built.unknown-script",
        )
        for line, script in inline_scripts(page_html)
        if unknown_script(script, allowed)
    ]


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


def check_final_html(
    html: str, site_url: str | None, where: str = "", source: str = "", scripts: Iterable[re.Pattern[str]] | None = None
) -> list[Problem]:
    """What a built page may not contain unless the templates put it there, in document order.

    `where`: the page (its URL) and `source`, the file an editor can change, as the problems name them.
    `scripts`: the templates' inline scripts (`theme_scripts`); None leaves inline scripts unchecked.
    """
    hosts = frozenset({h.lower() for h in [urlsplit(site_url).hostname] if h} if site_url else set())
    parser = _FinalCheck(hosts, where, source)
    parser.feed(html)
    parser.close()
    if scripts is not None:
        return parser.found + unknown_scripts(html, tuple(scripts), where, source)
    return parser.found
