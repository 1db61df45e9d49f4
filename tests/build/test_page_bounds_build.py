"""Hand-written pages bounded in a real build: a bracket flood builds with the link budget, a crowded page is
refused in Chinese. In-process: tests/unit/checks/test_page_bounds.py."""

from __future__ import annotations

from support.project import copy_project, mkdocs_build

FRONT = "---\ntitle: 测试页\n---\n\n# 测试页\n\n"  # five lines before the body starts on line 7


BODY_LINE = FRONT.count("\n") + 1


def test_build_of_a_bracket_flood_page_is_fast(tmp_path):
    project = copy_project(tmp_path / "project")
    flood = "[" * 17000  # took over a minute unbounded (tests/unit/checks/test_page_bounds.py FLOODS)
    (project / "content" / "flood.md").write_text(f"# 括号\n\n[首页](index.md)\n\n{flood}\n", encoding="utf-8")
    # The page alone took over a minute unbounded, the whole build takes seconds: that the hook gives MkDocs'
    # Markdown the link budget, and that the budget bounds the work, are counted in-process
    # (tests/unit/engine/test_hook_events.py, tests/unit/checks/test_page_bounds.py).
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "site" / "flood" / "index.html").read_text(encoding="utf-8")
    assert "[" * 1000 in html and 'href="../">首页</a>' in html


def test_build_refuses_a_crowded_page_in_chinese(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "content" / "crowded.md").write_text(FRONT + "a\n=\n" * 60, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"content/crowded.md:{BODY_LINE}: (文件): 从第 {BODY_LINE} 行起的一段" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "site").exists()
