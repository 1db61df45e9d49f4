"""Parts of a built or rendered page, found by the ids the templates give them."""

from __future__ import annotations


def section(html: str, anchor: str) -> str:
    """The `<section>` whose heading has this id."""
    start = html.index(f'id="{anchor}"')
    return html[html.rindex("<section", 0, start) : html.index("</section>", start)]


def between(html: str, start: str, end: str) -> str:
    """The HTML from the element with id `start` to the one with id `end` (or the end)."""
    begin = html.index(f'id="{start}"')
    stop = html.find(f'id="{end}"', begin)
    return html[begin : stop if stop != -1 else None]
