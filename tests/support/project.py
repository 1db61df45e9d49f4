"""The project as the tests handle it: scratch copies, the real content loaded once, builds and scripts run
as an editor runs them, folders compared byte for byte."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from jiangxin.content.loader import load_site
from jiangxin.problems import report
from jiangxin.records.model import Site

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PARTS = ("mkdocs.yml", "hooks", "overrides", "content")
# Added to the environment of every MkDocs (or script running MkDocs) subprocess: no
# Material end-of-life banner, no Python warnings mixed into the output the tests read.
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def mkdocs_env() -> dict[str, str]:
    """The environment of a MkDocs subprocess: this one's (as tests changed it), quietened."""
    return {**os.environ, **QUIET_MKDOCS}


@functools.cache
def load_real_site() -> Site:
    """The real content, loaded once per test process; it must load without a single problem."""
    site, problems = load_site(ROOT / "content", ROOT)
    assert not problems, report(problems)
    return site


def copy_project(dest: Path) -> Path:
    """A scratch copy of the project (config, hooks, templates, content) in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    # Node packages (Pagefind's binary) as a checkout has them after scripts/setup.sh.
    if (ROOT / "node_modules").is_dir() and not (dest / "node_modules").exists():
        (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return dest


def scratch_project(dest: Path) -> Path:
    """mkdocs.yml and content/ copied (cases edit them); hooks, templates and node_modules linked."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    for part in ("hooks", "overrides", "node_modules"):
        if (ROOT / part).exists():
            (dest / part).symlink_to(ROOT / part, target_is_directory=True)
    return dest


def run_script(script: Path, project: Path, **env: str) -> subprocess.CompletedProcess:
    """Run one of `scripts/*.py` on `project` as an editor would; `env` is added to the environment."""
    return subprocess.run(
        [sys.executable, str(script), str(project)],
        capture_output=True,
        text=True,
        env={**mkdocs_env(), **env},
        timeout=300,
    )


def publish(project: Path, **env: str) -> subprocess.CompletedProcess:
    """The real `scripts/publish.py` on `project`."""
    return run_script(ROOT / "scripts" / "publish.py", project, **env)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (through a `site` symlink) and its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(project: Path) -> list[str]:
    """Staging folders, temp links and releases beyond the current and the previous one."""
    left = [p.name for p in project.glob(".site-*")]
    releases = project / ".releases"
    left += [p.name for p in releases.glob(".new-*")]
    numbers = sorted(int(p.name) for p in releases.iterdir() if p.name.isdigit())
    current = int(Path(os.readlink(project / "site")).name)
    others = [n for n in numbers if n != current]
    if len(others) > 1 or any(n > current for n in others):
        left.append(f"releases {numbers}, current {current}")
    return left


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` in `project`; output is captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        env=mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def read_search_index(site: Path) -> dict[str, dict]:
    """The pages Pagefind indexed: site path (``studios/hewang/``) → title and text.

    Each `pagefind/fragment/*.pf_fragment` is gzip of ``pagefind_dcd`` + JSON. The
    text is the page's plain text as Pagefind read it, zero-width word breaks removed.
    """
    docs = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        fragment = json.loads(raw[len(b"pagefind_dcd") :])
        docs[fragment["url"].lstrip("/")] = {
            "title": fragment["meta"].get("title", ""),
            "text": fragment["content"].replace("\u200b", ""),
        }
    assert docs, f"no Pagefind index in {site}"
    return docs
