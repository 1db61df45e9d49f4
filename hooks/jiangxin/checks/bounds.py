"""Bounds on Markdown that would render slowly or not at all, and which link targets are safe."""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from jiangxin.problems import Problem

# Python-Markdown scans from every `[` to its `]` (and from `](` to its `)`), to the end of the
# paragraph when there is none: 20,000 `[` took minutes. Each render may scan this many characters
# for links in all; past it, brackets stay text. Ordinary text scans a few times its length.
LINK_SCAN_BUDGET = 1_000_000
LINK_PROCESSORS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
LINK_SCHEMES = {"http", "https", "mailto"}

# Python-Markdown's block parser (blockprocessors.py) takes a paragraph apart one line at a time
# at each heading, rule, setext underline, quote or link definition in it, and each time
# HashHeaderProcessor, HRProcessor, BlockQuoteProcessor and ReferenceProcessor search the whole
# rest of the paragraph again: such lines cost their number × the paragraph's length (a
# 20,000-character field of `a\n=\n` took seconds). Their number per paragraph is bounded instead.
MAX_MARKER_LINES = 50
# Each level of a list or quote is a recursive call (about 500 levels reach Python's limit).
MAX_NESTING = 20
# Any line that could start one of those blocks, counted generously: after spaces, `#`, `>` or `[`,
# or only `-`, `=`, `*`, `_` and spaces (rules and setext underlines).
_MARKER_LINE = re.compile(r"[ \t]*(?:[#>\[]|[-=*_][-=*_ \t]*$)")
_BLANK_LINE = re.compile(r"[ \t]*")
# One level of nesting at the start of a line: a quote, or a list marker followed by a space.
_CONTAINER = re.compile(r"( *)(?:>|(?:[*+-]|[0-9]+\.)(?= ))")


def browser_url(value: str) -> str:
    """The URL a browser follows for an attribute value: entities decoded (Markdown keeps
    `&#47;` and `&colon;` as written), tabs and newlines dropped, edge controls and spaces trimmed."""
    value = html.unescape(value.replace(util.AMP_SUBSTITUTE, "&"))
    value = re.sub(r"[\t\n\r]", "", value)
    return re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", value)


def safe_url(value: str, *, image: bool = False) -> bool:
    """Links may go to http, https, mailto or this site; images only to this site.

    A URL without a scheme stays on this site unless it is protocol-relative
    (`//host`); browsers read a backslash as a slash, so `/\\host` is one too.
    """
    url = browser_url(value)
    scheme = SCHEME.match(url)
    if scheme:
        return not image and scheme.group(1).lower() in LINK_SCHEMES
    return "\\" not in url and not url.startswith("//")


class _SafeLinks(Treeprocessor):
    """Drop link targets that are not http(s), mailto or this site, and images not from this site."""

    def run(self, root):
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not safe_url(value, image=attr == "src"):
                    del el.attrib[attr]
            for attr in [a for a in el.attrib if a.lower().startswith("on")]:
                del el.attrib[attr]
            if el.tag == "a" and browser_url(el.get("href", "")).lower().startswith(("http:", "https:")):
                el.set("rel", "noopener")


class _Budget:
    """Characters the link processors may still scan in the current render (one render at a time)."""

    left = LINK_SCAN_BUDGET


_BUDGET = _Budget()


def _bounded(scan, budget: _Budget):
    """`getText` or `getLink` of a link processor, charged to the render's budget.

    Both return (…, end index, handled); one that fails may have scanned to the end of `data`.
    """

    def bounded(data: str, index: int):
        if budget.left <= 0:
            return (*(("", None) if scan.__name__ == "getLink" else ("",)), index, False)
        result = scan(data, index)
        end, handled = result[-2], result[-1]
        budget.left -= (end if handled else len(data)) - index
        return result

    return bounded


class RecordSafety(Extension):
    """For records' Markdown: raw HTML shown as text, only safe link targets, link scanning bounded.

    The scanning budget is shared by every converter with this extension: `refill` before each render.
    """

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "jx_safe_links", 0)
        _bound_links(md, _BUDGET)


def _bound_links(md: markdown.Markdown, budget: _Budget) -> None:
    for name in LINK_PROCESSORS:
        processor: Any = md.inlinePatterns[name]  # a LinkInlineProcessor; its methods are replaced
        processor.getText = _bounded(processor.getText, budget)
        processor.getLink = _bounded(processor.getLink, budget)


