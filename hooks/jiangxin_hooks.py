"""MkDocs hook entry of 匠心滨州: the only module that knows MkDocs.

Records are loaded and validated in `on_config`, before MkDocs empties `site/`,
so a bad record fails the build and leaves the previous site untouched.
"""

from __future__ import annotations

import functools
import json
import os
import re
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from jiangxin import privacy, searchindex, sitegen
from jiangxin.content import FOLDERS, load_site
from jiangxin.problems import report
from jiangxin.templates import make_env

log = get_plugin_logger("jiangxin")
MARKER = re.compile(r"<!--\s*jx:([a-z-]+)\s*-->")
RECORD_DIRS = tuple(f"{folder}/" for folder in FOLDERS.values())
_state: dict = {}
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
    _state["serve"] = command == "serve"


def on_pre_build(*, config) -> None:
    # A rebuild of `mkdocs serve` is about to clean site/: stop the last indexer writing there.
    indexer = _state.pop("indexer", None)
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
    site, problems = load_site(docs_dir, base)
    if problems:
        raise PluginError(report(problems))
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    _state.update(site=site, env=make_env(overrides) if overrides else make_env(), records={}, project=base)
    return config


@_timed
def on_files(files: Files, /, *, config) -> Files:
    """Hide the raw records and add one in-memory page per generated page."""
    for file in list(files):
        if file.src_uri.startswith(RECORD_DIRS) and file.src_uri.endswith((".yml", ".yaml")):
            files.remove(file)
    for asset in sitegen.all_assets(_state["env"], _state["site"], config.site_url or None):
        files.append(File.generated(config, asset.path, content=asset.content))
    for page in sitegen.all_pages(_state["env"], _state["site"], config.site_url or None):
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            raise PluginError(f"{_docs_rel(config)}/{page.src_uri}: 这个页面由记录自动生成，请删去手写的同名文件。")
        files.append(File.generated(config, page.src_uri, content=page.markdown))
        if page.record_path:
            _state["records"][page.src_uri] = page.record_path
    return files


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
def on_post_page(output: str, /, *, page, config) -> str:
    """Last guard: no personal data in any rendered page, wherever it came from."""
    text = re.sub(r"<[^>]+>", " ", output)
    findings = privacy.scan(text)
    if findings:
        lines = "\n".join(f"{page.url or '/'}（{page.file.src_uri}）: {privacy.message(f)}" for f in findings)
        raise PluginError(f"生成的页面里含有个人信息，已停止发布：\n{lines}")
    return output


@_timed
def on_page_markdown(markdown: str, /, *, page, config, files) -> str:
    """Fill the `<!-- jx:NAME -->` markers of the hand-written home page."""
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
    site_dir = Path(config.site_dir)
    if _state.get("serve"):
        _state["indexer"] = searchindex.start(_state["project"], site_dir)
    else:
        try:
            searchindex.build(_state["project"], site_dir)
        except (OSError, RuntimeError) as err:
            raise PluginError(f"站内搜索索引生成失败，站点未发布：{err}") from err
    search_s = time.perf_counter() - start
    target = os.environ.get("JX_TIMING")
    if target:
        Path(target).write_text(json.dumps({"hooks": _times, "search_index": search_s}, sort_keys=True), encoding="utf-8")
    _times.clear()
