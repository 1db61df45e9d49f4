"""Everything the build generates from the model, gathered in one place for the hook.

Each section of the site lives in its own module with pure builders; this
module only lists them, in a stable order.
"""

from __future__ import annotations

import jinja2

from . import dashboard, directory, exports, pages, pillars
from .model import Site
from .pages import Asset, Page

# Builders: pages(env, site) -> list[Page]; URL_PAGE_BUILDERS also get the site's address;
# assets(env, site, site_url) -> list[Asset]; home blocks(env, site) -> {marker: html}.
PAGE_BUILDERS = [pages.core_pages, pillars.pillar_pages, pillars.people_pages, directory.facet_pages]
URL_PAGE_BUILDERS = [exports.data_pages]
ASSET_BUILDERS: list = [exports.all_exports]
HOME_BUILDERS = [pages.home_blocks, dashboard.home_blocks]

# State of one `mkdocs serve` session, kept here because MkDocs re-executes the hook file
# on every rebuild while this module stays imported: whether we are serving, the running
# indexer, the pages of the last finished build and the templates' stamp they were built
# under, parsed records by file.
SESSION: dict = {"serve": False, "indexer": None, "last_built": {}, "parsed": {}, "theme": None}


def all_pages(env: jinja2.Environment, site: Site, site_url: str | None = None) -> list[Page]:
    """Every generated page of the site."""
    found = [page for build in PAGE_BUILDERS for page in build(env, site)]
    return found + [page for build in URL_PAGE_BUILDERS for page in build(env, site, site_url)]


def all_assets(env: jinja2.Environment, site: Site, site_url: str | None) -> list[Asset]:
    """Every generated non-page file (open data, feeds, QR codes, calendars)."""
    return [asset for build in ASSET_BUILDERS for asset in build(env, site, site_url)]


def home_blocks(env: jinja2.Environment, site: Site) -> dict[str, str]:
    """HTML blocks for the `<!-- jx:NAME -->` markers of the home page."""
    blocks: dict[str, str] = {}
    for build in HOME_BUILDERS:
        blocks.update(build(env, site))
    return blocks
