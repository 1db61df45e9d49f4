"""Faults around publishing: a kill at every step, a second publish, a full or read-only disk, a hung
indexer, builds on different days, a broken mkdocs.yml and links to missing pages. Each through the real
scripts/publish.py (or check.py) in a subprocess; the published site is compared byte for byte."""

from __future__ import annotations

import calendar
import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.project import ROOT, copy_project, leftovers, mkdocs_build, mkdocs_env, run_script, snapshot

PUBLISH = ROOT / "scripts" / "publish.py"
CHECK = ROOT / "scripts" / "check.py"
# scripts/publish.py's run in a process that SIGKILLs itself just before its N-th filesystem step, through
# the Publisher's fault-injection point (`on_step`).
KILLED_AT = """
import os, signal, sys
from pathlib import Path
from jiangxin.release.publish import run
step = int(sys.argv[2])
sys.exit(run(Path(sys.argv[1]), on_step=lambda n: n == step and os.kill(os.getpid(), signal.SIGKILL)))
"""


def publish_killed_at(project: Path, step: int, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLED_AT, str(project), str(step)],
        capture_output=True,
        text=True,
        env={**mkdocs_env(), "PYTHONPATH": str(ROOT / "hooks"), **env},
        timeout=300,
    )


def plain_project(path: Path, text: str, big: int = 0) -> Path:
    """A minimal real MkDocs project (no hooks): builds in a second, so publish can be run many times."""
    (path / "docs").mkdir(parents=True)
    (path / "mkdocs.yml").write_text("site_name: t\nstrict: true\nplugins: []\n", encoding="utf-8")
    (path / "docs" / "index.md").write_text(f"# {text}\n", encoding="utf-8")
    if big:
        (path / "docs" / "big.bin").write_bytes(os.urandom(big))
    return path


@pytest.fixture(scope="module")
def plain_sites(tmp_path_factory):
    """Trees of the old and the new content as publish builds them, and a project published with the old."""
    base = tmp_path_factory.mktemp("plain")
    old = plain_project(base / "old", "旧版")
    assert run_script(PUBLISH, old, SOURCE_DATE_EPOCH="1700000000").returncode == 0
    new = plain_project(base / "new", "新版")
    assert run_script(PUBLISH, new, SOURCE_DATE_EPOCH="1700000000").returncode == 0
    return old, snapshot(old / "site"), snapshot(new / "site")


