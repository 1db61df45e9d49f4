"""The editors' checker: same messages as the build, exit code for CI and pre-commit."""

from __future__ import annotations

import subprocess
import sys

from support.project import ROOT, copy_project


def run_check(project) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), str(project)], capture_output=True, text=True, timeout=60
    )


def test_check_passes_on_sample_content():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stderr
    assert "内容检查通过：11 个工作室" in result.stdout


def test_check_lists_every_problem_and_fails(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "content" / "studios" / "new.yml").write_text("name: 新工作室\nlevel: 省\n", encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "内容检查发现 4 个问题，本次未生成网站（原有网站保持不变）："
    assert "content/studios/new.yml:2:1: level（级别）: “省”不是可选的值" in result.stderr
    assert sum(line.startswith("content/studios/new.yml:") for line in lines) == 4
