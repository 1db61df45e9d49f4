"""scripts/new_record.py as an editor runs it, and scripts/check.py on what it writes. The id rules and files
in-process: tests/unit/test_new_record.py."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import new_record as nr
from support.project import ROOT, copy_project


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p")


SCRIPT = ROOT / "scripts" / "new_record.py"


GUIDE = ROOT / "content" / "contribute" / "index.md"


def run(*args, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def run_check(project) -> subprocess.CompletedProcess:
    return run(ROOT / "scripts" / "check.py", project)


def line_of(path, prefix: str) -> int:
    """1-based number of the first line of `path` that starts with `prefix`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(prefix))


def fill(path, *pairs) -> None:
    """Replace whole lines of `path`: each pair is (old line, new text)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for old, new in pairs:
        assert lines.count(old) == 1, (old, lines)
        lines[lines.index(old)] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def test_command_line_creates_and_prints_next_steps(project):
    result = run(SCRIPT, "studio", "张三创新工作室", "--project", project)
    assert result.returncode == 0, result.stderr
    assert "已创建：content/studios/zhangsan.yml" in result.stdout
    assert (
        "必填、但还空着的：organization（所在单位）、summary（一段话简介）、source.title（出处标题）。" in result.stdout
    )
    assert "python3 scripts/check.py" in result.stdout
    again = run(SCRIPT, "studio", "张三创新工作室", "--id", "zhangsan", "--project", project)
    assert again.returncode == 1
    assert "错误：content/studios/zhangsan.yml 已经存在，本程序不会覆盖它。" in again.stderr


def test_command_line_story_and_dry_run(project):
    dry = run(SCRIPT, "story", "以赛促学", "--studio", "hewang", "--dry-run", "--project", project)
    assert dry.returncode == 0, dry.stderr
    assert "将创建：content/stories/hewang-yisaicuxue.yml" in dry.stdout
    assert not (project / "content" / "stories" / "hewang-yisaicuxue.yml").exists()
    made = run(SCRIPT, "story", "以赛促学", "--studio", "hewang", "--project", project)
    assert made.returncode == 0, made.stderr
    assert "--studio hewang --id hewang-yisaicuxue" in made.stdout
    assert "必填、但还空着的：summary（导语）、body（正文）、source.title（出处标题）。" in made.stdout


def test_command_line_speaks_chinese():
    helped = run(SCRIPT, "--help")
    assert helped.returncode == 0
    assert helped.stdout.startswith("用法：")
    assert "按模板新建一条工作室或故事记录" in helped.stdout and "显示本说明并退出" in helped.stdout
    wrong = run(SCRIPT, "person", "张三")
    assert wrong.returncode == 2
    assert "错误：不认识的记录类型“person”，只能写 studio（工作室）或 story（故事）。" in wrong.stderr
    missing = run(SCRIPT, "studio")
    assert "错误：缺少参数：名称。" in missing.stderr
    studio_opt = run(SCRIPT, "studio", "张三创新工作室", "--studio", "hewang", "--dry-run")
    assert studio_opt.returncode == 1 and "--studio 只用于新建故事" in studio_opt.stderr


def test_checker_names_the_empty_required_fields_of_a_fresh_studio(project):
    path = nr.create_record(project, "studio", "张三创新工作室")
    rel = "content/studios/zhangsan.yml"
    result = run_check(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "内容检查发现 3 个问题，本次未生成网站（原有网站保持不变）："
    empty = "内容是空的：这是必填项，请在冒号后填写文字。"
    assert lines[1:] == [
        f"{rel}:{line_of(path, 'organization:')}:1: organization（所在单位）: {empty}",
        f"{rel}:{line_of(path, 'summary:')}:1: summary（一段话简介）: {empty}",
        f"{rel}:{line_of(path, '  title:')}:3: source.title（出处标题）: {empty}",
    ]
    fill(
        path,
        ("organization:", "organization: 测试单位（虚构）"),
        ("summary:", "summary: 这是一条虚构的测试记录。"),
        ("  title:", "  title: 测试出处"),
    )
    passed = run_check(project)
    assert passed.returncode == 0, passed.stderr
    assert "内容检查通过：12 个工作室" in passed.stdout


def test_checker_names_the_empty_required_fields_of_a_fresh_story(project):
    path = nr.create_record(project, "story", "测试故事：虚构", studio="hewang")
    rel = f"content/stories/{path.name}"
    result = run_check(project)
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(rel)]
    assert problems == [
        f"{rel}:{line_of(path, 'summary:')}:1: summary（导语）: 内容是空的：这是必填项，请在冒号后填写文字。",
        f"{rel}:{line_of(path, 'body: |')}:1: body（正文）: 不能为空：这是必填项，请填写内容。",
        f"{rel}:{line_of(path, '  title:')}:3: source.title（出处标题）: 内容是空的：这是必填项，请在冒号后填写文字。",
    ]
    assert len(result.stderr.splitlines()) == 4
    fill(
        path,
        ("summary:", "summary: 虚构的导语。"),
        ("body: |", "body: |\n  虚构的正文第一段。\n\n  ## 小标题\n\n  第二段。"),
        ("  title:", "  title: 测试出处"),
    )
    passed = run_check(project)
    assert passed.returncode == 0, passed.stderr
    assert "6 篇故事" in passed.stdout


def test_guide_shows_the_real_output_of_new_record(project):
    result = run(SCRIPT, "studio", "张三创新工作室", "--project", project)
    assert result.returncode == 0, result.stderr
    shown = re.search(r"(?ms)^```text\n(已创建：.*?)^```", GUIDE.read_text(encoding="utf-8"))
    assert shown, "编辑指南里应有 new_record.py 的输出示例"
    assert shown.group(1) == result.stdout


def test_command_line_warns_about_a_record_of_the_same_name(project):
    result = run(SCRIPT, "studio", "何旺创新工作室", "--project", project)
    assert result.returncode == 0, result.stderr
    assert "已创建：content/studios/hewang-2.yml" in result.stdout
    assert (
        "注意：content/studios/hewang.yml 的名称与此相同。如果是重复创建，请删除 content/studios/hewang-2.yml，改为编辑已有的文件。"
        in result.stdout
    )
