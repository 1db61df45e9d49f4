"""MkDocs hook entry of 匠心滨州: the only module that knows MkDocs.

Records are loaded and validated in `on_config`, before MkDocs empties `site/`,
so a bad record fails the build and leaves the previous site untouched. What
outlives one build of `mkdocs serve` is `SESSION` (see `jiangxin.session`).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from jiangxin.checks import bounds, built_policy, file_policy, page_policy, privacy
from jiangxin.engine import builddate, searchindex, timing
from jiangxin.engine.mkdocswarnings import ChineseLines
from jiangxin.engine.mkdocsyml import read as read_mkdocs_yml
from jiangxin.engine.session import Build, Session, theme_stamp
from jiangxin.problems import Problem, report
from jiangxin.site import admin, admin_config, rendering, sitegen
from jiangxin.site.templates import BYTECODE, make_env

SESSION = Session()
WARNINGS = ChineseLines()
# This build's generated files (open data, feeds, posters): their content is let go once they are written.
ASSET_FILES: list[File] = []


def on_startup(*, command: str, dirty: bool) -> None:
    SESSION.start(serve=command == "serve")
    # MkDocs' warnings followed by a Chinese line. Once per process: MkDocs loads this module once
    # (Hooks._load_hook is cached) and addHandler skips a handler already attached.
    logging.getLogger("mkdocs").addHandler(WARNINGS)
    if command == "serve" and dirty:
        # serve.sh previews with --dirty (see on_files). MkDocs' generic warning about dirty builds
        # would abort every rebuild under `strict: true`; the published build is always clean.
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: "A 'dirty' build is being performed" not in record.getMessage()
        )


def on_shutdown() -> None:
    SESSION.stop_indexer()


def on_pre_build(*, config: MkDocsConfig) -> None:
    # A rebuild is about to clean site/: stop the last indexer writing there.
    SESSION.stop_indexer()


@timing.timed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load every record and fail once with all problems, before MkDocs touches site/."""
    base = _project(config)
    # As check.py and publish.py read it: the same Chinese lines, and the same refusals (titles with markup).
    WARNINGS.config, yml_problems = read_mkdocs_yml(base)
    builddate.pin(base, Path(config.docs_dir), config.config_file_path)  # sitemap <lastmod>: see builddate
    why = searchindex.missing(base) or admin.missing(base)
    if why:
        raise PluginError(why)
    cms, cms_problems = admin_config.settings(config.extra or {}, WARNINGS.config.key_lines.get("extra", 0))
    site, problems = SESSION.load(Path(config.docs_dir), base)
    problems = yml_problems + cms_problems + problems
    if config.config_file_path:  # every text of mkdocs.yml, comments included, with its line
        yml = Path(config.config_file_path)
        problems = problems + privacy.check_file(yml, yml.relative_to(base).as_posix())
    if problems:
        raise PluginError(report(problems))
    # Validation is over: pages.py `render` hands this list to Markdown(), which takes an Extension
    # instance as it is (no mdx_configs entry). Once per config, should one be built twice.
    extensions = config["markdown_extensions"]
    if not any(isinstance(e, bounds.BoundedLinks) for e in extensions):
        extensions.append(bounds.BoundedLinks())
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    config_file = Path(config.config_file_path) if config.config_file_path else None
    build = SESSION.begin(
        make_env(custom_dir) if custom_dir else make_env(), site, site_url=config.site_url or None,
        publisher=config.site_author or "", project=base, theme=theme_stamp(config_file, custom_dir),
        cms=cms, content_dir=_docs_rel(config),
    )  # fmt: skip
    if custom_dir:
        _bundle_stylesheets(config, custom_dir, build)
    # Text the theme prints on every page besides the content, and every generated file.
    chrome = [config.site_name, config.site_description, config.site_author, config.copyright]
    extra = json.dumps(dict(config.extra or {}), ensure_ascii=False)
    chrome_text = "\n".join([*(str(t or "") for t in chrome), extra])
    personal = privacy.published_lines(chrome_text, "mkdocs.yml")
    _refuse_personal_data(personal + privacy.asset_lines(build.assets, SESSION.asset_scans))
    return config


