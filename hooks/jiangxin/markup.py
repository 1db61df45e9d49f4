"""Markdown fields of records rendered to HTML that cannot carry script or foreign markup."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# Python-Markdown scans from every `[` to its `]` (and from `](` to its `)`), to the end of the
# paragraph when there is none: 20,000 `[` took minutes. Each render may scan this many characters
# for links in all; past it, brackets stay text. Ordinary text scans a few times its length.
LINK_SCAN_BUDGET = 1_000_000
LINK_PROCESSORS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
LINK_SCHEMES = {"http", "https", "mailto"}


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


class _NoRawHtml(Extension):
    """Show raw HTML as text instead of passing it through; bound the link scanning."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "jx_safe_links", 0)
        for name in LINK_PROCESSORS:
            processor = md.inlinePatterns[name]
            processor.getText = _bounded(processor.getText, _BUDGET)
            processor.getLink = _bounded(processor.getLink, _BUDGET)


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_NoRawHtml(), "sane_lists"], output_format="html")


@lru_cache(maxsize=65536)
def render(text: str) -> Markup:
    """Render a record's Markdown field to safe HTML.

    Cached by text: a story body shows on its page and in the feed, and `mkdocs serve`
    rebuilds in one process, so unchanged texts are not converted again.
    """
    md = _renderer()
    md.reset()
    _BUDGET.left = LINK_SCAN_BUDGET
    try:
        return Markup(md.convert(text))
    except RecursionError:
        # Python-Markdown's list parser recurses once per nesting level ("1. 1. 1. …" on one line); shown as text.
        # The interrupted converter keeps a half-built state that reset() does not clear, so a new one is made.
        _renderer.cache_clear()
        return Markup("<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>")
