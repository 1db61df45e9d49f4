"""Shared fixtures: a real site built from the real content, served on 127.0.0.1, and a real browser.

Every test belongs to exactly one tier, a marker set here at collection:

- ``unit``: in-process, no MkDocs build and no subprocess (pure builders, the loader, hook
  events on a `load_config`'d temporary project); seconds in all: ``pytest -m unit``.
- ``build``: real `mkdocs build` / `scripts/*.py` runs in subprocesses: ``pytest -m build``.
- ``browser``: drives a built site in headless Chromium: ``pytest -m browser``.

A test is ``browser`` when it uses the `browser` fixture, ``build`` when it uses a fixture
that builds a site; one that runs builds or scripts itself says so with
``@pytest.mark.build`` (a ``unit`` test that starts a subprocess fails, see `_unit_spawns_nothing`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import CHROMIUM, CHROMIUM_ARGS, serve
from jiangxin.content.loader import load_site
from jiangxin.problems import report
from jiangxin.records.model import Site

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "hooks", "overrides", "content")
# Added to the environment of every MkDocs (or script running MkDocs) subprocess: no
# Material end-of-life banner, no Python warnings mixed into the output the tests read.
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}

TIERS = ("unit", "build", "browser")
# Fixtures (directly or through others) that build a site with MkDocs in a subprocess.
BUILD_FIXTURES = frozenset({"built_site", "published", "built", "variant", "instant_site_url"})


def pytest_collection_modifyitems(config, items):
    """Give every test its one tier marker; refuse a test marked with two, or marked below what it uses."""
    errors = []
    for item in items:
        marked = [name for name in TIERS if item.get_closest_marker(name)]
        uses = set(item.fixturenames)
        needs = "browser" if "browser" in uses else "build" if uses & BUILD_FIXTURES else "unit"
        if len(marked) > 1:
            errors.append(f"{item.nodeid}: more than one tier {marked}")
        elif marked and TIERS.index(marked[0]) < TIERS.index(needs):
            errors.append(f"{item.nodeid}: marked {marked[0]} but uses a {needs} fixture")
        elif not marked:
            item.add_marker(needs)
    if errors:
        raise pytest.UsageError("\n".join(errors))


@pytest.fixture(autouse=True)
def _unit_spawns_nothing(request, monkeypatch):
    """A `unit` test runs in-process: starting a subprocess (a build, a script) fails it."""
    if request.node.get_closest_marker("unit"):

        def refuse(*args, **kwargs):
            raise AssertionError("a unit test started a subprocess: mark it @pytest.mark.build")

        monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
        # The hook dates a build by the content's last commit (`git log`) unless this is set.
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "315532800")


def mkdocs_env() -> dict[str, str]:
    """The environment of a MkDocs subprocess: this one's (as tests changed it), quietened."""
    return {**os.environ, **QUIET_MKDOCS}


@functools.cache
def load_real_site() -> Site:
    """The real content, loaded once per test process; it must load without a single problem."""
    site, problems = load_site(ROOT / "content", ROOT)
    assert not problems, report(problems)
    return site


@pytest.fixture(scope="session")
def real_site() -> Site:
    """The real content as the loader reads it (see `load_real_site`)."""
    return load_real_site()


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content built once into a temporary folder; returns its `site/`."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def build_log(built_site) -> str:
    """Output of a second strict build of the same project (for warning checks)."""
    result = mkdocs_build(built_site.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served over HTTP on 127.0.0.1 (a random free port)."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} 不存在：请先运行 bash scripts/setup.sh 安装 chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


def read_search_index(site: Path) -> dict[str, dict]:
    """The pages Pagefind indexed: site path (``studios/hewang/``) → title and text.

    Each `pagefind/fragment/*.pf_fragment` is gzip of ``pagefind_dcd`` + JSON. The
    text is the page's plain text as Pagefind read it, zero-width word breaks removed.
    """
    import gzip
    import json

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


@pytest.fixture(scope="session")
def search_docs(built_site) -> dict[str, dict]:
    return read_search_index(built_site)