@timing.timed
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Apply the content policy to MkDocs' own file list, hide the raw records and add one
    in-memory file per generated page and asset."""
    build = _build()
    base, docs_dir = _project(config), Path(config.docs_dir)
    site = build.ctx.site
    variants = {v.url: v.path for photo in site.photos.values() for v in photo.variants}
    generated = [*(a.path for a in build.assets), *variants]
    reserved = file_policy.reserved_paths(map(Path, config.theme.dirs), generated)
    problems = []
    bundled = set(build.bundled)
    for file in list(files):
        if file_policy.UNUSED_THEME_FILES.search(file.src_uri) or file.src_uri in bundled:
            files.remove(file)
            continue
        if file.abs_src_path is None or not Path(file.abs_src_path).is_relative_to(docs_dir):
            continue  # theme files
        if not file.inclusion.is_in_serve():
            continue
        rel = f"{_docs_rel(config)}/{file.src_uri}"
        problems.extend(file_policy.check_file(file.src_uri, Path(file.abs_src_path), rel, base, reserved))
        kind = file_policy.kind_of(file.src_uri)
        if kind == "record" or (kind == "image" and file.src_uri in site.photos):
            files.remove(file)  # a record photo is published only as its stripped variants
        elif kind == "image":
            # Every other image as re-encoded by the loader (jiangxin.content.photos): no EXIF, XMP or GPS position.
            files.remove(file)
            stripped = site.page_images.get(file.src_uri)
            if stripped is None:
                problems.append(Problem(rel, 0, 0, "", "这个图片在检查后有改动，请重新构建。"))
                continue
            files.append(File.generated(config, file.src_uri, abs_src_path=str(stripped.path)))
    if problems:
        raise PluginError(report(problems))
    ASSET_FILES[:] = [File.generated(config, asset.path, content=asset.content) for asset in build.assets]
    for file in ASSET_FILES:
        files.append(file)
    for url, path in variants.items():
        files.append(File.generated(config, url, abs_src_path=str(path)))
    # Only `--dirty` builds ask is_modified(). Hand-written pages are rendered again when the
    # templates changed; the home page always (its blocks come from the records).
    for file in files.documentation_pages():
        if file.src_uri == "index.md" or not SESSION.same_theme:
            file.is_modified = lambda: True  # type: ignore[method-assign]
    for page in build.generated:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"{_docs_rel(config)}/{page.src_uri}: 这个页面由记录自动生成，请删去手写的同名文件。")
        # Empty source: meta and HTML are handed over in on_page_markdown/on_page_content,
        # so MkDocs neither parses front matter nor runs the HTML through Markdown.
        file = File.generated(config, page.src_uri, content="")
        if SESSION.add(page):
            file.is_modified = lambda: False  # type: ignore[method-assign]
        files.append(file)
    return files


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    # MkDocs makes a new theme environment per build; without this Jinja stats every
    # template file on every include of every page, and `serve` recompiles them all.
    env.auto_reload = False
    env.bytecode_cache = BYTECODE
    # The inline scripts these templates can write: a page holding any other is refused (on_post_page).
    _build().scripts = built_policy.theme_scripts(map(Path, config.theme.dirs))
    return env


@timing.timed
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give generated pages their meta; fill the `<!-- jx:NAME -->` markers of the home page."""
    generated = _build().pages.get(page.file.src_uri)
    if generated is not None:
        page.meta = dict(generated.meta)
        return ""
    if page.file.src_uri != "index.md":
        return markdown
    blocks = sitegen.home_blocks(_build().ctx)
    _build().home_blocks = blocks  # set aside while on_page_content sanitizes the page's own HTML
    markdown, unknown = sitegen.fill_markers(markdown, page.file.content_string, blocks)
    if unknown:
        raise PluginError("\n".join(f"{_docs_rel(config)}/{page.file.src_uri}:{problem}" for problem in unknown))
    return markdown


