"""The build's steps, taken out of the MkDocs hook: plain values in, what to do with MkDocs' objects out.

MkDocs calls the hook's events in order: on_startup, on_config, on_pre_build, on_files, on_nav,
on_env, on_page_markdown, on_page_content, on_page_context, on_post_page, on_post_build. Each step
here serves one of them: `start` (on_config: every record loaded and checked before MkDocs cleans
site/), `plan_files` (on_files), `page_markdown`, `page_content`, `edit_url`, `final_page` and
`finish`. A step that finds problems raises `Stop`; the hook turns it into MkDocs' PluginError.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from jiangxin.checks import bounds, built_policy, file_policy, page_policy, privacy
from jiangxin.engine import builddate, mkdocsyml, searchindex
from jiangxin.engine.session import Build, Session, theme_stamp
from jiangxin.problems import Problem, Stop
from jiangxin.site import admin, admin_config, rendering, sitegen
from jiangxin.site.rendering import Asset, Page
from jiangxin.site.templates import BYTECODE, make_env

HOME = "index.md"
UNSAFE = "生成的页面里有不安全的内容，已停止发布："
PERSONAL = "生成的页面或文件里含有个人信息，已停止发布："


@dataclass(frozen=True)
class SiteConfig:
    """What the build needs of mkdocs.yml, as the hook reads it off MkDocs' config."""

    docs_dir: Path
    config_file: Path | None = None
    custom_dir: Path | None = None  # the theme's override folder
    site_url: str | None = None
    site_author: str = ""
    # Text the theme prints on every page besides the content: site_name, site_description, site_author, copyright.
    chrome: tuple[str, ...] = ()
    extra: Mapping = field(default_factory=dict)
    extra_css: tuple[str, ...] = ()

    @property
    def project(self) -> Path:
        """The folder of mkdocs.yml: paths in editors' messages are relative to it."""
        return self.config_file.parent if self.config_file else self.docs_dir.parent

    @property
    def content_dir(self) -> str:
        """docs_dir relative to mkdocs.yml, as editors see it (e.g. `content`)."""
        try:
            return self.docs_dir.resolve().relative_to(self.project.resolve()).as_posix()
        except ValueError:
            return str(self.docs_dir)


def start(session: Session, config: SiteConfig) -> Build:
    """Check the tools, load and check every record and the config, and begin the build: its pages and
    files are made now, so a failure leaves the last site as it was. `Stop` with all problems at once."""
    project = config.project
    # As check.py and publish.py read it: the same Chinese lines, and the same refusals (titles with markup).
    session.warnings.config, config_problems = mkdocsyml.read(project)
    config_file = str(config.config_file) if config.config_file else None
    builddate.pin(project, config.docs_dir, config_file)  # sitemap <lastmod>: see builddate
    missing = searchindex.missing(project) or admin.missing(project)
    if missing:
        raise Stop(missing, heading="")
    cms, problems = admin_config.settings(config.extra, session.warnings.config.key_lines.get("extra", 0))
    site, loaded = session.load(config.docs_dir, project)
    problems = config_problems + problems + loaded
    if config.config_file:  # every text of mkdocs.yml, comments included, with its line
        problems += privacy.check_file(config.config_file, config.config_file.relative_to(project).as_posix())
    if problems:
        raise Stop(problems)
    custom_dir = config.custom_dir
    build = session.begin(
        make_env(custom_dir) if custom_dir else make_env(), site, site_url=config.site_url,
        publisher=config.site_author, project=project, theme=theme_stamp(config.config_file, custom_dir),
        cms=cms, content_dir=config.content_dir,
    )  # fmt: skip
    bundle, build.bundled, extra_css = stylesheets(custom_dir, config.extra_css)
    build.assets += [bundle] if bundle else []
    build.extra_css = extra_css
    # The theme prints the config's text on every page; the generated files are published as they are.
    extra = json.dumps(dict(config.extra), ensure_ascii=False)
    chrome = "\n".join([*config.chrome, extra])
    personal = privacy.check_published(chrome, "mkdocs.yml") + privacy.check_assets(build.assets, session.asset_scans)
    if personal:
        raise Stop(personal, heading=PERSONAL)
    return build


