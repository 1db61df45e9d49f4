"""Everything the build generates from the model, gathered in one place for the hook.

Each section of the site lives in its own module with pure builders of one
signature, `builder(ctx: BuildContext)`; this module only lists them, in a stable order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from jiangxin.problems import Problem
from jiangxin.site import admin, dashboard, directory, exports, feeds, namesindex, pillars, posters, profiles
from jiangxin.site.context import BuildContext
from jiangxin.site.rendering import Asset, Page

PAGE_BUILDERS: tuple[Callable[[BuildContext], list[Page]], ...] = (
    directory.index_pages,
    profiles.profile_pages,
    pillars.pillar_pages,
    pillars.people_pages,
    directory.facet_pages,
    exports.data_pages,
)
ASSET_BUILDERS: tuple[Callable[[BuildContext], list[Asset]], ...] = (
    exports.data_exports,
    feeds.feed_assets,
    posters.poster_assets,
    admin.admin_assets,
    namesindex.names_assets,
)
MARKER = re.compile(r"<!--\s*jx:([a-z-]+)\s*-->")
HOME_BUILDERS: tuple[Callable[[BuildContext], dict[str, str]], ...] = (profiles.home_blocks, dashboard.home_blocks)


def all_pages(ctx: BuildContext) -> list[Page]:
    """Every generated page of the site."""
    return [page for build in PAGE_BUILDERS for page in build(ctx)]


def all_assets(ctx: BuildContext) -> list[Asset]:
    """Every generated non-page file (open data, feeds, QR codes, calendars, posters)."""
    return [asset for build in ASSET_BUILDERS for asset in build(ctx)]


def home_blocks(ctx: BuildContext) -> dict[str, str]:
    """HTML blocks for the `<!-- jx:NAME -->` markers of the home page."""
    blocks: dict[str, str] = {}
    for build in HOME_BUILDERS:
        blocks.update(build(ctx))
    return blocks


def fill_markers(markdown: str, source: str, blocks: Mapping[str, str], rel: str = "") -> tuple[str, list[Problem]]:
    """The home page with its markers replaced by `blocks`, and a problem for each unknown marker of `source`
    (the page `rel`)."""
    unknown = [
        Problem(
            rel,
            source.count("\n", 0, m.start()) + 1,
            0,
            "",
            f"未知的标记 {m.group(0)}，可用的有：{'、'.join(blocks)}。",
            code="page.unknown-marker",
        )
        for m in MARKER.finditer(source)
        if m.group(1) not in blocks
    ]
    return MARKER.sub(lambda m: "\n\n" + blocks.get(m.group(1), "") + "\n\n", markdown), unknown
