"""Fixtures and hooks of the three tiers; the code the tests share is the `support` package.

Every test belongs to exactly one tier, the folder it lives in, which sets its marker:

- ``tests/unit/``: in-process and starting no process at all (no subprocess, no fork, no
  multiprocessing): pure builders, the loader, hook events on a `load_config`'d scratch
  project. ``pytest tests/unit`` or ``pytest -m unit``: under a minute.
- ``tests/build/``: real MkDocs builds (``mkdocs build`` in a subprocess, or MkDocs' own
  `build()` in-process) and the project's scripts run as an editor runs them.
- ``tests/browser/``: a built site driven in headless Chromium.

A test that uses a fixture above its tier is refused at collection; a unit test that starts a
process fails (`_unit_starts_no_process`). All tests share one photo cache (`photo_cache`).
"""

from __future__ import annotations

import _posixsubprocess
import multiprocessing.process
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiangxin.content import photos
from jiangxin.records.model import Site
from support.harness import CHROMIUM, CHROMIUM_ARGS, serve
from support.project import copy_project, load_real_site, mkdocs_build, publish, read_search_index

TESTS = Path(__file__).resolve().parent
TIERS = ("unit", "build", "browser")
# Fixtures (directly or through others) that build a site with MkDocs in a subprocess.
BUILD_FIXTURES = frozenset({"built_site", "published", "built", "variant", "instant_site_url"})
# Every way this process could start another one: subprocess (and os.popen), fork and the
# spawn functions built on it, posix_spawn, os.system, and multiprocessing (pools included).
PROCESS_STARTS = (
    (subprocess.Popen, "__init__"),
    (_posixsubprocess, "fork_exec"),
    (os, "fork"),
    (os, "forkpty"),
    (os, "posix_spawn"),
    (os, "posix_spawnp"),
    (os, "system"),
    (multiprocessing.process.BaseProcess, "start"),
)


def pytest_collection_modifyitems(config, items):
    """Give every test the tier of its folder; refuse one outside the tiers' folders, one that says its
    tier with a marker (the folder says it), or one that uses a fixture above its tier."""
    errors = []
    for item in items:
        rel = Path(item.path).resolve().relative_to(TESTS)
        tier = rel.parts[0] if len(rel.parts) > 1 else None
        uses = set(item.fixturenames)
        needs = "browser" if "browser" in uses else "build" if uses & BUILD_FIXTURES else "unit"
        if tier not in TIERS:
            errors.append(f"{item.nodeid}: not in tests/unit, tests/build or tests/browser")
        elif marked := [name for name in TIERS if item.get_closest_marker(name)]:
            errors.append(f"{item.nodeid}: marked {marked}, but the folder is the tier (tests/{tier}/)")
        elif TIERS.index(tier) < TIERS.index(needs):
            errors.append(f"{item.nodeid}: in tests/{tier}/ but uses a {needs} fixture")
        else:
            item.add_marker(tier)
    if errors:
        raise pytest.UsageError("\n".join(errors))


@pytest.fixture(autouse=True)
def _unit_starts_no_process(request, monkeypatch):
    """A `unit` test runs in this process: starting any other (a build, a script, a pool) fails it."""
    if request.node.get_closest_marker("unit"):

        def refuse(*args, **kwargs):
            raise AssertionError("a unit test started a process: it belongs in tests/build/")

        for owner, name in PROCESS_STARTS:
            monkeypatch.setattr(owner, name, refuse)
        # The hook dates a build by the content's last commit (`git log`) unless this is set.
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "315532800")


@pytest.fixture(scope="session", autouse=True)
def photo_cache(tmp_path_factory) -> Iterator[Path]:
    """One photo cache for the whole session ($JX_PHOTO_CACHE, inherited by every build and script
    subprocess), filled once with the real content's images: a loader call or a build on a copied
    project then finds them processed instead of encoding them again in a process pool.

    Filled one image after another (`photos.prepare` is only the pool that warms the cache ahead of
    those same calls), so that even this starts no process.
    """
    cache = tmp_path_factory.mktemp("jx-photos")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JX_PHOTO_CACHE", str(cache))
        with pytest.MonkeyPatch.context() as one_by_one:
            one_by_one.setattr(photos, "prepare", lambda jobs, cache: None)
            load_real_site()
        yield cache


@pytest.fixture(scope="session")
def real_site() -> Site:
    """The real content as the loader reads it (see `load_real_site`)."""
    return load_real_site()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real content built once into a temporary folder; returns its `site/`."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """A copy of the real project published once, cleanly, by scripts/publish.py. Tests that change it work on
    a copy (`shutil.copytree(published, dest, symlinks=True)`)."""
    project = copy_project(tmp_path_factory.mktemp("published") / "p")
    result = publish(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def build_log(built_site) -> str:
    """Output of a second strict build of the same project (for warning checks)."""
    result = mkdocs_build(built_site.parent)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
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


@pytest.fixture(scope="session")
def search_docs(built_site) -> dict[str, dict]:
    return read_search_index(built_site)
