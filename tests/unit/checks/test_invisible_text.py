"""Invisible characters in published text: bidi controls, zero-width and other format characters, noncharacters.

Requirement (issue 10, Trojan-source style): a record's free text and a hand-written page refuse
every character that makes published text read otherwise than it says, each with a Chinese
`path:line` message that names the fix (删去这段文字后重新输入); ordinary Chinese text,
emoji and ideographic variation selectors still pass.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest

from jiangxin.checks import file_policy, page_policy, validate
from jiangxin.content.loader import load_site
from jiangxin.records import catalogue
from jiangxin.text import CONTROL, INVISIBLE
from support.project import ROOT

FIX = "请删去这段文字后重新输入。"
# One of each class: (character, what the message calls it).
BIDI = "看不见的文字方向控制符"
HIDDEN = "看不见的特殊字符"
CHARS = {
    "right-to-left override": ("\u202e", BIDI),
    "left-to-right embedding": ("\u202a", BIDI),
    "pop directional formatting": ("\u202c", BIDI),
    "left-to-right isolate": ("\u2066", BIDI),
    "pop directional isolate": ("\u2069", BIDI),
    "right-to-left mark": ("\u200f", BIDI),
    "Arabic letter mark": ("\u061c", BIDI),
    "zero-width space": ("\u200b", HIDDEN),
    "zero-width joiner": ("\u200d", HIDDEN),
    "word joiner": ("\u2060", HIDDEN),
    "byte order mark inside text": ("\ufeff", HIDDEN),
    "soft hyphen": ("\u00ad", HIDDEN),
    "interlinear annotation": ("\ufff9", HIDDEN),
    "tag character": ("\U000e0041", HIDDEN),
    "noncharacter U+FFFE": ("\ufffe", HIDDEN),
    "noncharacter U+FFFF": ("\uffff", HIDDEN),
    "noncharacter U+FDD0": ("\ufdd0", HIDDEN),
}
# PyYAML's reader refuses these raw in a file (yamlsource reports them as control characters);
# in a record they arrive through a "\u" escape.
RAW_UNREADABLE = {"\ufffe", "\uffff"}
PASSES = [
    "张三创新工作室（滨城区）",
    "“金点子”——30余项，超11.15亿元。",
    "全角：１２３，ＡＢＣ",
    "👍🏽 ❤️",  # emoji, a skin tone and a variation selector (not format characters; a ZWJ sequence is refused)
    "葛\U000e0100",  # an ideographic variation selector: the exact glyph of a name
    "tab\tand\nline feed",
]

RECORD = """\
name: 张三创新工作室{name}
organization: 测试单位
summary: 简介{summary}
leader:
  name: 张三
  honors:
    - 滨州工匠{honor}
description: |
  第一段。

  第二段{description}
source:
  title: 出处
