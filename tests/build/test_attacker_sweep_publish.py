"""Issue 10 once more, as an attacker and a careless editor, through real publishes of a published scratch project
(several hostile files per publish: every problem of a run is reported at once). The in-process half is
tests/unit/checks/test_attacker_sweep.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support.hostile import HOSTILE_HTML
from support.project import copy_project, publish, snapshot

MOBILE = "13800138000"


@pytest.fixture
def scratch(published, tmp_path) -> Path:
    return Path(shutil.copytree(published, tmp_path / "p", symlinks=True))


def refused(project: Path, before: dict[str, str], **env: str) -> str:
    result = publish(project, **env)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out and "发布失败" in out, out
    assert snapshot(project / "site") == before
    return result.stderr


def test_publish_refuses_every_hostile_file_at_once(scratch):
    before = snapshot(scratch / "site")
    content = scratch / "content"
    (content / "media").mkdir()
    (content / "media" / "a.html").write_bytes(b"<script>alert(1)</script>")
    (content / "media" / "a.svg").write_bytes(b"<svg><script>alert(1)</script></svg>")
    (content / "assets" / "javascripts").mkdir(parents=True)
    (content / "assets" / "javascripts" / "jx-search.js").write_bytes(b"alert(1)")
    (content / "assets" / "javascripts" / "jx-filters.js.md").write_bytes(b"# x\n")
    (content / "sitemap.xml.md").write_bytes(b"# x\n")
    (content / "passwd.md").symlink_to("/etc/passwd")
    (content / os.fsdecode(b"bad\xff.md")).write_bytes(b"# x\n")
    shutil.copy(content / "studios" / "hewang.yml", content / "studios" / f"{MOBILE}.yml")
    (content / "reports" / "notes.YML").write_bytes(b"a: 1\n")  # a record file name that is no year
    page = content / "contribute" / "index.md"
    page.write_bytes(b"---\ntitle: [\n---\n" + page.read_bytes().split(b"---\n", 2)[2])  # front matter that fails
    record = content / "studios" / "gaoqiang.yml"
    record.write_text(record.read_text(encoding="utf-8") + "photos:\n  - file: media/../../x.jpg\n    alt: 车间\n")
    config = scratch / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_author: 滨州市总工会", "site_author: 张三 138-0013-8000")
    )
    err = refused(scratch, before)
    for where in (
        "content/media/a.html:",
        "content/media/a.svg:",
        "content/assets/javascripts/jx-search.js:",
        "content/assets/javascripts/jx-filters.js.md:",
        "content/sitemap.xml.md:",
        "content/passwd.md:",
        "content/bad\\udcff.md:",
        f"content/studios/{MOBILE}.yml:",
        "content/reports/notes.YML:",
        "content/contribute/index.md:3:",
        "content/studios/gaoqiang.yml:",
        "mkdocs.yml:3:",
    ):
        assert where in err, f"{where}\n{err}"


def test_publish_refuses_every_hostile_element_of_a_page_with_its_line(scratch):
    before = snapshot(scratch / "site")
    page = scratch / "content" / "contribute" / "index.md"
    lines = page.read_text(encoding="utf-8").count("\n")
    # One a line; not the mXSS case: its unclosed <style> makes the rest of the page its text (refused as one).
    hostile = [
        t for t, _line, _words in HOSTILE_HTML.values() if "\n" not in t and "[r]" not in t and "<math>" not in t
    ]
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "\n\n".join(hostile) + "\n", encoding="utf-8")
    err = refused(scratch, before)
    found = [int(m.group(1)) for m in re.finditer(r"^content/contribute/index\.md:(\d+):", err, re.MULTILINE)]
    # All reported at once, each at its own line of the added text.
    assert len(set(found)) >= len(hostile) - 2 and all(line > lines for line in found), err


def test_publish_stays_whole_after_a_dangling_site_link_and_stale_folders(scratch):
    """Variants of the faults: the current release deleted by hand, staging folders of several killed runs."""
    current = Path(os.readlink(scratch / "site")).name
    before = snapshot(scratch / "site")
    shutil.rmtree(scratch / ".releases" / current)
    for stale in (".releases/.new-1-aaaa", ".releases/.new-2-bbbb", ".site-new-3", ".site-old-4"):
        (scratch / stale).mkdir(parents=True)
        (scratch / stale / "index.html").write_text("stale")
    result = publish(scratch)
    assert result.returncode == 0, result.stderr
    assert snapshot(scratch / "site") == before
    assert not list(scratch.glob(".site-*")) and not list((scratch / ".releases").glob(".new-*"))


def test_a_crashing_indexer_fails_the_publish_cleanly(scratch, tmp_path):
    before = snapshot(scratch / "site")
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n", encoding="utf-8")
    fake.chmod(0o755)
    err = refused(scratch, before, PAGEFIND_BINARY=str(fake))
    assert "站内搜索索引生成失败" in err


def test_site_url_builds_from_the_same_commit_are_identical_on_any_day(tmp_path):
    """Variant of the reproducibility case: publish.py (not mkdocs build), the commit time taken from git."""
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("# site_url:", "site_url: https://jx.example.org/"))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    dated = {**env, "GIT_AUTHOR_DATE": "2021-05-05T10:00:00Z", "GIT_COMMITTER_DATE": "2021-05-05T10:00:00Z"}
    subprocess.run([*git, "init", "-q"], cwd=project, check=True, env=env)
    subprocess.run([*git, "add", "content", "mkdocs.yml"], cwd=project, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "c"], cwd=project, check=True, env=dated)
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        first = publish(project)
        assert first.returncode == 0, first.stderr
        one = snapshot(project / "site")
        (project / "content" / "untracked-note.md").write_text("# 草稿\n", encoding="utf-8")
        (project / "content" / "untracked-note.md").unlink()  # touched, not committed: same date
        second = publish(project)
        assert second.returncode == 0, second.stderr
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    assert "<lastmod>2021-05-05</lastmod>" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert snapshot(project / "site") == one
