"""The site's search index: Pagefind run over the built HTML.

Pagefind splits the index into small chunks that the browser fetches per query,
so a reader downloads tens of KB to search, not the whole index, and the build
pays no Python segmentation. Its extended build segments Chinese; from 1.6 it
segments with ICU at build time as the browser does the query (Intl.Segmenter),
so both sides cut a phrase like 名师带高徒 the same way (1.5, the newest on PyPI,
did not, and missed pages). Hence the binary comes from npm, pinned in
package-lock.json. Only what templates mark `data-pagefind-body` is indexed,
minus `data-pagefind-ignore`; see overrides/main.html and partials/search.html.

Pagefind holds every page it indexes in memory until it writes the bundle, about 0.2 MiB a
profile or story (25 MiB for 50, 240 MiB for 1,043 of the benchmark's at 10x), so a large
site is indexed in parts of at most BATCH pages, one process after the other, each into its
own bundle (the first in pagefind/, the others in pagefind/part-N/); the browser merges them
(`mergeIndex`, listed in pagefind/jx-parts.json). Pages are dealt to the parts in turn, so
every part holds a like mix of pages and their scores come close (each part scores by its own
statistics, so the order of near hits can differ from one bundle's).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from jiangxin.problems import Problem, Stop

OUTPUT = "pagefind"
# Seconds; the sample site indexes in about one. A hung indexer must not hang the publish.
TIMEOUT = 600
TIMEOUT_ENV = "JX_PAGEFIND_TIMEOUT"
# Pagefind's own ready-made UIs; partials/search.html and jx-search.js replace them.
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
INSTALL = "bash scripts/setup.sh"
FAILED = "站内搜索索引生成失败，站点未发布："
# Pages per Pagefind run: about 200 MiB of indexer beside MkDocs' 270 MiB at 10x city scale
# (its own after memory.release), within the build's 500 MB (benchmarks/NOTES.md).
BATCH = 850
BATCH_ENV = "JX_PAGEFIND_BATCH"
PARTS = "jx-parts.json"
BODY = b"data-pagefind-body"
# What a merged part needs: its entry, meta, index and fragments; the primary's code and wasm serve all.
PART_UNUSED = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


def executable(project: Path) -> Path | None:
    """Pagefind's extended binary: $PAGEFIND_BINARY, else the project's node_modules."""
    if os.environ.get("PAGEFIND_BINARY"):
        return Path(os.environ["PAGEFIND_BINARY"])
    for path in sorted((project / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended*")):
        if path.suffix in ("", ".exe"):
            return path
    return None


def missing(project: Path) -> list[Problem]:
    """Why the index can't be built here, in the editors' words (no problem when it can)."""
    binary = executable(project)
    if binary is None:
        why = f"缺少站内搜索工具 Pagefind（中文分词版），站点将无法搜索。请在项目目录运行：{INSTALL}"
        return [Problem.file("", "tool.pagefind-missing", why)]
    if not os.access(binary, os.X_OK):
        why = f"站内搜索工具 Pagefind 无法运行（{binary}）。请在项目目录重新运行：{INSTALL}"
        return [Problem.file("", "tool.pagefind-not-executable", why)]
    return []


def command(project: Path, site_dir: Path, output: Path | None = None) -> list[str]:
    if output is None:
        return [str(executable(project)), "--site", str(site_dir), "--output-subdir", OUTPUT, "--silent"]
    return [str(executable(project)), "--site", str(site_dir), "--output-path", str(output), "--silent"]


def build(project: Path, site_dir: Path) -> None:
    """Index `site_dir` in place; `Stop` with Pagefind's own words on failure or a timeout."""
    site_dir = Path(site_dir)
    found = (p.relative_to(site_dir) for p in site_dir.rglob("*.html"))
    pages = sorted(p for p in found if p.parts[0] != OUTPUT)
    # Once any page marks its body, Pagefind leaves out the pages that do not (posters, facet lists):
    # only the others need a place in a part, and the parts are fewer.
    pages = [p for p in pages if BODY in (site_dir / p).read_bytes()] or pages
    parts = max(1, math.ceil(len(pages) / _batch()))
    _clear_parts(site_dir)
    if parts == 1:
        _run(command(project, site_dir))
    else:
        for n in range(parts):
            out = site_dir / OUTPUT / (f"part-{n}" if n else "")
            with tempfile.TemporaryDirectory(prefix=".jx-index-", dir=site_dir.parent) as tree:
                _link_tree(site_dir, Path(tree), pages[n::parts])
                _run(command(project, Path(tree), out))
    tidy(site_dir)
    names = [f"part-{n}/" for n in range(1, parts)]
    (site_dir / OUTPUT / PARTS).write_text(json.dumps(names), encoding="utf-8")


def _link_tree(site_dir: Path, tree: Path, pages: list[Path]) -> None:
    """The pages of one part at their paths under `tree` (hard links; copies across file systems)."""
    for rel in pages:
        target = tree / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / rel, target)
        except OSError:
            shutil.copy2(site_dir / rel, target)


def _clear_parts(site_dir: Path) -> None:
    out = Path(site_dir) / OUTPUT
    for part in out.glob("part-*"):
        shutil.rmtree(part, ignore_errors=True)
    (out / PARTS).unlink(missing_ok=True)


def _run(cmd: list[str]) -> None:
    timeout = _timeout()
    # Its own process group, so a timeout kills whatever it started too: a child left holding
    # the output pipes would keep communicate() waiting after the indexer itself is gone.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise Stop.because(
            "tool.pagefind-timeout",
            f"{FAILED}站内搜索工具 Pagefind 运行超过 {timeout:g} 秒仍未结束，已被停止。"
            f"请重试；若仍如此，请重新运行 {INSTALL} 安装 Pagefind。",
        ) from None
    if proc.returncode != 0:
        raise Stop.because("tool.pagefind-failed", FAILED + ((stderr or stdout).strip() or f"exit {proc.returncode}"))


def _batch() -> int:
    try:
        return max(1, int(os.environ.get(BATCH_ENV) or BATCH))
    except ValueError:
        return BATCH


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV) or TIMEOUT)
    except ValueError:
        return TIMEOUT


def start(project: Path, site_dir: Path) -> subprocess.Popen:
    """Index in the background (used by `mkdocs serve`, so a page shows before search catches up).

    One bundle, whatever the size: a preview on the editor's machine, not the published build.
    """
    _clear_parts(site_dir)
    (Path(site_dir) / OUTPUT).mkdir(parents=True, exist_ok=True)
    (Path(site_dir) / OUTPUT / PARTS).write_text("[]", encoding="utf-8")
    # At low priority: an edit saved while the last rebuild is still being indexed is rebuilt first
    # (MkDocs runs on_config, where the records are checked, before on_pre_build stops this indexer).
    nice = shutil.which("nice")
    low = [nice, "-n", "10"] if nice else []
    return subprocess.Popen([*low, *command(project, site_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tidy(site_dir: Path) -> None:
    out = Path(site_dir) / OUTPUT
    for pattern in UNUSED:
        for path in out.glob(pattern):
            path.unlink(missing_ok=True)
    shutil.rmtree(out / "playground", ignore_errors=True)
    for part in out.glob("part-*"):
        for pattern in UNUSED + PART_UNUSED:
            for path in part.glob(pattern):
                path.unlink(missing_ok=True)