class _RefillBudget(Preprocessor):
    """Gives each conversion its own budget (MkDocs makes a Markdown instance per page; others may reuse one)."""

    def __init__(self, md: markdown.Markdown, budget: _Budget) -> None:
        super().__init__(md)
        self.budget = budget

    def run(self, lines: list[str]) -> list[str]:
        self.budget.left = LINK_SCAN_BUDGET
        return lines


def refill() -> None:
    """A new render under `RecordSafety` may scan `LINK_SCAN_BUDGET` characters again."""
    _BUDGET.left = LINK_SCAN_BUDGET


class BoundedLinks(Extension):
    """The link scanning of any Markdown instance (MkDocs' of hand-written pages) bounded as `render`'s is.

    Register it after the extensions that add or replace link processors (none of MkDocs' or this site's do).
    """

    def extendMarkdown(self, md):
        budget = _Budget()
        # Preprocessors run once per convert, before any inline pattern.
        md.preprocessors.register(_RefillBudget(md, budget), "jx_link_budget", 100)
        _bound_links(md, budget)


def check(text: str, rel: str = "", *, fenced: bool = False) -> list[Problem]:
    """Shapes of Markdown that would make rendering slow or fail, at their line in `text` (of the file `rel`):
    the first paragraph with too many block markers and the first line nested too deep.

    `fenced`: the text is rendered with fenced_code (hand-written pages; records are not), whose
    ``` and ~~~ blocks are taken out before the block parser sees them, so their lines do not count.
    """
    found: list[Problem] = []
    start, markers, crowded, deep = 1, 0, False, False
    # Python-Markdown reads \r and \r\n as line ends and tabs as 4 spaces (NormalizeWhitespace).
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    code = fenced_lines(text.expandtabs(4)) if fenced else frozenset()
    for number, line in enumerate(text.split("\n"), 1):
        # A fenced block becomes a placeholder paragraph of its own: it ends the paragraph as a blank line does.
        if number in code or _BLANK_LINE.fullmatch(line):
            start, markers = number + 1, 0
            continue
        line = line.expandtabs(4)
        if not crowded and _MARKER_LINE.match(line):
            markers += 1
            if markers > MAX_MARKER_LINES:
                crowded = True
                found.append(Problem(rel, start, 0, "", _too_many_markers(start), code="markdown.too-many-markers"))
        if not deep and (depth := _nesting(line)) > MAX_NESTING:
            deep = True
            found.append(Problem(rel, number, 0, "", _too_deep(number, depth), code="markdown.too-deep"))
    return found


def fenced_lines(text: str) -> frozenset[int]:
    """Line numbers of the fenced code blocks, as FencedBlockPreprocessor.run finds them (the same
    expression, searched from the end of each block, a fence with unbalanced {attributes} skipped)."""
    text = re.sub(r"(?<=\n) +\n", "\n", text)  # NormalizeWhitespace: lines of spaces are blank
    lines: set[int] = set()
    index = 0
    while m := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(text, index):
        if m.group("attrs") and get_attrs_and_remainder(m.group("attrs"))[1]:
            index = m.end("attrs")
            continue
        first = text.count("\n", 0, m.start()) + 1
        lines.update(range(first, first + text.count("\n", m.start(), m.end()) + 1))
        index = m.end()
    return frozenset(lines)


def _nesting(line: str) -> int:
    """Lists and quotes opened at the start of a line; 4 spaces before one of them count as one more."""
    depth, pos = 0, 0
    while m := _CONTAINER.match(line, pos):
        depth += 1 + len(m.group(1)) // 4
        pos = m.end()
    return depth


def _too_many_markers(start: int) -> str:
    return (
        f"从第 {start} 行起的一段（空行之间）里，以 #、>、[ 开头或只由 -、=、*、_ 组成的行"
        f"（标题、引用、分隔线、链接定义）超过 {MAX_MARKER_LINES} 行，生成网页会非常慢；"
        "请在这些行之间加空行分段，或删去多余的符号。"
    )


def _too_deep(number: int, depth: int) -> str:
    return (
        f"第 {number} 行的列表或引用嵌套了 {depth} 层（每个行首的“- ”“* ”“+ ”“1. ”“>”算一层，"
        f"其前每 4 个空格也算一层），最多 {MAX_NESTING} 层；请减少层数，"
        "或在不是列表的“1.”“-”前加“\\”（如“1\\.”），让它按普通文字显示。"
    )