def stylesheets(
    custom_dir: Path | None, extra_css: Iterable[str]
) -> tuple[Asset | None, tuple[str, ...], tuple[str, ...]]:
    """Our extra_css files (those in the theme folder) as one content-hashed stylesheet: the bundle, the
    files it replaces, and extra_css with the bundle in the first one's place."""
    extra_css = tuple(extra_css)
    ours = tuple(css for css in extra_css if custom_dir and (custom_dir / css).is_file())
    if not custom_dir or not ours:
        return None, (), extra_css
    bundle = rendering.stylesheet_bundle([(css, (custom_dir / css).read_text(encoding="utf-8")) for css in ours])
    first = extra_css.index(ours[0])
    rest = [css for css in extra_css if css not in ours]
    return bundle, ours, (*rest[:first], bundle.path, *rest[first:])


def markdown_extensions(extensions: Iterable[object]) -> list[object]:
    """The extensions to add to mkdocs.yml's for hand-written pages: the bounded link scanning, once per config.

    MkDocs hands the list to Markdown(), which takes an Extension instance as it is (no mdx_configs entry).
    """
    return [] if any(isinstance(e, bounds.BoundedLinks) for e in extensions) else [bounds.BoundedLinks()]


@dataclass(frozen=True)
class SourceFile:
    """One file of MkDocs' list: where it is in the docs tree, on disk (None if generated), and whether
    `serve` publishes it (drafts are left out of a plain build)."""

    src_uri: str
    path: Path | None
    in_serve: bool = True


@dataclass
class FilePlan:
    """What becomes of MkDocs' file list: files taken out, files added (in this order), and which
    hand-written pages a `--dirty` build renders again."""

    drop: set[str] = field(default_factory=set)
    # Images of content/ published as the loader's re-encoded copy (no EXIF, XMP or GPS position).
    images: list[tuple[str, Path]] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    variants: list[tuple[str, Path]] = field(default_factory=list)
    # Generated pages, each with whether the last build of `serve` made the very same page.
    pages: list[tuple[Page, bool]] = field(default_factory=list)
    same_theme: bool = False

    def rerender(self, src_uri: str) -> bool:
        """Whether a `--dirty` build must render this hand-written page again: when the templates changed,
        and the home page always (its blocks come from the records)."""
        return src_uri == HOME or not self.same_theme


def plan_files(session: Session, files: Iterable[SourceFile], docs_dir: Path, theme_dirs: Iterable[Path]) -> FilePlan:
    """Apply the content policy to MkDocs' own file list, hide the raw records and add one file
    per generated page and asset; `Stop` with every file's problems."""
    build = session.current
    site, content_dir = build.ctx.site, build.ctx.content_dir
    plan = FilePlan(assets=list(build.assets), same_theme=session.same_theme)
    plan.variants = [(v.url, v.path) for photo in site.photos.values() for v in photo.variants]
    reserved = file_policy.reserved_paths(theme_dirs, [*(a.path for a in build.assets), *dict(plan.variants)])
    problems: list[Problem] = []
    kept: list[str] = []
    for file in files:
        if file_policy.UNUSED_THEME_FILES.search(file.src_uri) or file.src_uri in build.bundled:
            plan.drop.add(file.src_uri)
            continue
        kept.append(file.src_uri)
        if file.path is None or not file.path.is_relative_to(docs_dir) or not file.in_serve:
            continue  # theme files, drafts
        rel = f"{content_dir}/{file.src_uri}"
        problems += file_policy.check_file(file.src_uri, file.path, rel, build.project, reserved)
        kind = file_policy.kind_of(file.src_uri)
        if kind == "record" or (kind == "image" and file.src_uri in site.photos):
            plan.drop.add(file.src_uri)  # a record photo is published only as its stripped variants
        elif kind == "image":
            plan.drop.add(file.src_uri)
            stripped = site.page_images.get(file.src_uri)
            if stripped is None:
                problems.append(Problem.file(rel, "image.changed", "这个图片在检查后有改动，请重新构建。"))
            else:
                plan.images.append((file.src_uri, stripped.path))
    if problems:
        raise Stop(problems)
    present = {*(uri for uri in kept if uri not in plan.drop), *dict(plan.images), *(a.path for a in plan.assets)}
    present |= set(dict(plan.variants))
    twins = [
        Problem.file(
            f"{content_dir}/{page.src_uri}", "page.shadows-record", "这个页面由记录自动生成，请删去手写的同名文件。"
        )
        for page in build.generated
        if page.src_uri in present
    ]
    if twins:
        raise Stop(twins, heading="")
    plan.pages = [(page, session.add(page)) for page in build.generated]
    return plan


