"""The Publisher's release switching in-process, on prebuilt site folders (no build): stopped before any of
its filesystem steps, `site` is the old site or the new one and the next run repairs what was left; rollback;
MkDocs' output explained. The same through a real build and a real SIGKILL: tests/build/test_publish_faults.py."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from jiangxin.engine.mkdocsyml import Config
from jiangxin.problems import Stop
from jiangxin.release.publish import RELEASES, Publisher, relay
from support.project import leftovers, snapshot

OLD, NEW = "<p>旧版</p>", "<p>新版</p>"


class Stopped(BaseException):
    """Raised at the chosen step. No step of a release runs inside a `try`, so what the run leaves on disk
    is what a kill there leaves."""


def stop_at(step: int):
    def on_step(n: int) -> None:
        if n == step:
            raise Stopped(step)

    return on_step


def staged(project: Path, text: str) -> Path:
    """A built site in a staging folder of `project`'s releases, as a build leaves it."""
    folder = project / RELEASES / f".new-{len(list(project.glob(f'{RELEASES}/*')))}"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def page(project: Path) -> str:
    return (project / "site" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_nginx_reload(monkeypatch):
    monkeypatch.delenv("JX_NGINX_RELOAD", raising=False)


@pytest.fixture
def released(tmp_path) -> Path:
    """A project whose `site` is release 1, the old site."""
    project = tmp_path / "released"
    project.mkdir()
    assert Publisher(project).release(staged(project, OLD)) == 0
    assert (project / "site").is_symlink() and page(project) == OLD
    return project


def start(released: Path, dest: Path, how: str) -> Path:
    project = Path(shutil.copytree(released, dest, symlinks=True))
    if how == "folder":  # a site/ folder as the former publish.py left it
        (project / "site").unlink()
        shutil.copytree(released / "site", project / "site")
        shutil.rmtree(project / RELEASES)
    if how == "two releases":  # this release then also removes the oldest one
        assert Publisher(project).release(staged(project, OLD)) == 0
    return project


@pytest.mark.parametrize("how", ["symlink", "folder", "two releases"])
def test_a_release_stopped_at_any_step_leaves_a_whole_site(released, tmp_path, how):
    stopped = []
    for step in range(1, 40):
        project = start(released, tmp_path / f"p{step}", how)
        try:
            Publisher(project, on_step=stop_at(step)).release(staged(project, NEW))
        except Stopped:
            stopped.append(step)
            assert page(project) in (OLD, NEW), f"step {step}: site is neither old nor new"
            # The next publish first repairs what was left, then releases again.
            again = Publisher(project)
            again.recover()
            assert again.release(staged(project, NEW)) == 0
        else:
            break
        assert page(project) == NEW and (project / "site").is_symlink(), f"step {step}"
        assert leftovers(project) == [], f"step {step}"
    else:
        pytest.fail("the release never finished")
    assert len(stopped) >= {"symlink": 5, "folder": 6, "two releases": 6}[how], stopped
    assert page(project) == NEW and leftovers(project) == []


def test_recover_brings_back_a_missing_site_and_clears_what_killed_runs_left(released):
    Publisher(released).release(staged(released, NEW))
    (released / "site").unlink()  # killed in the one instant without `site` (no RENAME_EXCHANGE)
    staged(released, "<p>半成品</p>")
    (released / ".site-link-9").symlink_to(f"{RELEASES}/1")
    Publisher(released).recover()
    assert page(released) == NEW
    assert leftovers(released) == []


def test_a_site_folder_becomes_the_previous_release(released):
    shutil.rmtree(released / RELEASES)
    (released / "site").unlink()
    (released / "site").mkdir()
    (released / "site" / "index.html").write_text(OLD, encoding="utf-8")
    before = snapshot(released / "site")
    publisher = Publisher(released)
    publisher.release(staged(released, NEW))
    assert page(released) == NEW
    assert publisher.previous() is not None
    assert snapshot(released / RELEASES / str(publisher.previous())) == before


def test_rollback_returns_the_previous_release_once(released, capsys):
    Publisher(released).release(staged(released, NEW))
    assert Publisher(released).rollback() == 0
    assert page(released) == OLD
    assert "已恢复上一版" in capsys.readouterr().out
    with pytest.raises(Stop, match="没有可恢复的上一版网站"):
        Publisher(released).rollback()
    assert page(released) == OLD


def test_the_policy_map_is_written_beside_the_release(released):
    (released / "nginx-csp.conf").unlink()
    staging = staged(released, "<p>新版</p><script>var a = 1;</script>")
    Publisher(released).release(staging)
    conf = (released / "nginx-csp.conf").read_text(encoding="utf-8")
    assert conf.startswith("# Generated") and "'sha256-" in conf


def test_mkdocs_output_is_relayed_with_chinese_lines_and_a_traceback_as_two(capsys):
    config = Config(docs_dir="content", key_lines={"site_autor": 4}, nav_lines={})
    lines = [
        "INFO    -  Cleaning site directory\n",
        "WARNING -  Config value 'site_autor': Unrecognised configuration name: site_autor\n",
        "Traceback (most recent call last):\n",
        '  File "mkdocs/commands/build.py", line 1, in build\n',
        "OSError: [Errno 28] No space left on device: 'site/index.html'\n",
    ]
    relay(io.StringIO("".join(lines)), config)
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [lines[0].rstrip(), lines[1].rstrip()]
    assert err[2].startswith("mkdocs.yml:4: site_autor: ")
    assert err[3] == lines[-1].rstrip() and err[4].startswith("磁盘空间已满") and len(err) == 5
