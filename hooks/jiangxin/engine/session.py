"""What lives across the rebuilds of one `mkdocs serve`, and the state of the build under way.

MkDocs loads a hook module once per process (`Hooks._load_hook` is cached), so one
`Session` made at import of the hook file lasts as long as the server, as Material's
blog plugin keeps its state on the plugin instance. A plain `mkdocs build` uses the
same object for its single build.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from jiangxin.content.loader import load_site
from jiangxin.engine import memory, searchindex
from jiangxin.engine.mkdocswarnings import ChineseLines
from jiangxin.problems import Problem
from jiangxin.records.model import Site
from jiangxin.site import sitegen
from jiangxin.site.admin_config import Settings
from jiangxin.site.context import BuildContext, PageCache
from jiangxin.site.rendering import Asset, Page


@dataclass
class Build:
    """One build: its context, what it generates, and the templates' stamp."""

    ctx: BuildContext
    project: Path
    theme: tuple
    # Made in on_config, before MkDocs cleans site/, so a builder's failure leaves the old site.
    generated: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    # The generated pages not yet handed to MkDocs, by `src_uri`.
    pages: dict[str, Page] = field(default_factory=dict)
    # The home page's generated blocks, set aside while its own HTML is sanitized.
    home_blocks: dict[str, str] = field(default_factory=dict)
    # Generated page → the record file it shows, for "edit this page" (kept after the page is handed over).
    records: dict[str, str] = field(default_factory=dict)
    # Our stylesheets served as one bundle (an asset): their own copies are not published.
    bundled: tuple[str, ...] = ()
    # The config's extra_css with the bundle in their place (as given when there is none).
    extra_css: tuple[str, ...] = ()
    # The templates' inline scripts (checks.built_policy.theme_scripts, read in on_env): no page may hold another.
    scripts: tuple[re.Pattern[str], ...] | None = None


class Session:
    """Caches and the background indexer of a serving process; the current build."""

    def __init__(self) -> None:
        self.serve = False
        self.indexer: subprocess.Popen | None = None
        # Parsed records by file, reused when the file's bytes did not change.
        self.parsed: dict = {}
        self.page_cache = PageCache()
        # Personal-data findings of the last build's generated files, by path and content digest
        # (privacy.check_assets): a rebuild of `mkdocs serve` scans only the files that changed.
        self.asset_scans: dict[tuple[str, bytes], list[Problem]] = {}
        # The pages of the last finished build and the templates' stamp they were built under.
        self.last_built: dict[str, Page] = {}
        self.last_theme: tuple | None = None
        self.build: Build | None = None
        # MkDocs' warnings followed by a Chinese line (attached to MkDocs' logger by the hook).
        self.warnings = ChineseLines()
        # The hook's file objects of this build's generated files, to let go of once MkDocs wrote them.
        self.asset_files: list[Any] = []

    def start(self, *, serve: bool) -> None:
        """A new process: `mkdocs serve` keeps caches between rebuilds, `mkdocs build` does not need them."""
        self.serve = serve

    def load(self, docs_dir: Path, base: Path) -> tuple[Site, list[Problem]]:
        """Every record, read and checked (while serving, unchanged files are not parsed again)."""
        return load_site(docs_dir, base, self.parsed if self.serve else None)

    def begin(
        self,
        env: jinja2.Environment,
        site: Site,
        *,
        site_url: str | None,
        publisher: str,
        project: Path,
        theme: tuple,
        cms: Settings | None = None,
        content_dir: str = "content",
    ) -> Build:
        """Start a build of `site`; `theme` stamps what else goes into every page (templates, mkdocs.yml)."""
        if theme != self.last_theme:
            self.page_cache.clear()
        cache = self.page_cache if self.serve else None
        ctx = BuildContext(env, site, site_url, publisher, cms or Settings(), content_dir, cache)
        self.build = Build(ctx, project, theme, generated=sitegen.all_pages(ctx), assets=sitegen.all_assets(ctx))
        return self.build

    @property
    def current(self) -> Build:
        """The build under way (MkDocs runs on_config, which begins it, before any other build event)."""
        if self.build is None:  # pragma: no cover - a programming error, not an editor's
            raise RuntimeError("no build under way: on_config did not run")
        return self.build

    @property
    def same_theme(self) -> bool:
        """Whether the current build uses the templates and configuration of the last one."""
        return self.build is not None and self.build.theme == self.last_theme

    def add(self, page: Page) -> bool:
        """Register a generated page of the current build; True when the last build made the very same page."""
        assert self.build is not None
        self.build.pages[page.src_uri] = page
        if page.record_path:
            self.build.records[page.src_uri] = page.record_path
        return self.same_theme and self.last_built.get(page.src_uri) == page

    def take(self, src_uri: str) -> Page | None:
        """The generated page for MkDocs to render (a plain build has no further use for our copy)."""
        if self.build is None:
            return None
        pages = self.build.pages
        return pages.get(src_uri) if self.serve else pages.pop(src_uri, None)

    def finish(self, site_dir: Path) -> None:
        """Index the built site for search: in the background while serving, else before returning."""
        assert self.build is not None
        if self.serve:
            self.indexer = searchindex.start(self.build.project, site_dir)
            self.last_built = dict(self.build.pages)
            self.last_theme = self.build.theme
        else:
            # The records, pages and files of this build are written: let them go before the indexer
            # runs, so that the two processes together stay small (memory.release).
            project, self.build = self.build.project, None
            memory.release()
            searchindex.build(project, site_dir)

    def stop_indexer(self) -> None:
        """Stop a background indexer still writing into `site/` (a rebuild or the end of `serve`)."""
        indexer, self.indexer = self.indexer, None
        if indexer and indexer.poll() is None:
            indexer.kill()
            indexer.wait()


def theme_stamp(config_file: Path | None, custom_dir: Path | None) -> tuple:
    """What else goes into every page: the config file and the templates, by modification time."""
    paths = [config_file] if config_file else []
    if custom_dir:
        paths += sorted(p for p in custom_dir.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths)