@timing.timed
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The HTML of a generated page (its ids are link targets for other pages); a hand-written
    page's own HTML through the sanitizer; a last privacy guard."""
    generated = SESSION.take(page.file.src_uri)
    if generated is not None:
        page.present_anchor_ids = generated.element_ids
        html = generated.html
    else:
        blocks = _build().home_blocks if page.file.src_uri == "index.md" else {}
        own = page_policy.without_blocks(html, blocks)
        problems = page_policy.check_page_html(
            own, page.file.content_string, f"{_docs_rel(config)}/{page.file.src_uri}"
        )
        if problems:
            raise PluginError(report(problems))
    # Records and hand-written pages were checked when loaded; this catches what composing them
    # could make. The theme around the content holds only the config's text, checked in on_config.
    # Named by the file an editor can change: the record, the hand-written page, else the page itself.
    source = _build().records.get(page.file.src_uri) or (
        f"{_docs_rel(config)}/{page.file.src_uri}" if generated is None else page.file.src_uri
    )
    _refuse_personal_data(privacy.published_lines(f"{page.title or ''}\n{html}", f"{source}（网页 /{page.url or ''}）"))
    return html


@timing.timed
def on_page_context(context, /, *, page: Page, config: MkDocsConfig, nav):
    """Point "edit this page" of a generated page at the YAML record it came from."""
    record = _build().records.get(page.file.src_uri)
    if record and config.repo_url and config.edit_uri:
        page.edit_url = rendering.edit_url(config.repo_url, config.edit_uri, Path(config.docs_dir).name, record)
    return context


@timing.timed
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    """The finished page once more: nothing runs, redirects or loads from elsewhere unless the theme put it there."""
    found = built_policy.check_final_html(output, config.site_url, _build().scripts)
    if found:
        source = _build().records.get(page.file.src_uri) or f"{_docs_rel(config)}/{page.file.src_uri}"
        where = f"{page.url or '/'}（{source}）"
        lines = "\n".join(f"{where}: {line}" for line in found)
        raise PluginError(f"生成的页面里有不安全的内容，已停止发布：\n{lines}")
    # Written next and not read again: a large site need not hold every page's HTML until the end.
    page.content = None
    return output


def on_post_build(*, config: MkDocsConfig) -> None:
    """Index the built pages for search; report hook times when $JX_TIMING names a file."""
    start, python_peak = time.perf_counter(), timing.peak_mib()
    try:
        admin.copy_vendor(_project(config), Path(config.site_dir))
        # MkDocs copied them before it built the pages (commands/build.py); the indexer needs the room.
        for file in ASSET_FILES:
            file.content_bytes = b""
        ASSET_FILES.clear()
        SESSION.finish(Path(config.site_dir))
    except (OSError, RuntimeError) as err:
        raise PluginError(f"站内搜索索引生成失败，站点未发布：{err}") from err
    # The build's own peak, before the indexer runs (its peak shows in the whole build's).
    timing.report(time.perf_counter() - start, python_peak)


def _bundle_stylesheets(config: MkDocsConfig, custom_dir: Path, build: Build) -> None:
    """Our extra_css files (those in the theme folder) become one content-hashed stylesheet."""
    ours = [css for css in config.extra_css if (custom_dir / css).is_file()]
    if not ours:
        return
    bundle = rendering.stylesheet_bundle([(css, (custom_dir / css).read_text(encoding="utf-8")) for css in ours])
    build.assets.append(bundle)
    build.bundled = tuple(ours)
    first = config.extra_css.index(ours[0])
    rest = [css for css in config.extra_css if css not in ours]
    config.extra_css[:] = [*rest[:first], bundle.path, *rest[first:]]


def _build() -> Build:
    if SESSION.build is None:  # pragma: no cover - MkDocs always runs on_config first
        raise PluginError("on_config did not run")
    return SESSION.build


def _refuse_personal_data(lines: list[str]) -> None:
    if lines:
        raise PluginError("生成的页面或文件里含有个人信息，已停止发布：\n" + "\n".join(lines))


def _project(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: paths in editors' messages are relative to it."""
    return Path(config.config_file_path).parent if config.config_file_path else Path(config.docs_dir).parent


def _docs_rel(config: MkDocsConfig) -> str:
    """docs_dir relative to mkdocs.yml, as editors see it (e.g. `content`)."""
    try:
        return Path(config.docs_dir).resolve().relative_to(_project(config).resolve()).as_posix()
    except ValueError:
        return config.docs_dir
