"""The pages gate: a hand-written page's text and the HTML MkDocs renders from it.

The text may hold no invisible characters, broken front matter or Markdown shapes that
render slowly; the HTML must come through an HTML sanitizer (ammonia, via nh3) unchanged,
or the build is refused (`check_page_html`).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser

import nh3
import yaml

from jiangxin.checks import bounds
from jiangxin.checks.bounds import browser_url, safe_url
from jiangxin.checks.validate import invisible_message
from jiangxin.checks.yamlsource import per_line
from jiangxin.problems import Problem
from jiangxin.text import CONTROL, INVISIBLE

# What the schemas refuse in a record's free text (jiangxin.text: CONTROL, INVISIBLE): tab and line feed aside.
REFUSED_TEXT = re.compile(f"{CONTROL.pattern}|{INVISIBLE.pattern}")


def check_invisible(text: str, rel: str) -> list[Problem]:
    """Control, bidi and other invisible characters in a hand-written page, one problem per line
    (the first ten lines): published, they make the page read otherwise than it says."""

    def message(line: str, match: re.Match[str]) -> tuple[str, str]:
        char = match.group()
        if CONTROL.match(char):
            kind = "特殊的换行符" if char in "\u2028\u2029" else "看不见的控制字符"
            return (
                "page.control-character",
                f"含有{kind}（U+{ord(char):04X}，多半是从别处复制来的），请删去这段文字后重新输入。",
            )
        return "page.invisible-character", invisible_message(line[: match.end()])

    return per_line(text, REFUSED_TEXT, rel, message)


# mkdocs.utils.meta.YAML_RE: when its block does not parse as a mapping, MkDocs silently
# publishes the front matter as Markdown text.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def check_front_matter(text: str, rel: str) -> list[Problem]:
    """The front matter of a hand-written page must read as `key: value` lines; its `title` holds no markup."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if match is None:
        if re.match(r"-{3}[ \t]*\n", text):
            return [
                Problem(
                    rel,
                    1,
                    1,
                    "",
                    "页面开头的“---”没有配对的结束行：请在页面信息（title 等）之后另起一行写“---”。",
                    code="page.front-matter-unclosed",
                )
            ]
        return []
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else 0
        return [
            Problem(
                rel,
                line,
                column,
                "",
                f"页面开头“---”之间的页面信息格式错误（{err.problem}），请检查这一行的冒号、缩进和引号。",
                code="page.front-matter-syntax",
            )
        ]
    except yaml.YAMLError as err:
        unreadable = f"页面开头“---”之间的页面信息无法读取（{err}），请检查冒号、缩进和引号。"
        return [Problem(rel, 2, 0, "", unreadable, code="page.front-matter-syntax")]
    if not isinstance(data, dict):
        not_mapping = "页面开头“---”之间应是“字段: 值”形式的页面信息（如 title: 标题）。"
        return [Problem(rel, 2, 1, "", not_mapping, code="page.front-matter-not-a-mapping")]
    title = data.get("title")
    if isinstance(title, str) and angle_brackets(title):
        lines = match.group(1).split("\n")
        number = next((n for n, line in enumerate(lines, 2) if re.match(r"title\s*:", line)), 2)
        return [Problem(rel, number, 1, "title", TITLE_BRACKETS, code="page.title-markup")]
    return []