"""
# Where each field of RECORD is reported: (line, column, field as the message names it).
AT = {
    "name": (1, 1, "name（工作室名称）"),
    "summary": (3, 1, "summary（一段话简介）"),
    "honor": (7, 7, "leader.honors[0]（荣誉称号）"),
    "description": (8, 1, "description（详细介绍）"),
}


def escaped(char: str) -> str:
    """The character as a YAML double-quoted escape."""
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def problems_of(project: Path) -> list[str]:
    _, problems = load_site(project / "content", project)
    return [str(p) for p in problems]


def write_record(project: Path, **fields: str) -> str:
    values = {key: fields.get(key, "") for key in ("name", "summary", "honor", "description")}
    (project / "content" / "studios" / "zhangsan.yml").write_text(RECORD.format(**values), encoding="utf-8")
    return "content/studios/zhangsan.yml"


# ------------------------------------------------------------------ the definition


def test_the_three_free_text_definitions_share_one_pattern():
    defs = catalogue.documents()["common.schema.json"]["$defs"]
    assert defs["text"]["pattern"] == defs["paragraph"]["pattern"] == defs["markdown"]["pattern"]


def test_the_schema_pattern_and_the_message_regexes_agree_on_every_character():
    """What the schema refuses is what `_translate` explains (CONTROL, else INVISIBLE), and the reverse."""
    pattern = re.compile(catalogue.documents()["common.schema.json"]["$defs"]["text"]["pattern"])
    differ = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF
        and (pattern.search(chr(code)) is None) != bool(CONTROL.match(chr(code)) or INVISIBLE.match(chr(code)))
    ]
    assert not differ, differ[:20]


def test_every_format_character_and_the_noncharacters_are_refused():
    """Unicode's whole Cf category (this Python's Unicode version), not a hand-picked list."""
    refused = INVISIBLE
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and not refused.match(chr(code))
    ]
    assert not missing, missing
    for code in [*range(0xFDD0, 0xFDF0), 0xFFFE, 0xFFFF]:
        assert refused.match(chr(code)), f"U+{code:04X}"


@pytest.mark.parametrize("text", PASSES)
def test_ordinary_text_passes(text):
    pattern = catalogue.documents()["common.schema.json"]["$defs"]["text"]["pattern"]
    assert re.search(pattern, text)
    assert not page_policy.check_invisible(text, "content/x.md")


def test_the_published_schema_is_valid_json_with_escapes_only():
    """Characters past U+FFFF are written as escapes: the file itself holds nothing invisible."""
    raw = (catalogue.SCHEMA_DIR / "common.schema.json").read_text(encoding="utf-8")
    assert not page_policy.REFUSED_TEXT.search(raw)
    assert json.loads(raw)["$defs"]["text"]["pattern"].startswith("^[^")


# ------------------------------------------------------------------ records


@pytest.mark.parametrize(("char", "what"), CHARS.values(), ids=CHARS.keys())
def test_each_character_is_refused_in_a_record_field(project, char, what):
    if char in RAW_UNREADABLE:
        rel = write_record(project, name=char)
        assert f"{rel}:1:14: (文件): 含有看不见的控制字符（U+{ord(char):04X}" in "\n".join(problems_of(project))
        return
    rel = write_record(project, name=char)
    found = problems_of(project)
    expected = f"{rel}:1:1: name（工作室名称）: 含有{what}（U+{ord(char):04X}，在“张三创新工作室”之后"
    assert [p for p in found if p.startswith(expected) and p.endswith(FIX)], found


@pytest.mark.parametrize(("char", "what"), CHARS.values(), ids=CHARS.keys())
def test_each_character_is_refused_when_written_as_an_escape(project, char, what):
    (project / "content" / "studios" / "zhangsan.yml").write_text(
        f'name: "张三{escaped(char)}工作室"\norganization: 测试单位\nsummary: 简介\nsource:\n  title: 出处\n',
        encoding="utf-8",
    )
    found = problems_of(project)
    expected = f"content/studios/zhangsan.yml:1:1: name（工作室名称）: 含有{what}（U+{ord(char):04X}，在“张三”之后"
    assert [p for p in found if p.startswith(expected) and p.endswith(FIX)], found


@pytest.mark.parametrize("field", AT)
def test_every_kind_of_free_text_field_refuses_them(project, field):
    """One line of text, a paragraph, a list item and a Markdown body."""
    rel = write_record(project, **{field: "\u202e"})
    line, col, name = AT[field]
    found = problems_of(project)
    assert [p for p in found if p.startswith(f"{rel}:{line}:{col}: {name}: 含有{BIDI}（U+202E")], found
    assert len(found) == 1, found


def test_a_record_without_them_passes(project):
    write_record(project)
    assert problems_of(project) == []


def test_the_message_names_the_first_bidi_control_over_other_characters():
    message = validate.invisible_message("付款\u200b给\n对方\u202e0001")
    assert message.startswith(f"含有{BIDI}（U+202E，在“付款给 对方”之后）")


# ------------------------------------------------------------------ hand-written pages


@pytest.mark.parametrize(("char", "what"), CHARS.values(), ids=CHARS.keys())
def test_each_character_is_refused_in_a_page_at_its_line_and_column(char, what):
    text = f"---\ntitle: 页面\n---\n\n# 标题\n\n第一段{char}文字。\n"
    found = [str(p) for p in page_policy.check_invisible(text, "content/contribute/index.md")]
    assert len(found) == 1, found
    assert found[0].startswith(
        f"content/contribute/index.md:7:4: (文件): 含有{what}（U+{ord(char):04X}，在“第一段”之后"
    )
    assert found[0].endswith(FIX)


@pytest.mark.parametrize(("char", "words"), [("\x01", "看不见的控制字符（U+0001"), ("\u2028", "特殊的换行符（U+2028")])
def test_control_characters_and_yaml_line_breaks_are_refused_in_a_page(char, words):
    found = [str(p) for p in page_policy.check_invisible(f"# 标题\n\n文{char}字\n", "content/index.md")]
    assert found == [f"content/index.md:3:2: (文件): 含有{words}，多半是从别处复制来的），{FIX}"]


def test_front_matter_and_every_line_is_checked_up_to_ten():
    text = "---\ntitle: 页\u202e面\n---\n" + "行\u200b\n" * 12
    found = [str(p) for p in page_policy.check_invisible(text, "content/x.md")]
    assert found[0].startswith(f"content/x.md:2:9: (文件): 含有{BIDI}（U+202E")
    assert [int(p.split(":")[1]) for p in found[:10]] == [2, *range(4, 13)]
    assert found[10] == "content/x.md:12: (文件): 另有 3 行含有同样的字符，请一并删去。"
    assert len(found) == 11


def test_a_page_is_refused_through_the_loader(project):
    page = project / "content" / "contribute" / "index.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines[9] += "\u2066"
    page.write_text("\n".join(lines), encoding="utf-8")
    found = problems_of(project)
    assert found == [f"content/contribute/index.md:10:{len(lines[9])}: (文件): " + validate.invisible_message(lines[9])]
    assert "U+2066" in found[0]


def test_a_file_name_with_a_bidi_control_is_refused(project):
    (project / "content" / "contribute" / "x\u202egpj.md").write_text("# 页面\n", encoding="utf-8")
    found = problems_of(project)
    assert len(found) == 1 and "网址会与看到的名字不同" in found[0] and "U+202E" in found[0], found


def test_the_real_pages_pass_the_check():
    """The sample content and the editors' guide, whose examples name these characters without holding them."""
    inventory = file_policy.check_tree(ROOT / "content", ROOT)
    assert inventory.problems == []
    assert "content/contribute/index.md" in {rel for rel, _ in inventory.pages}
    for rel, text in inventory.pages:
        assert page_policy.check_invisible(text, rel) == [], rel
