"""Markdown fields of records rendered to HTML that cannot carry script or foreign markup."""

from __future__ import annotations

import html
from functools import lru_cache

import markdown
from markupsafe import Markup

from jiangxin.checks import bounds


@lru_cache(maxsize=1)
def _renderer() -> markdown.Markdown:
    return markdown.Markdown(extensions=[bounds.RecordSafety(), "sane_lists"], output_format="html")


@lru_cache(maxsize=65536)
def render(text: str) -> Markup:
    """Render a record's Markdown field to safe HTML.

    Cached by text: a story body shows on its page and in the feed, and `mkdocs serve`
    rebuilds in one process, so unchanged texts are not converted again.
    """
    md = _renderer()
    md.reset()
    bounds.refill()
    try:
        return Markup(md.convert(text))
    except RecursionError:
        # Python-Markdown's list parser recurses once per nesting level ("1. 1. 1. …" on one line); records
        # past MAX_NESTING are refused by `check`, other callers get the text.
        # The interrupted converter keeps a half-built state that reset() does not clear, so a new one is made.
        _renderer.cache_clear()
        return Markup("<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>")
