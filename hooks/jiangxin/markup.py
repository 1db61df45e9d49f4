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


class _NoRawHtml(Extension):
    """Show raw HTML as text instead of passing it through."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "jx_safe_links", 0)


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
    return Markup(md.convert(text))
