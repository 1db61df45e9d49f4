"""Markdown fields of records rendered to HTML that cannot carry script or foreign markup."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_URL = re.compile(r"^(https?://|mailto:|/|\.{0,2}/|#|[a-z0-9][a-z0-9/_.-]*/?(#[a-z0-9_-]*)?$)", re.IGNORECASE)


class _SafeLinks(Treeprocessor):
    """Drop links and images whose target is not http(s), mailto or a page of this site."""

    def run(self, root):
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not SAFE_URL.match(value.strip()):
                    del el.attrib[attr]
            for attr in [a for a in el.attrib if a.lower().startswith("on")]:
                del el.attrib[attr]
            if el.tag == "a" and el.get("href", "").startswith(("http://", "https://")):
                el.set("rel", "noopener")


class _NoRawHtml(Extension):
    """Show raw HTML as text instead of passing it through."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "jx_safe_links", 0)


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_NoRawHtml(), "sane_lists"], output_format="html")


def render(text: str) -> Markup:
    """Render a record's Markdown field to safe HTML."""
    md = _renderer()
    md.reset()
    return Markup(md.convert(text))