def theme_env(build: Build, env: jinja2.Environment, theme_dirs: Iterable[Path]) -> jinja2.Environment:
    """MkDocs makes a new theme environment per build; without this Jinja stats every template file
    on every include of every page, and `serve` recompiles them all. The inline scripts these
    templates can write are read here: a finished page holding any other is refused (`final_page`)."""
    env.auto_reload = False
    env.bytecode_cache = BYTECODE
    build.scripts = built_policy.theme_scripts(theme_dirs)
    return env


def page_markdown(build: Build, src_uri: str, markdown: str, source: str) -> tuple[str, dict | None]:
    """The Markdown MkDocs renders for a page, and the meta of a generated page (None for a hand-written one).

    A generated page's source is empty: its meta and HTML are handed over here and in `page_content`,
    so MkDocs neither parses front matter nor runs the HTML through Markdown. The `<!-- jx:NAME -->`
    markers of the home page (`source`: its file's text) are filled.
    """
    generated = build.pages.get(src_uri)
    if generated is not None:
        return "", dict(generated.meta)
    if src_uri != HOME:
        return markdown, None
    build.home_blocks = sitegen.home_blocks(build.ctx)  # set aside while page_content sanitizes the page's own HTML
    markdown, unknown = sitegen.fill_markers(markdown, source, build.home_blocks, f"{build.ctx.content_dir}/{src_uri}")
    if unknown:
        raise Stop(unknown, heading="")
    return markdown, None


def page_content(
    session: Session, src_uri: str, html: str, source: str, title: str, url: str
) -> tuple[str, set[str] | None]:
    """The HTML of a page, and a generated page's ids (link targets for other pages; None for a hand-written one).

    A hand-written page's own HTML goes through the sanitizer (`source`: its Markdown); then a last
    privacy guard over what composing records and pages could make.
    """
    build = session.current
    rel = f"{build.ctx.content_dir}/{src_uri}"
    generated = session.take(src_uri)
    if generated is None:
        own = page_policy.without_blocks(html, build.home_blocks if src_uri == HOME else {})
        problems = page_policy.check_page_html(own, source, rel)
        if problems:
            raise Stop(problems)
    else:
        html = generated.html
    # Records and hand-written pages were checked when loaded. The theme around the content holds only
    # the config's text, checked in `start`. Named by the file an editor can change: the record, the
    # hand-written page, else the page itself.
    where = build.records.get(src_uri) or (rel if generated is None else src_uri)
    personal = privacy.check_published(f"{title}\n{html}", where, note=f"网页 /{url}")
    if personal:
        raise Stop(personal, heading=PERSONAL)
    return html, generated.element_ids if generated else None


def edit_url(build: Build, src_uri: str, repo_url: str | None, edit_uri: str | None, docs_dir: Path) -> str | None:
    """Where "edit this page" of a generated page points: the YAML record it came from (None: MkDocs' own)."""
    record = build.records.get(src_uri)
    if not (record and repo_url and edit_uri):
        return None
    return rendering.edit_url(repo_url, edit_uri, docs_dir.name, record)


def final_page(build: Build, src_uri: str, output: str, site_url: str | None, url: str) -> None:
    """The finished page once more: nothing runs, redirects or loads from elsewhere unless the theme put it there."""
    source = build.records.get(src_uri) or f"{build.ctx.content_dir}/{src_uri}"
    found = built_policy.check_final_html(output, site_url, url or "/", source, build.scripts)
    if found:
        raise Stop(found, heading=UNSAFE)


def finish(session: Session, site_dir: Path) -> None:
    """Copy the form's CMS bundle into the site and index it for search."""
    try:
        admin.copy_vendor(session.current.project, site_dir)
        session.finish(site_dir)
    except OSError as err:
        raise Stop.because("tool.index-failed", f"{searchindex.FAILED}{err}") from err