@pytest.mark.parametrize("start", ["symlink", "folder", "two releases"])
def test_a_kill_at_every_step_leaves_a_whole_site(plain_sites, tmp_path, start):
    """SIGKILL right before each filesystem step of a publish; `site` is always the old or the new site."""
    published, old_tree, new_tree = plain_sites
    assert old_tree != new_tree
    killed_at = []
    for step in range(1, 40):
        project = tmp_path / f"p{step}"
        shutil.copytree(published, project, symlinks=True)
        if start == "folder":  # a site/ folder as the former publish.py left it
            (project / "site").unlink()
            shutil.copytree(published / "site", project / "site")
            shutil.rmtree(project / ".releases")
        if start == "two releases":  # this publish then also removes the oldest one
            assert run_script(PUBLISH, project, SOURCE_DATE_EPOCH="1700000000").returncode == 0
        (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
        result = publish_killed_at(project, step, SOURCE_DATE_EPOCH="1700000000")
        if result.returncode == 0:
            break
        assert result.returncode == -9, result.stderr
        killed_at.append(step)
        assert snapshot(project / "site") in (old_tree, new_tree), f"step {step}: site is neither old nor new"
        again = run_script(PUBLISH, project, SOURCE_DATE_EPOCH="1700000000")
        assert again.returncode == 0, f"step {step}: {again.stderr}"
        assert snapshot(project / "site") == new_tree
        assert (project / "site").is_symlink()
        assert leftovers(project) == [], f"step {step}"
    else:
        pytest.fail("publish never finished")
    assert len(killed_at) >= {"symlink": 6, "folder": 7, "two releases": 7}[start], killed_at
    assert snapshot(project / "site") == new_tree
    assert leftovers(project) == []


def test_a_site_left_in_site_old_by_the_former_publish_comes_back_first(plain_sites, tmp_path):
    """The former publish.py, killed between its two renames, left no site/ and the old one in .site-old-*/."""
    published, old_tree, new_tree = plain_sites
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True, ignore=shutil.ignore_patterns("site", ".releases"))
    shutil.copytree(published / "site", project / ".site-old-x7" / "site")
    (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
    killed = publish_killed_at(project, 2)  # right after the first step
    assert killed.returncode == -9
    assert snapshot(project / "site") == old_tree
    assert run_script(PUBLISH, project, SOURCE_DATE_EPOCH="1700000000").returncode == 0
    assert snapshot(project / "site") == new_tree
    assert leftovers(project) == []


def test_rollback_returns_the_previous_release(plain_sites, tmp_path):
    published, old_tree, new_tree = plain_sites
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
    assert run_script(PUBLISH, project, SOURCE_DATE_EPOCH="1700000000").returncode == 0
    assert snapshot(project / "site") == new_tree
    back = subprocess.run(
        [sys.executable, str(PUBLISH), "--rollback", str(project)], capture_output=True, text=True, timeout=60
    )
    assert back.returncode == 0, back.stderr
    assert "已恢复上一版" in back.stdout
    assert snapshot(project / "site") == old_tree


def test_a_second_publish_waits_for_the_first(plain_sites, tmp_path):
    published, old_tree, _ = plain_sites
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
    with open(project / ".publish.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running publish holds it
        result = run_script(PUBLISH, project)
    assert result.returncode == 75
    assert "另一次发布正在进行" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == old_tree


@contextlib.contextmanager
def small_disk(path: Path, size: str):
    """A tmpfs of `size` mounted at `path` (root only; skipped elsewhere)."""
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def assert_failed_cleanly(result: subprocess.CompletedProcess, *words: str) -> None:
    log = result.stdout + result.stderr
    assert result.returncode not in (0, -9), log
    assert "Traceback" not in log, log
    assert "原有的 site/ 保持不变" in log, log
    for word in words:
        assert word in log, log


def test_a_full_disk_fails_in_chinese_and_keeps_the_site(tmp_path):
    with small_disk(tmp_path / "disk", "9m") as disk:  # one release of ~5 MB fits, two do not
        project = plain_project(disk / "p", "旧版", big=3 * 1024 * 1024)
        assert run_script(PUBLISH, project).returncode == 0
        before = snapshot(project / "site")
        (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
        result = run_script(PUBLISH, project)
        assert_failed_cleanly(result, "磁盘空间已满")
        assert snapshot(project / "site") == before
        assert not list((project / ".releases").glob(".new-*"))  # the space is given back
        (project / "docs" / "big.bin").unlink()
        assert run_script(PUBLISH, project).returncode == 0


def test_a_read_only_disk_fails_in_chinese_and_keeps_the_site(tmp_path):
    with small_disk(tmp_path / "disk", "9m") as disk:  # one release of ~5 MB fits, two do not
        project = plain_project(disk / "p", "旧版")
        assert run_script(PUBLISH, project).returncode == 0
        before = snapshot(project / "site")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = run_script(PUBLISH, project)
        assert_failed_cleanly(result, "只读")
        assert snapshot(project / "site") == before


@contextlib.contextmanager
def immutable(path: Path):
    """`chattr +i`: not even root may rename, delete or add entries (skipped where unsupported)."""
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_project_folder_without_write_permission(plain_sites, tmp_path):
    published, old_tree, _ = plain_sites
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
    with immutable(project / ".releases"):
        result = run_script(PUBLISH, project)
    assert_failed_cleanly(result, "没有权限")
    assert snapshot(project / "site") == old_tree


def test_a_site_folder_that_cannot_be_moved(plain_sites, tmp_path):
    """An old-style site/ folder that may not be renamed: the publish fails, the folder stays published."""
    published, old_tree, _ = plain_sites
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    (project / "site").unlink()
    shutil.copytree(published / "site", project / "site")
    (project / "docs" / "index.md").write_text("# 新版\n", encoding="utf-8")
    with immutable(project / "site"):
        result = run_script(PUBLISH, project)
        assert_failed_cleanly(result, "没有权限")
        assert not (project / "site").is_symlink()
        assert snapshot(project / "site") == old_tree
    again = run_script(PUBLISH, project)  # once it may be moved, the leftovers of the failed run go too
    assert again.returncode == 0, again.stderr
    assert leftovers(project) == []


# The indexer --------------------------------------------------------------------------------


def copy_published(published: Path, dest: Path) -> Path:
    shutil.copytree(published, dest, symlinks=True)
    return dest


def test_a_hung_indexer_is_stopped_and_the_publish_fails(published, tmp_path):
    project = copy_published(published, tmp_path / "p")
    before = snapshot(project / "site")
    pidfile = tmp_path / "pagefind.pid"
    fake = tmp_path / "pagefind"
    # The shell's `sleep` child holds the output pipes too: the whole group must go. Left running, it
    # would hold the publish past run_script's hang guard (300 s; the publish itself takes seconds).
    fake.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {pidfile}\nwait\n", encoding="utf-8")
    fake.chmod(0o755)
    result = run_script(PUBLISH, project, PAGEFIND_BINARY=str(fake), JX_PAGEFIND_TIMEOUT="2")
    assert_failed_cleanly(result, "Pagefind 运行超过 2 秒仍未结束")
    assert snapshot(project / "site") == before
    status = Path(f"/proc/{int(pidfile.read_text())}/status")
    for _ in range(600):  # the killed `sleep` is an orphan: init reaps it soon after (hang guard: 30 s)
        if not status.exists() or "zombie" in status.read_text():
            break
        time.sleep(0.05)
    assert not status.exists() or "zombie" in status.read_text()


# Reproducible builds -----------------------------------------------------------------------


def epoch(day: str) -> str:
    return str(calendar.timegm(time.strptime(day, "%Y-%m-%d %H:%M")))


def lastmods(site: Path) -> set[str]:
    return set(re.findall(r"<lastmod>([^<]*)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8")))


def test_builds_on_different_days_are_identical(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("# site_url:", "site_url: https://jx.example.org/"))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True, env=env)
    subprocess.run([*git, "add", "content", "mkdocs.yml"], cwd=project, check=True, env=env)
    dated = {**env, "GIT_AUTHOR_DATE": "2024-03-05T10:00:00Z", "GIT_COMMITTER_DATE": "2024-03-05T10:00:00Z"}
    subprocess.run([*git, "commit", "-q", "-m", "c"], cwd=project, check=True, env=dated)

    def build(dest: str, **extra: str) -> Path:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        os.environ.update(extra)
        try:
            result = mkdocs_build(project, "-d", dest)
        finally:
            for key in extra:
                os.environ.pop(key, None)
        assert result.returncode == 0, result.stderr
        return project / dest

    from_git = build("s1")  # no SOURCE_DATE_EPOCH: the content's last commit, not today
    assert lastmods(from_git) == {"2024-03-05"}
    later_that_day = build("s2", SOURCE_DATE_EPOCH=epoch("2024-03-05 23:59"))
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (from_git / name).read_bytes() == (later_that_day / name).read_bytes(), name
    assert snapshot(from_git) == snapshot(later_that_day)
    assert lastmods(build("s3", SOURCE_DATE_EPOCH=epoch("2030-01-02 08:00"))) == {"2030-01-02"}
    shutil.rmtree(project / ".git")
    outside_git = build("s4")
    assert lastmods(outside_git) == {"1980-01-01"}


# Careless editors --------------------------------------------------------------------------

BROKEN_CONFIG = [
    ("unclosed quote", 'site_name: "匠心滨州\n', "mkdocs.yml:1:", "引号没有配对"),
    ("tab", "theme:\n\tname: material\n", "mkdocs.yml:2:", "Tab"),
    ("indentation", "theme:\n  name: material\n   custom_dir: overrides\n", "mkdocs.yml:3:", "缩进不对"),
]


@pytest.mark.parametrize(("name", "head", "where", "what"), BROKEN_CONFIG, ids=[c[0] for c in BROKEN_CONFIG])
def test_a_broken_mkdocs_yml_is_reported_in_chinese(published, tmp_path, name, head, where, what):
    project = copy_published(published, tmp_path / "p")
    before = snapshot(project / "site")
    rest = (project / "mkdocs.yml").read_text(encoding="utf-8")
    rest = re.sub(r"(?m)^(site_name|theme):.*\n(  .*\n)*", "", rest)
    (project / "mkdocs.yml").write_text(head + rest, encoding="utf-8")
    for result in (run_script(PUBLISH, project), run_script(CHECK, project)):
        log = result.stdout + result.stderr
        assert result.returncode == 1, log
        assert "Traceback" not in log
        line = next((line for line in log.splitlines() if line.startswith(where)), None)
        assert line and what in line, log
    assert snapshot(project / "site") == before


def test_a_link_to_a_missing_page_is_explained(published, tmp_path):
    project = copy_published(published, tmp_path / "p")
    before = snapshot(project / "site")
    (project / "content" / "about.md").write_text("# 关于\n\n见[报名方法](signup.md)。\n", encoding="utf-8")
    result = run_script(PUBLISH, project)
    assert_failed_cleanly(result)
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/about.md: 链接 signup.md 指向的页面不存在") for line in lines), result.stderr
    assert any("Doc file 'about.md' contains a link 'signup.md'" in line for line in lines)  # the original too
    assert snapshot(project / "site") == before


def test_an_unknown_setting_is_explained_with_its_line(published, tmp_path):
    project = copy_published(published, tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("strict: true\n", "strict: true\nsite_autor: 滨州市总工会\n"), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("site_autor: 滨州市总工会") + 1
    result = run_script(PUBLISH, project)
    assert_failed_cleanly(result)
    assert f"mkdocs.yml:{line}: site_autor: 不是 MkDocs 的设置" in result.stderr
