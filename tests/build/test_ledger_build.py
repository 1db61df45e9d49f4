"""The ledger script as an editor runs it: template → fill in → import → a strict build; export → import on a clone."""

from __future__ import annotations

import subprocess
import sys

import openpyxl

from support.project import ROOT, copy_project, mkdocs_build, mkdocs_env

SCRIPT = ROOT / "scripts" / "ledger.py"


def ledger(project, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args), "--project", str(project)],
        capture_output=True, text=True, env=mkdocs_env(), timeout=300,
    )  # fmt: skip


def fill(path, sheet, values):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = [str(c.value).rstrip("*") for c in ws[1]]
    ws.append([values.get(h) for h in header])
    wb.save(path)


def test_template_fill_import_and_build(tmp_path):
    project = copy_project(tmp_path / "project")
    book = tmp_path / "台账.xlsx"
    made = ledger(project, "template", book)
    assert made.returncode == 0, made.stderr
    fill(
        book,
        "工作室",
        {
            "工作室名称": "张三创新工作室",
            "所在单位": "测试单位",
            "级别": "市级",
            "一段话简介": "测试用的简介。",
            "出处标题": "测试出处",
        },
    )
    fill(
        book,
        "难题攻关",
        {"工作室名称": "张三创新工作室", "类别": "专利", "名称": "授权专利", "数量": "30余项", "年份": "2025年3月"},
    )
    check = ledger(project, "import", book, "--check")
    assert check.returncode == 0, check.stderr
    assert "新建 1 条" in check.stdout and not (project / "content/studios/zhangsan.yml").exists()
    done = ledger(project, "import", book)
    assert done.returncode == 0, done.stderr
    assert "approx: 余" in (project / "content/studios/zhangsan.yml").read_text(encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (project / "site/studios/zhangsan/index.html").is_file()


def test_export_then_import_leaves_git_clean(tmp_path):
    project = copy_project(tmp_path / "project")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "content"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "sample"], cwd=project, check=True)
    book = tmp_path / "导出.xlsx"
    out = ledger(project, "export", book)
    assert out.returncode == 0, out.stderr
    again = ledger(project, "export", book)
    assert again.returncode == 1 and "不会覆盖" in again.stderr
    back = ledger(project, "import", book)
    assert back.returncode == 0, back.stderr
    assert "新建 0 条，修改 0 条" in back.stdout
    status = subprocess.run(["git", "status", "--porcelain", "content"], cwd=project, capture_output=True, text=True)
    assert status.stdout == ""


def test_a_refused_import_prints_every_problem_and_exits_1(tmp_path):
    project = copy_project(tmp_path / "project")
    book = tmp_path / "台账.xlsx"
    assert ledger(project, "template", book).returncode == 0
    fill(
        book,
        "工作室",
        {"工作室名称": "张三创新工作室", "级别": "国家", "一段话简介": "电话 13800138000", "出处标题": "测试出处"},
    )
    result = ledger(project, "import", book)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "台账检查发现 3 个问题，没有写入任何文件："
    assert any(line.startswith(f"{book} 工作室!H2: level（级别）: “国家”不是可选的值") for line in lines)
    assert any(line.startswith(f"{book} 工作室!N2: summary（一段话简介）: 含有个人信息") for line in lines)
    assert any(line.startswith(f"{book} 工作室!C2: organization（所在单位）: 缺少必填字段") for line in lines)
    assert not (project / "content/studios/zhangsan.yml").exists()
