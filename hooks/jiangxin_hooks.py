"""MkDocs hook entry of 匠心滨州: MkDocs' objects in, the engine's steps (`jiangxin.engine.build`), PluginError out.

The only module that knows MkDocs. Records are loaded and checked in `on_config`, before MkDocs
empties `site/`, so a bad record fails the build and leaves the previous site untouched. What
outlives one build of `mkdocs serve` is `SESSION` (see `jiangxin.engine.session`).
"""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from jiangxin.engine import build as engine
from jiangxin.engine import timing
from jiangxin.engine.session import Session
from jiangxin.problems import Stop

SESSION = Session()


def _adapted(event):
    """The one way a stop becomes MkDocs' PluginError: its text (the Chinese report), its problems kept as the cause."""

    @functools.wraps(event)
    def adapted(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except Stop as stop:
            raise PluginError(str(stop)) from stop

    return adapted


def _event(event):
    """A build event: timed for scripts/bench.py (`$JX_TIMING`), its stop turned into PluginError."""
    return _adapted(timing.timed(event))


def on_startup(*, command: str, dirty: bool) -> None:
    SESSION.start(serve=command == "serve")
    # Once per process: MkDocs loads this module once (Hooks._load_hook is cached) and addHandler
    # skips a handler already attached.
    logging.getLogger("mkdocs").addHandler(SESSION.warnings)
    if command == "serve" and dirty:
        # serve.sh previews with --dirty. MkDocs' generic warning about dirty builds would abort every
        # rebuild under `strict: true`; the published build is always clean.
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: "A 'dirty' build is being performed" not in record.getMessage()
        )


def on_shutdown() -> None:
    SESSION.stop_indexer()


def on_pre_build(*, config: MkDocsConfig) -> None:
    SESSION.stop_indexer()  # a rebuild is about to clean site/: stop the last indexer writing there


@_event
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build = engine.start(SESSION, _site_config(config))
    config.extra_css[:] = build.extra_css
    config["markdown_extensions"].extend(engine.markdown_extensions(config["markdown_extensions"]))
    return config


@_event
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    sources = [engine.SourceFile(f.src_uri, _path(f.abs_src_path), f.inclusion.is_in_serve()) for f in files]
    plan = engine.plan_files(SESSION, sources, Path(config.docs_dir), map(Path, config.theme.dirs))
    for file in [f for f in files if f.src_uri in plan.drop]:
        files.remove(file)
    for uri, path in plan.images:
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    SESSION.asset_files = [File.generated(config, a.path, content=a.content) for a in plan.assets]
    for file in SESSION.asset_files:
        files.append(file)
    for url, path in plan.variants:
        files.append(File.generated(config, url, abs_src_path=str(path)))
    # Only `--dirty` builds ask is_modified().
    for file in files.documentation_pages():
        if plan.rerender(file.src_uri):
            file.is_modified = lambda: True  # type: ignore[method-assign]
    for page, unchanged in plan.pages:
        file = File.generated(config, page.src_uri, content="")
        if unchanged:
            file.is_modified = lambda: False  # type: ignore[method-assign]
        files.append(file)
    return files


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    return engine.theme_env(SESSION.current, env, map(Path, config.theme.dirs))


@_event
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown, meta = engine.page_markdown(SESSION.current, page.file.src_uri, markdown, page.file.content_string)
    if meta is not None:
        page.meta = meta
    return markdown


@_event
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    file = page.file
    title, url = page.title or "", page.url or ""
    html, anchors = engine.page_content(SESSION, file.src_uri, html, file.content_string, title, url)
    if anchors is not None:
        page.present_anchor_ids = anchors
    return html


@_event
def on_page_context(context, /, *, page: Page, config: MkDocsConfig, nav):
    docs_dir = Path(config.docs_dir)
    edit_url = engine.edit_url(SESSION.current, page.file.src_uri, config.repo_url, config.edit_uri, docs_dir)
    if edit_url:
        page.edit_url = edit_url
    return context


@_event
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    engine.final_page(SESSION.current, page.file.src_uri, output, config.site_url, page.url or "")
    page.content = None  # written next and not read again: a large site need not hold every page's HTML
    return output


@_adapted
def on_post_build(*, config: MkDocsConfig) -> None:
    start, python_peak = time.perf_counter(), timing.peak_mib()
    # MkDocs copied them before it built the pages (commands/build.py); the indexer needs the room.
    for file in SESSION.asset_files:
        file.content_bytes = b""
    SESSION.asset_files.clear()
    engine.finish(SESSION, Path(config.site_dir))
    # The build's own peak, before the indexer runs (its peak shows in the whole build's).
    timing.report(time.perf_counter() - start, python_peak)


def _site_config(config: MkDocsConfig) -> engine.SiteConfig:
    chrome = (config.site_name, config.site_description, config.site_author, config.copyright)
    return engine.SiteConfig(
        Path(config.docs_dir), _path(config.config_file_path), _path(config.theme.custom_dir),
        site_url=config.site_url or None, site_author=config.site_author or "",
        chrome=tuple(str(t or "") for t in chrome), extra=dict(config.extra or {}), extra_css=tuple(config.extra_css),
    )  # fmt: skip


def _path(path: str | None) -> Path | None:
    return Path(path) if path else None
