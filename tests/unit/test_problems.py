"""One way to say wrong (jiangxin.problems): a Problem with a code beside its Chinese message, and Stop."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from jiangxin.problems import AREAS, CODE, Problem, Stop, report

ROOT = Path(__file__).resolve().parents[2]
# Calls whose argument at this index is a problem code.
CODE_CALLS = {"because": 0, "Refused": 0, "file": 1, "report": 1, "problem": 2}
LOOKS = re.compile(r"[\x21-\x7e]+\.[\x21-\x7e]+")  # a dotted word (a message is Chinese)
FILE_NAME = re.compile(r".*\.(?:ya?ml|md|py|js|css|html|json|csv|svg|png|jpe?g|txt)")


def _codes_in_source() -> tuple[dict[str, str], dict[str, str]]:
    """Codes written out in the package and the scripts (`code=…`, `Problem.file(…)`, `Stop.because(…)` …), and
    every other text that starts like one (an area and a dot), with where each is."""
    placed, other = {}, {}
    for path in [*(ROOT / "hooks").rglob("*.py"), *(ROOT / "scripts").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # The parts of f-strings are no codes ("schema." of f"schema.{code}").
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if id(node) in parts:
                continue
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                values = [k.value for k in node.keywords if k.arg == "code"]
                if name in CODE_CALLS and len(node.args) > CODE_CALLS[name]:
                    values.append(node.args[CODE_CALLS[name]])
                for value in values:
                    if (
                        isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                        and LOOKS.fullmatch(value.value)
                    ):
                        placed[value.value] = where
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                area, dot, _ = node.value.partition(".")
                if dot and area in AREAS and not FILE_NAME.fullmatch(node.value) and " " not in node.value:
                    other[node.value] = where
    return placed, other


def test_every_code_in_the_source_is_in_the_vocabulary():
    placed, other = _codes_in_source()
    assert len(placed) > 80 and {"yaml.duplicate-key", "privacy.file-name", "new.exists"} <= set(placed)
    wrong = {
        code: where
        for code, where in {**other, **placed}.items()
        if not CODE.fullmatch(code) or code.split(".")[0] not in AREAS
    }
    assert wrong == {}


def test_a_problem_without_a_known_area_is_refused():
    with pytest.raises(ValueError, match="area"):
        Problem("a.yml", code="nowhere.at-all")
    with pytest.raises(ValueError):
        Problem("a.yml", code="yaml.Duplicate_Key")
    with pytest.raises(TypeError):
        Problem("a.yml", 1, 1, "", "没有代码")  # type: ignore[call-arg]


def test_the_editors_line_does_not_show_the_code():
    problem = Problem("content/studios/a.yml", 12, 3, "leader.name", "必填字段缺失", code="schema.required")
    assert str(problem) == "content/studios/a.yml:12:3: leader.name: 必填字段缺失"
    assert str(Problem.file("content/x\nmd", "file.unreadable-name", "乱码")) == "content/x\\nmd: (文件): 乱码"
    assert Problem("/a/", 0, 0, "content/a.md", "第 3 行有 <base> 标签", code="built.refused-tag").brief() == (
        "/a/（content/a.md）: 第 3 行有 <base> 标签"
    )
    assert Problem.file("", "tool.cms-missing", "缺少程序包").brief() == "缺少程序包"


def test_reports_are_sorted_by_place_whatever_the_code():
    later = Problem("b.yml", 1, 0, "", "乙", code="yaml.anchor")
    first = Problem("a.yml", 9, 0, "", "甲", code="yaml.tag")
    same_place = Problem("a.yml", 9, 0, "", "甲", code="yaml.alias")
    assert sorted([later, first, same_place]) == [same_place, first, later]
    assert (
        report([later, first])
        == "内容检查发现 2 个问题，本次未生成网站（原有网站保持不变）：\na.yml:9: (文件): 甲\nb.yml:1: (文件): 乙"
    )


def test_a_stop_reads_as_the_report_or_as_its_heading_and_places():
    problems = [
        Problem("b.yml", 1, 0, "", "乙", code="yaml.anchor"),
        Problem("a.yml", 2, 0, "f", "甲", code="yaml.tag"),
    ]
    assert str(Stop(problems)) == report(problems)
    assert [p.path for p, _ in Stop(problems).lines()] == ["a.yml", "b.yml"]
    headed = Stop(problems, heading="生成的页面里有不安全的内容，已停止发布：")
    assert (
        str(headed) == "生成的页面里有不安全的内容，已停止发布：\nb.yml:1: 乙\na.yml:2（f）: 甲"
    )  # in the order found
    assert str(Stop.because("publish.no-previous", "没有可恢复的上一版网站。")) == "没有可恢复的上一版网站。"
    assert Stop(problems).codes == ["yaml.anchor", "yaml.tag"]