def check_markdown(text: str, rel: str) -> list[Problem]:
    """The shapes that make Python-Markdown slow or fail (`bounds.check`, as for records), with the
    page's line numbers: the front matter MkDocs takes off is kept as blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if match:
        text = "\n" * match.group().count("\n") + text[match.end() :]
    return bounds.check(text, rel, fenced=True)


# Material writes a page's title into <title>, the header, the navigation and the search index
# through `striptags`, which turns `&lt;` back into `<`: a title may hold no angle bracket, typed
# or encoded (the body's own HTML is sanitized below; titles never pass through that).
TITLE_BRACKETS = (
    "标题里不能有尖括号“<”“>”（也不能写成 &lt; &gt; 等）：标题会放进网页的标题栏、导航和搜索结果，"
    "尖括号会被当作网页代码。请改用书名号《》或全角的＜＞。"
)
_TAG = re.compile(r"<[^<>]*>")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")


def angle_brackets(title: str, *, tags: bool = False) -> bool:
    """Whether a title shows `<` or `>` once entities are decoded; with `tags`, complete tags
    (which the sanitizer checks and `striptags` removes) do not count."""
    return bool(re.search("[<>]", html.unescape(_TAG.sub("", title) if tags else title)))


def check_titles(text: str, rel: str) -> list[Problem]:
    """Every heading of a page (the first one is its title; the front matter's `title` is
    `check_front_matter`'s)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    problems = []
    match = FRONT_MATTER.match(text)
    body_start = match.group().count("\n") if match else 0
    body = "\n" * body_start + "\n".join(lines[body_start:])
    fenced = bounds.fenced_lines(body.expandtabs(4))
    for number, line in enumerate(lines[body_start:], body_start + 1):
        if number in fenced:
            continue
        atx = _ATX.match(line)
        following = lines[number] if number < len(lines) else ""
        heading = (atx.group(1) or "") if atx else line if line.strip() and _SETEXT.match(following) else None
        if heading is not None and number + 1 not in fenced and angle_brackets(heading, tags=True):
            problems.append(Problem(rel, number, 1, "标题", TITLE_BRACKETS, code="page.title-markup"))
    return problems


# ---------------------------------------------------------------- the rendered HTML

# What the Markdown of hand-written pages renders to (MkDocs' toc, tables and fenced code,
# plus attr_list and md_in_html from mkdocs.yml), and a few plain text elements.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
})  # fmt: skip

ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    # Markdown tables align columns with style="text-align: …" (filtered to that property).
    "th": frozenset({"scope", "colspan", "rowspan", "style"}),
    "td": frozenset({"colspan", "rowspan", "style"}),
    "details": frozenset({"open"}),
}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return value if safe_url(value, image=attribute == "src") else None
    # Material's own controls have ids like __search and __drawer; a page must not redefine them.
    if attribute == "id" and value.startswith("__"):
        return None
    # Material's components are found and styled by md-* classes: a page's <div class="md-dialog
    # md-dialog--active"> would show as the theme's own notice, links and all. Buttons are content.
    if attribute == "class" and _theme_class(value):
        return None
    return value


THEME_CLASSES_ALLOWED = frozenset({"md-button", "md-button--primary"})


def _theme_class(value: str) -> str | None:
    """The first class of `value` that belongs to the theme's components, if any."""
    return next((c for c in value.split() if c.startswith("md-") and c not in THEME_CLASSES_ALLOWED), None)


# Comments are kept: editors write them and they are inert; link_rel off: it would add
# rel to every link and so change every page.
CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=False,
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
    url_relative="pass_through",
    filter_style_properties={"text-align"},
)


class _Events(HTMLParser):
    """What an HTML text means, for comparing two serialisations: start tags with their
    attributes (entity-decoded), text and comments. End tags carry nothing a sanitizer
    removes, and ammonia writes `<br>` where Markdown wrote `<br />`."""

    def __init__(self, source: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.events: list[tuple] = []

    def _add(self, event: tuple) -> None:
        if event[0] == "text" and self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + event[1])
        else:
            self.events.append(event)

    def handle_starttag(self, tag, attrs):
        if tag != "tbody":  # html5ever adds the tbody that raw HTML tables may omit
            self._add(("tag", tag, tuple(sorted((k, _normal(k, v or "")) for k, v in attrs))))

    def handle_data(self, data):
        # Browsers (and html5ever) drop the newline that starts a <pre>; ammonia does not write it back.
        if self.source and data.startswith("\n") and self.events and self.events[-1][:2] == ("tag", "pre"):
            data = data[1:]
        if data:
            self._add(("text", data))

    def handle_comment(self, data):
        self._add(("comment", data))

    def handle_decl(self, decl):
        self._add(("decl", decl))

    def handle_pi(self, data):
        self._add(("pi", data))

    def unknown_decl(self, data):
        self._add(("decl", data))


def _normal(name: str, value: str) -> str:
    # ammonia writes a filtered style as "text-align:left", Markdown as "text-align: left;".
    return re.sub(r"\s+", "", value).rstrip(";") if name == "style" else value


def _events(html: str, *, source: bool) -> list[tuple]:
    parser = _Events(source)
    parser.feed(html)
    parser.close()
    return parser.events


def check_page_html(html: str, source: str, rel: str) -> list[Problem]:
    """Problems of a hand-written page's rendered HTML: whatever the sanitizer would change.

    The page is published as MkDocs rendered it only when the sanitized HTML means the same
    (same elements, attributes, text and comments); `source` (the Markdown file) locates the cause.
    """
    before = _events(html, source=True)
    after = _events(CLEANER.clean(html), source=False)
    if before == after:
        return []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    # Events come in document order: each is looked for after the one before (two javascript: links, two lines).
    cursor = [0]
    tags, others = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        kept = {e[1]: e for e in after[j1:j2] if e[0] == "tag"}
        for event in before[i1:i2]:
            if event[0] == "tag":
                tags.append(_explain(event, kept.get(event[1]), source, rel, cursor))
            else:
                others.append(_explain(event, None, source, rel, cursor))
    # A removed element also joins the texts around it: report the element, not the texts.
    unique = list(dict.fromkeys(tags or others))
    return unique or [
        Problem.file(rel, "page.malformed-html", "页面的 HTML 写法不规范，网站无法原样发布。请改用普通 Markdown 写法。")
    ]


