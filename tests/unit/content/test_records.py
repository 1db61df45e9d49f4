"""Loader and validation on good and bad records: exact (line, message) pairs, no MkDocs involved."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from jiangxin.content.loader import load_site, parse_record
from jiangxin.problems import Problem, report
from jiangxin.records.model import Studio
from support.project import ROOT

GOOD_STUDIO = """\
name: 测试创新工作室
organization: 测试单位（虚构）
level: municipal
designations:
  - level: municipal
    title: 市级劳模和工匠人才创新工作室
    year: 2024
leader:
  name: 张三
  honors:
    - 滨州工匠
team:
  core_members: 3
summary: 这是一条虚构的测试记录。
achievements:
  - type: patent
    patent_type: invention
    title: 授权发明专利
    count:
      value: 28
      unit: 项
source:
  title: 测试出处
"""


def problems_of(kind: str, text: str, record_id: str = "sample") -> list[tuple[int, str, str]]:
    item = parse_record(kind, textwrap.dedent(text).encode("utf-8"), f"content/x/{record_id}.yml", record_id)
    return [(p.line, p.field, p.message) for p in item.problems]


def test_good_studio_has_no_problems_and_typed_values():
    item = parse_record("studio", GOOD_STUDIO.encode(), "content/studios/sample.yml", "sample")
    assert item.problems == []
    assert item.value["designations"][0]["year"] == 2024
    assert item.value["achievements"][0]["count"]["value"] == 28
    assert item.value["team"]["core_members"] == 3


def test_unquoted_number_in_a_text_field_stays_text():
    text = GOOD_STUDIO.replace("name: 测试创新工作室", "name: 010").replace("name: 张三", "name: no")
    item = parse_record("studio", text.encode(), "content/studios/sample.yml", "sample")
    assert item.problems == []
    assert item.value["name"] == "010"
    assert item.value["leader"]["name"] == "no"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("level: municipal\n", "level: city\n"),
            (
                3,
                "level（级别）",
                "“city”不是可选的值，请从以下选一个：national、provincial、municipal、county（national 国家级 / provincial 省级 / municipal 市级 / county 县级）。",
            ),
        ),
        (
            ("    year: 2024\n", '    year: "2024"\n'),
            (
                7,
                "designations[0].year（年份）",
                "类型不对：这里应填整数（不带引号，如 2024），现在是“2024”。".replace("如 2024", "如 2025"),
            ),
        ),
        (
            ("  core_members: 3\n", "  core_members: 三\n"),
            (13, "team.core_members（核心成员人数）", "类型不对：这里应填整数（不带引号，如 2025），现在是“三”。"),
        ),
        (
            ("summary: 这是一条虚构的测试记录。\n", "sumary: 这是一条虚构的测试记录。\n"),
            (14, "sumary", "未知字段“sumary”。是不是想写“summary”？"),
        ),
        (("  name: 张三\n", "  nam: 张三\n"), (9, "leader.nam", "未知字段“nam”。是不是想写“name”？")),
        (
            ("      value: 28\n", "      value: -1\n"),
            (20, "achievements[0].count.value（数值）", "数值 -1 超出范围：不能小于 0。"),
        ),
    ],
)
def test_one_bad_field(change, expected):
    text = GOOD_STUDIO.replace(*change)
    assert text != GOOD_STUDIO
    found = problems_of("studio", text)
    assert expected in found, found


def test_missing_required_fields_named_each():
    found = problems_of("studio", "name: 只有名称\n")
    assert {(f, m) for _, f, m in found} == {
        ("organization（所在单位）", "缺少必填字段，请补上这一项。"),
        ("summary（一段话简介）", "缺少必填字段，请补上这一项。"),
        ("source（事实出处）", "缺少必填字段，请补上这一项。"),
    }


def test_duplicate_key_names_both_lines():
    found = problems_of("studio", GOOD_STUDIO + "name: 第二个名称\n")
    assert (24, "name", "字段重复：第 1 行已有“name”，请删去其中一个。") in found


def test_full_width_colon_points_at_its_line():
    text = GOOD_STUDIO.replace("summary: 这是", "summary：这是")
    assert problems_of("studio", text) == [(14, "", "这一行用了中文冒号“：”，请改为英文冒号“:”，并在其后加一个空格。")]


def test_impossible_date():
    story = "title: 标题\nstudio: sample\nsummary: 导语\nbody: 正文\ndate: 2025-13-45\nsource:\n  title: 出处\n"
    assert problems_of("story", story) == [
        (5, "date（日期）", "日期“2025-13-45”不存在或格式不对，请写成 年-月-日，如 2025-05-01。")
    ]


def test_gbk_file_is_recognised():
    raw = GOOD_STUDIO.encode("gbk")
    item = parse_record("studio", raw, "content/studios/sample.yml", "sample")
    assert len(item.problems) == 1
    assert "文件不是 UTF-8 编码。看起来是 GBK/GB2312 编码" in item.problems[0].message


def test_bom_and_crlf_are_accepted():
    raw = b"\xef\xbb\xbf" + GOOD_STUDIO.replace("\n", "\r\n").encode("utf-8")
    assert parse_record("studio", raw, "content/studios/sample.yml", "sample").problems == []


def test_anchor_and_alias_are_refused():
    text = GOOD_STUDIO.replace("organization: 测试单位（虚构）", "organization: &org 测试单位") + "industry: *org\n"
    found = problems_of("studio", text)
    assert (2, "", "不支持锚点（&org），请删去它，把内容直接写出来。") in found
    assert (24, "", "不支持引用（*org），请把内容直接写出来。") in found
    assert len(found) == 2, found


def test_report_year_must_match_file_name():
    text = "year: 2024\ntitle: 标题\nfigures:\n  - {metric: patents, label: 专利, value: 1, unit: 项, period: 2024年, group: achievements}\nsource: {title: 出处}\n"
    assert problems_of("report", text, "2025") == [
        (1, "year（年份）", "年份 2024 与文件名 2025.yml 不一致，请让两者相同。")
    ]


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_all_problems_of_all_files_at_once(tmp_path):
    docs = tmp_path / "content"
    write(docs / "studios", "good.yml", GOOD_STUDIO)
    write(docs / "studios", "Bad Name.yml", GOOD_STUDIO)
    write(docs / "studios", "typo.yml", GOOD_STUDIO.replace("level: municipal", "level: 市级"))
    write(
        docs / "stories",
        "lost.yml",
        "title: 标题\nstudio: nowhere\nsummary: 导语\nbody: 正文\nsource:\n  title: 出处\n",
    )
    site, problems = load_site(docs, tmp_path)
    places = sorted((p.path, p.line) for p in problems)
    assert places == [
        ("content/stories/lost.yml", 2),
        ("content/studios/Bad Name.yml", 0),
        ("content/studios/typo.yml", 3),
        ("content/studios/typo.yml", 5),
    ]
    assert "找不到编号为“nowhere”的工作室" in report(problems)
    assert [s.id for s in site.studios] == ["good"]


def test_missing_photo_is_reported(tmp_path):
    docs = tmp_path / "content"
    write(docs / "studios", "pic.yml", GOOD_STUDIO + "photos:\n  - file: media/none.jpg\n    alt: 工作室外景\n")
    _, problems = load_site(docs, tmp_path)
    assert [(p.line, p.field) for p in problems] == [(25, "photos[0].file（图片文件）")]


def test_problem_renders_as_path_line_field_message():
    p = Problem("content/studios/a.yml", 12, 3, "leader.name", "必填字段缺失", code="schema.required")
    assert str(p) == "content/studios/a.yml:12:3: leader.name: 必填字段缺失"
    # The code is for tools and tests, never shown; the file-level form names no field.
    assert (
        str(Problem.file("content/media/x.svg", "file.refused-type", "不发布")) == "content/media/x.svg: (文件): 不发布"
    )


def test_sample_content_is_valid_and_complete():
    site, problems = load_site(ROOT / "content", ROOT)
    assert problems == []
    leaders = {s.leader for s in site.studios if s.leader}
    assert {"何旺", "孔孔泉", "丁树立", "任长博", "吴立国", "高强", "王井峰"} <= leaders
    orgs = " ".join(s.get("organization") for s in site.studios)
    for company in ("鲁北化工", "魏桥纺织", "渤海活塞", "京博"):
        assert company in orgs
    assert len(site.stories) >= 4
    assert site.latest_report.year == 2025
    assert all(isinstance(s, Studio) for s in site.studios)
    assert all(s.get("source") for s in (*site.studios, *site.stories, *site.reports))


@pytest.mark.parametrize("char", ["\\x7f", "\\x85", "\\u2028", "\\x1b"])
def test_control_characters_are_refused(char):
    text = GOOD_STUDIO.replace("summary: 这是一条虚构的测试记录。", f'summary: "这是{char}记录"')
    assert problems_of("studio", text) == [
        (14, "summary（一段话简介）", "含有看不见的控制字符（多半是从别处复制来的），请删去这段文字后重新输入。")
    ]
