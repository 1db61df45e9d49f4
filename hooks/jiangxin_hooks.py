"""MkDocs hook entry of 匠心滨州: the only module that knows MkDocs.

Records are loaded and validated in `on_config`, before MkDocs empties `site/`,
so a bad record fails the build and leaves the previous site untouched.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import resource
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from jiangxin import pages, privacy, searchindex, sitegen
from jiangxin.content import FOLDERS, load_site
from jiangxin.problems import report
from jiangxin.templates import BYTECODE, make_env

log = get_plugin_logger("jiangxin")
MARKER = re.compile(r"<!--\s*jx:([a-z-]+)\s*-->")
TAG = re.compile(r"<[^>]+>")
RECORD_DIRS = tuple(f"{folder}/" for folder in FOLDERS.values())
_state: dict = {}
# What outlives one build while serving (this file is re-executed on every rebuild).
_session = sitegen.SESSION
# Seconds spent in each hook; written to $JX_TIMING after a build, for scripts/bench.py.
_times: dict[str, float] = {}


def _timed(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            _times[func.__name__] = _times.get(func.__name__, 0.0) + time.perf_counter() - start

    return wrapper


def on_startup(*, command, dirty) -> None:
    # `mkdocs serve` shows a rebuilt page before its search index is ready.
    _session["serve"] = command == "serve"
    if command == "serve" and dirty:
        # scripts/serve.sh previews with --dirty: pages whose HTML did not change are not
        # rendered again (see on_files). MkDocs' generic warning about dirty builds would
        # abort every rebuild under `strict: true`; the published build is always clean.
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: "A 'dirty' build is being performed" not in record.getMessage()
        )


def on_pre_build(*, config) -> None:
    # A rebuild of `mkdocs serve` is about to clean site/: stop the last indexer writing there.
    indexer, _session["indexer"] = _session["indexer"], None
    if indexer and indexer.poll() is None:
        indexer.kill()
        indexer.wait()


@_timed
def on_config(config, /):
    """Load every record and fail once with all problems, before MkDocs touches site/."""
    docs_dir = Path(config.docs_dir)
    base = Path(config.config_file_path).parent if config.config_file_path else docs_dir.parent
    why = searchindex.missing(base)
    if why:
        raise PluginError(why)
    # While serving, parsed records are kept for the next rebuild.
    site, problems = load_site(docs_dir, base, _session["parsed"] if _session["serve"] else None)
    if problems:
        raise PluginError(report(problems))
    # Text the theme prints on every page besides the content.
    chrome = [
        config.site_name,
        config.site_description,
        config.copyright,
        json.dumps(dict(config.extra or {}), ensure_ascii=False),
    ]
    _refuse_personal_data("\n".join(str(t or "") for t in chrome), "mkdocs.yml")
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    _state.update(site=site, env=make_env(overrides) if overrides else make_env(), records={}, pages={}, project=base)
    return config


@_timed
def on_files(files: Files, /, *, config) -> Files:
    """Hide the raw records and add one in-memory page per generated page."""
    for file in list(files):
        if file.src_uri.startswith(RECORD_DIRS) and file.src_uri.endswith((".yml", ".yaml")):
            files.remove(file)
    for asset in sitegen.all_assets(_state["env"], _state["site"], config.site_url or None):
        files.append(File.generated(config, asset.path, content=asset.content))
    theme = _state["theme"] = _theme_stamp(config)
    same_theme = _session["theme"] == theme
    # While serving, unchanged profiles and stories are reused from the last rebuild (pages._reuse).
    _state["env"].globals["jx_theme_stamp"] = theme if _session["serve"] else None
    # Only `--dirty` builds ask is_modified(). Hand-written pages are rendered again when the
    # templates changed; the home page always (its blocks come from the records).
    for file in files.documentation_pages():
        if file.src_uri == "index.md" or not same_theme:
            file.is_modified = lambda: True
    for page in sitegen.all_pages(_state["env"], _state["site"], config.site_url or None):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            raise PluginError(f"{_docs_rel(config)}/{page.src_uri}: 这个页面由记录自动生成，请删去手写的同名文件。")
        # Empty source: the page's meta and HTML are handed over in on_page_markdown/on_page_content,
        # so MkDocs neither parses front matter nor runs the HTML through Markdown.
        file = File.generated(config, page.src_uri, content="")
        if same_theme and _session["last_built"].get(page.src_uri) == page:
            # Only `mkdocs build/serve --dirty` asks; a normal build renders every page.
            file.is_modified = lambda: False
        files.append(file)
        _state["pages"][page.src_uri] = page
        if page.record_path:
            _state["records"][page.src_uri] = page.record_path
    return files


def on_env(env, /, *, config, files):
    # MkDocs makes a new theme environment per build; without this Jinja stats every
    # template file on every include of every page, and `serve` recompiles them all.
    env.auto_reload = False
    env.bytecode_cache = BYTECODE
    return env


@_timed
def on_page_context(context, /, *, page, config, nav):
    """Point "edit this page" of a generated page at the YAML record it came from."""
    record = _state["records"].get(page.file.src_uri)
    if record and config.repo_url and config.edit_uri:
        # edit_uri points at docs_dir ("edit/main/content/"); records are named from the repo root.
        prefix = config.edit_uri.strip("/")
        docs = Path(config.docs_dir).name
        if prefix.endswith(docs):
            prefix = prefix[: -len(docs)].strip("/")
        page.edit_url = "/".join(filter(None, (config.repo_url.rstrip("/"), prefix, record)))
    return context


@_timed
def on_page_markdown(markdown: str, /, *, page, config, files) -> str:
    """Give generated pages their meta; fill the `<!-- jx:NAME -->` markers of the home page."""
    generated = _state["pages"].get(page.file.src_uri)
    if generated is not None:
        page.meta = dict(generated.meta)
        return ""
    if page.file.src_uri != "index.md":
        return markdown
    blocks = sitegen.home_blocks(_state["env"], _state["site"])

    unknown = [m for m in MARKER.finditer(page.file.content_string) if m.group(1) not in blocks]
    if unknown:
        source = page.file.content_string
        where = "\n".join(
            f"{_docs_rel(config)}/{page.file.src_uri}:{source.count(chr(10), 0, m.start()) + 1}: 未知的标记 {m.group(0)}，可用的有：{'、'.join(blocks)}。"
            for m in unknown
        )
        raise PluginError(where)
    return MARKER.sub(lambda m: "\n\n" + blocks[m.group(1)] + "\n\n", markdown)


@_timed
def on_page_content(html: str, /, *, page, config, files) -> str:
    """The HTML of a generated page (ids in it are link targets for other pages); a last privacy guard."""
    # Once handed over, a build has no further use for our copy (serve keeps it to compare).
    generated = (_state["pages"].get if _session["serve"] else _state["pages"].pop)(page.file.src_uri, None)
    if generated is not None:
        page.present_anchor_ids = set(pages.ELEMENT_IDS.findall(generated.html))
        html = generated.html
    # Records and hand-written pages were checked when loaded; this catches what composing them
    # could make. The theme around the content holds only the config's text, checked in on_config.
    _refuse_personal_data(f"{page.title or ''}\n{html}", f"{page.url or '/'}（{page.file.src_uri}）")
    return html


def _refuse_personal_data(html: str, where: str) -> None:
    findings = privacy.scan(TAG.sub(" ", html))
    if findings:
        lines = "\n".join(f"{where}: {privacy.message(f)}" for f in findings)
        raise PluginError(f"生成的页面里含有个人信息，已停止发布：\n{lines}")


def _theme_stamp(config) -> tuple:
    """What else goes into every page: the config file and the templates, by modification time."""
    paths = [Path(config.config_file_path)] if config.config_file_path else []
    if config.theme.custom_dir:
        paths += sorted(p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths)


def _docs_rel(config) -> str:
    """docs_dir relative to mkdocs.yml, as editors see it (e.g. `content`)."""
    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    try:
        return Path(config.docs_dir).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return config.docs_dir


def on_post_build(*, config) -> None:
    """Index the built pages for search; report hook times when $JX_TIMING names a file."""
    start = time.perf_counter()
    python_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    site_dir = Path(config.site_dir)
    if _session["serve"]:
        _session["indexer"] = searchindex.start(_state["project"], site_dir)
    else:
        try:
            searchindex.build(_state["project"], site_dir)
        except (OSError, RuntimeError) as err:
            raise PluginError(f"站内搜索索引生成失败，站点未发布：{err}") from err
    search_s = time.perf_counter() - start
    if _session["serve"]:
        _session["last_built"] = dict(_state["pages"])
        _session["theme"] = _state["theme"]
    target = os.environ.get("JX_TIMING")
    if target:
        # The build's own peak, before the indexer runs (its peak shows in the whole build's).
        Path(target).write_text(
            json.dumps({"hooks": _times, "search_index": search_s, "python_peak_mib": python_peak}, sort_keys=True),
            encoding="utf-8",
        )
    _times.clear()