def _explain(event: tuple, kept: tuple | None, source: str, rel: str, cursor: list[int]) -> Problem:
    kind = event[0]
    if kind == "tag" and event[1] not in TAGS:
        line, col = _locate(source, [rf"<\s*{re.escape(event[1])}\b"], cursor)
        return Problem(
            rel,
            line,
            col,
            "",
            f"页面里不能用 <{event[1]}> 标签（可能带有脚本或改变整个网站），请删去，改用普通 Markdown 写法。",
            code="page.refused-tag",
        )
    if kind == "tag":
        tag, attrs = event[1], dict(event[2])
        left = dict(kept[2]) if kept else {}
        for name, value in attrs.items():
            if left.get(name) == value:
                continue
            # By the value too (Markdown writes no `src=`), unless it is too short to tell apart.
            by_name = rf"\b{re.escape(name)}\s*=" if value else rf"\b{re.escape(name)}\b"
            patterns = [re.escape(value), by_name] if len(value) >= 4 else [by_name]
            line, col = _locate(source, patterns, cursor)
            if name in ("href", "src"):
                shown = browser_url(value)[:60]
                code, what = (
                    ("page.unsafe-image", "图片只能用本站的文件")
                    if name == "src"
                    else ("page.unsafe-link", "链接只能指向 http、https、mailto 网址或本站页面")
                )
                return Problem(rel, line, col, "", f"<{tag}> 的地址“{shown}”不安全：{what}，请改正。", code=code)
            if name == "id" and value.startswith("__"):
                theirs = f"编号“{value}”是网站自身使用的，页面里不能用，请换一个。"
                return Problem(rel, line, col, "", theirs, code="page.theme-id")
            if name == "class" and (theme := _theme_class(value)):
                theirs = (
                    f"类名“{theme}”是网站主题自身使用的（会显示成主题的提示框、页头等），页面里不能用，请删去或换一个。"
                )
                return Problem(rel, line, col, "", theirs, code="page.theme-class")
            if name.startswith("on"):
                script = f"页面里不能有脚本或事件属性（<{tag}> 的 {name}），请删去。"
                return Problem(rel, line, col, "", script, code="page.event-attribute")
            return Problem(
                rel, line, col, "", f"<{tag}> 标签不能带 {name} 属性（可能带有脚本或改变页面行为），请删去。",
                code="page.refused-attribute",
            )  # fmt: skip
    if kind == "comment":
        line, col = _locate(source, [r"<!--"], cursor)
        comment = "这里的 HTML 注释写法不规范，请写成 <!-- 注释 --> 的形式。"
        return Problem(rel, line, col, "", comment, code="page.malformed-comment")
    text = str(event[-1]).strip()[:30]
    line, col = _locate(source, [re.escape(text)] if text else [], cursor)
    return Problem(
        rel,
        line,
        col,
        "",
        f"这里的 HTML 写法不规范或含有不允许的内容（“{text}”），网站无法原样发布。请改用普通 Markdown 写法。",
        code="page.malformed-html",
    )


def _locate(source: str, patterns: list[str], cursor: list[int] | None = None) -> tuple[int, int]:
    """Line and column (1-based) of the earliest match of the patterns in the page's source, or (0, 0).

    Looked for from `cursor[0]` on (then from the start), and the cursor moved past the match.
    """
    for begin in dict.fromkeys([cursor[0] if cursor else 0, 0]):
        found = [m.start() for m in (re.compile(p, re.IGNORECASE).search(source, begin) for p in patterns) if m]
        if found:
            start = min(found)
            if cursor is not None:
                cursor[0] = start + 1
            line_start = source.rfind("\n", 0, start) + 1
            return source.count("\n", 0, start) + 1, start - line_start + 1
    return 0, 0


def without_blocks(html: str, blocks: Mapping[str, str]) -> str:
    """A hand-written page's HTML with the generated blocks of its markers taken out again.

    Markdown passes a raw HTML block through verbatim, without its surrounding newlines; a
    block it changed stays in and is sanitized with the page (and so refuses the build).
    """
    for name, block in blocks.items():
        html = html.replace(block.strip("\n"), f"<!-- jx:{name} -->")
    return html
