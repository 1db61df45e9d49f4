"""MkDocs' English warnings followed by a Chinese line in a real `mkdocs build`, counted once under strict mode,
and printed once by scripts/publish.py. The explanations themselves: tests/unit/engine/test_chinese_warnings.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from support.project import QUIET_MKDOCS, ROOT, copy_project, mkdocs_build

ENGLISH = "Doc file 'about.md' contains a link 'signup.md', but the target is not found among documentation files."


CHINESE = "content/about.md: 链接 signup.md 指向的页面不存在"


LINK = "见[报名方法](signup.md)。"


@pytest.fixture(scope="module")
def broken_link(tmp_path_factory):
    """The real project with one hand-written page linking a page that does not exist."""
    project = copy_project(tmp_path_factory.mktemp("warn"))
    (project / "content" / "about.md").write_text(f"# 关于\n\n{LINK}\n", encoding="utf-8")
    return project


def test_mkdocs_build_prints_the_chinese_line_after_the_english_one(broken_link):
    result = mkdocs_build(broken_link)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("WARNING") and ENGLISH in line)
    assert lines[at + 1].startswith(CHINESE), result.stderr
    assert sum(line.startswith("WARNING") for line in lines) == 1, result.stderr
    assert sum(CHINESE in line for line in lines) == 1, result.stderr
    # Counted once: the Chinese line is written, not logged.
    assert "Aborted with 1 warnings in strict mode!" in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_publish_prints_the_chinese_line_once(broken_link):
    """publish.py explains MkDocs' lines itself; the hook's identical line is not repeated."""
    env = {**os.environ, **QUIET_MKDOCS}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "publish.py"), str(broken_link)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if ENGLISH in line)
    assert lines[at + 1].startswith(CHINESE), result.stderr
    assert sum(CHINESE in line for line in lines) == 1, result.stderr
