"""The site's search index: Pagefind run over the built HTML.

Pagefind splits the index into small chunks that the browser fetches per query,
so a reader downloads tens of KB to search, not the whole index, and the build
pays no Python segmentation. Its extended build segments Chinese; from 1.6 it
segments with ICU at build time as the browser does the query (Intl.Segmenter),
so both sides cut a phrase like 名师带高徒 the same way (1.5, the newest on PyPI,
did not, and missed pages). Hence the binary comes from npm, pinned in
package-lock.json. Only what templates mark `data-pagefind-body` is indexed,
minus `data-pagefind-ignore`; see overrides/main.html and partials/search.html.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

OUTPUT = "pagefind"
# Seconds; the sample site indexes in about one. A hung indexer must not hang the publish.
TIMEOUT = 600
TIMEOUT_ENV = "JX_PAGEFIND_TIMEOUT"
# Pagefind's own ready-made UIs; partials/search.html and jx-search.js replace them.
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
INSTALL = "bash scripts/setup.sh"


def executable(project: Path) -> Path | None:
    """Pagefind's extended binary: $PAGEFIND_BINARY, else the project's node_modules."""
    if os.environ.get("PAGEFIND_BINARY"):
        return Path(os.environ["PAGEFIND_BINARY"])
    for path in sorted((project / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended*")):
        if path.suffix in ("", ".exe"):
            return path
    return None


def missing(project: Path) -> str | None:
    """Why the index can't be built here, in the editors' words; None when it can."""
    binary = executable(project)
    if binary is None:
        return f"缺少站内搜索工具 Pagefind（中文分词版），站点将无法搜索。请在项目目录运行：{INSTALL}"
    if not os.access(binary, os.X_OK):
        return f"站内搜索工具 Pagefind 无法运行（{binary}）。请在项目目录重新运行：{INSTALL}"
    return None


def command(project: Path, site_dir: Path) -> list[str]:
    return [str(executable(project)), "--site", str(site_dir), "--output-subdir", OUTPUT, "--silent"]


def build(project: Path, site_dir: Path) -> None:
    """Index `site_dir` in place; raises RuntimeError with Pagefind's own words on failure or a timeout."""
    timeout = _timeout()
    # Its own process group, so a timeout kills whatever it started too: a child left holding
    # the output pipes would keep communicate() waiting after the indexer itself is gone.
    proc = subprocess.Popen(
        command(project, site_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RuntimeError(
            f"站内搜索工具 Pagefind 运行超过 {timeout:g} 秒仍未结束，已被停止。"
            "请重试；若仍如此，请重新运行 bash scripts/setup.sh 安装 Pagefind。"
        ) from None
    if proc.returncode != 0:
        raise RuntimeError((stderr or stdout).strip() or f"exit {proc.returncode}")
    tidy(site_dir)


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV) or TIMEOUT)
    except ValueError:
        return TIMEOUT


def start(project: Path, site_dir: Path) -> subprocess.Popen:
    """Index in the background (used by `mkdocs serve`, so a page shows before search catches up)."""
    return subprocess.Popen(command(project, site_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tidy(site_dir: Path) -> None:
    out = Path(site_dir) / OUTPUT
    for pattern in UNUSED:
        for path in out.glob(pattern):
            path.unlink(missing_ok=True)
    shutil.rmtree(out / "playground", ignore_errors=True)
