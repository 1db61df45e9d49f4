"""Records flooded with personal numbers or with list items are answered quickly (issue 10: within a
second), measured as work done rather than seconds, so that the bounds hold on a busy machine: function
calls per byte of the record (support.work), and what each stage did (text scanned, problems built,
events read), which the old code failed however fast the machine."""

from __future__ import annotations

import pytest
import yaml

from jiangxin.checks import privacy, validate, yamlsource
from jiangxin.checks.yamlsource import MAX_FIELD_SCALARS, MAX_NODES, MAX_REPARSE_EVENTS
from jiangxin.content.loader import parse_record
from support.project import ROOT
from support.work import calls

# Function calls per byte of the record: at most 5 for the floods and 13 for a list at the limit (every
# item validated); a check that slices or rescans the text per item makes a number that grows with the
# size of the record, thousands per byte for these.
CALLS_PER_BYTE = 20
PATH = "content/studios/x.yml"
MOBILE = "13800138000"
ID = "371602198506151233"  # fictional, valid check character (tests/unit/checks/test_privacy_spellings.py)
TOO_MANY = f"这一项的内容太多（超过 {MAX_FIELD_SCALARS} 项文字），一条记录用不到这么多：请删去多余的项；"


def counted(raw: bytes, kind: str = "studio") -> tuple[list[str], float]:
    """The record's problems, and the calls its parse made per byte of it."""
    parse_record(kind, b"name: x\n", PATH, "x")  # the schema is compiled once per process
    parsed, work = calls(parse_record, kind, raw, PATH, "x")
    return [str(p) for p in parsed.problems], work / len(raw)


# Personal numbers ------------------------------------------------------------------------------

NUMBER_FLOODS = {
    "40,000 mobiles": f"summary: {f'{MOBILE} ' * 40_000}\n",
    "25,000 ID numbers": f"summary: {f'{ID} ' * 25_000}\n",
    "34,000 mobiles in spaced groups": f"summary: {'138 0013 8000 ' * 34_000}\n",
    "36,000 mobiles in a literal block": "summary: |\n" + f"  {MOBILE}\n" * 36_000,
    "20,000 mobiles in single quotes": f"summary: '{f'{MOBILE}，' * 20_000}'\n",
}


@pytest.mark.parametrize("text", NUMBER_FLOODS.values(), ids=NUMBER_FLOODS.keys())
def test_a_record_flooded_with_numbers_is_scanned_once_and_capped(text, scanned, problems_built):
    # 1.5–1.9 s before (scanned twice, a Problem per number); about 0.4 s after.
    raw = text.encode()
    problems, per_byte = counted(raw)
    assert per_byte < CALLS_PER_BYTE, per_byte
    assert sum(scanned) <= len(text) + 100, "the file's text is scanned once, its parsed values not again"
    # The counter sees the loader's problems (the capped personal-number ones are its own), and no more.
    assert validate.MAX_PROBLEMS // 2 <= len(problems_built) <= validate.MAX_PROBLEMS + 10, len(problems_built)
    found = len(privacy.scan(raw.decode()))
    assert found >= 20_000
    assert len(problems) == validate.MAX_PROBLEMS + 1
    schema = [p for p in problems[:-1] if "个人信息" not in p]
    assert len(schema) == 4 and "太长了" in schema[0]  # and three fields missing
    # Every number is still counted.
    left = len(schema) + found - validate.MAX_PROBLEMS
    assert problems[-1].endswith(f"还有 {left} 个问题未列出；请先改正列出的这些，再检查一遍。"), problems[-1]


def test_a_flood_after_a_syntax_error_is_counted_without_building_every_problem(problems_built):
    problems, per_byte = counted(f"summary: {f'{MOBILE} ' * 30_000}\nbad: [\n".encode())
    assert per_byte < CALLS_PER_BYTE, per_byte
    assert len(problems_built) <= validate.MAX_PROBLEMS + 10
    assert problems[-1].endswith("还有 29951 个问题未列出；请先改正列出的这些，再检查一遍。"), problems[-1]


ESCAPED = {
    "a \\u escape": '"\\u0031' + MOBILE[1:] + '"',
    "an \\x escape": '"\\x31' + MOBILE[1:] + '"',
    "a quoted string over two lines": '"138 0013\n  8000"',
    "a folded line": ">\n  138-0013\n  -8000",
    "a plain scalar over two lines": "138-0013\n  -8000",
    "a literal block": "|\n  电话\n  " + MOBILE,
}


@pytest.mark.parametrize("value", ESCAPED.values(), ids=ESCAPED.keys())
def test_numbers_only_the_parsed_value_or_the_text_shows_are_still_found(value):
    problems, _ = counted(f"summary: {value}\n".encode())
    assert [p for p in problems if "手机号码 138****8000" in p], problems


def test_a_number_written_out_is_reported_once():
    problems, _ = counted(f"summary: |\n  电话\n  {MOBILE}\nname: '{ID}'\n".encode())
    assert len([p for p in problems if "个人信息" in p]) == 2, problems


# Long lists and mappings -----------------------------------------------------------------------

LIST_FLOODS = {
    # The shape: ~2.2 s (4.7 s on a busy machine) before, most of it parser, builder and schema.
    "250,000 items in a flow list": ("keywords: [" + "a, " * 170_000 + "a]\n", "2:1: keywords（搜索关键词）: "),
    "250,000 unspaced items": ("keywords: [" + "a," * 250_000 + "a]\n", "2:1: keywords（搜索关键词）: "),
    "120,000 items in a block list": ("keywords:\n" + "- a\n" * 120_000, "2:1: keywords（搜索关键词）: "),
    "80,000 keys in a flow mapping": ("x: {" + "a: b, " * 80_000 + "}\n", "2:1: x: "),
    "100,000 lists of one item": ("keywords: [" + "[a], " * 100_000 + "]\n", "2:1: keywords（搜索关键词）: "),
    "an unclosed list of 100,000 items": ("keywords: [" + "a," * 100_000 + "\n", "2:1: keywords（搜索关键词）: "),
}


@pytest.mark.parametrize(("text", "where"), LIST_FLOODS.values(), ids=LIST_FLOODS.keys())
def test_a_field_of_too_many_texts_is_refused_while_reading(text, where, events):
    problems, per_byte = counted(("name: 某工作室\n" + text).encode())
    assert per_byte < CALLS_PER_BYTE, per_byte
    # The stream stops at the first text past the limit, and only the fast parser ran.
    assert list(events) == [yamlsource.FAST_LOADER.__name__]
    assert sum(events.values()) < 4 * MAX_FIELD_SCALARS  # a list of one text is three events
    assert problems == [f"{PATH}:{where}{TOO_MANY}确实需要这么多时，请拆成几条记录。"]


def test_a_list_at_the_limit_is_read():
    text = "keywords: [" + ", ".join(f"k{i}" for i in range(MAX_FIELD_SCALARS - 1)) + "]\n"  # and the key
    problems, per_byte = counted(text.encode())
    assert per_byte < CALLS_PER_BYTE, per_byte
    assert not [p for p in problems if "太多" in p] and problems, problems
    over = "keywords: [" + ", ".join(f"k{i}" for i in range(MAX_FIELD_SCALARS)) + "]\n"
    assert counted(over.encode())[0] == [
        f"{PATH}:1:1: keywords（搜索关键词）: {TOO_MANY}确实需要这么多时，请拆成几条记录。"
    ]


def test_a_list_at_the_top_of_the_file_is_refused_while_reading():
    problems, per_byte = counted(("- a\n" * 100_000).encode())
    assert per_byte < CALLS_PER_BYTE, per_byte
    assert problems == [
        f"{PATH}:5001:3: (文件): 这里的内容太多（超过 {MAX_FIELD_SCALARS} 项），一条记录用不到这么多：请删去多余的项。"
    ]


def test_a_file_of_too_many_values_is_refused_at_the_value_past_the_limit(events):
    problems, per_byte = counted(("name: x\nphotos: [" + "{}, " * 120_000 + "]\n").encode())
    assert per_byte < CALLS_PER_BYTE, per_byte
    column = len("photos: [") + 4 * (MAX_NODES - 5) + 1  # after the root, `name`, `x`, `photos`, the list
    assert problems == [
        f"{PATH}:2:{column}: (文件): 文件里的内容太多（超过 {MAX_NODES} 项），一条记录用不到这么多："
        "请删去多余的内容，或拆成几条记录。"
    ]
    assert sum(events.values()) < 2 * MAX_NODES + 10


def test_a_late_syntax_error_in_a_long_file_is_not_parsed_twice_in_full(events):
    # 2.4 s before: the slow parser read all 80,000 values again for its wording.
    problems, per_byte = counted(("".join(f"k{i}: 1\n" for i in range(40_000)) + "bad: [\n").encode())
    assert per_byte < CALLS_PER_BYTE, per_byte
    assert events.get("SafeLoader", 0) <= MAX_REPARSE_EVENTS + 1
    assert len(problems) == 1 and problems[0].startswith(f"{PATH}:40002:1: (文件): YAML 格式错误"), problems


def test_a_short_file_with_a_syntax_error_keeps_the_slow_parsers_wording():
    problems, _ = counted('name: x\nsummary: "没有结束\n'.encode())
    assert problems == [
        f"{PATH}:2:10: (文件): 引号没有配对：从这一行开始的引号一直没有结束，请补上结尾的引号（中文内容里的引号请用中文引号“”）。"
    ]


def test_the_sample_records_are_far_below_the_limits():
    for path in sorted((ROOT / "content").glob("*/*.yml")):
        found = list(yaml.parse(path.read_text(encoding="utf-8"), Loader=yamlsource.FAST_LOADER))
        assert len(found) < MAX_NODES // 100, path
        assert sum(isinstance(e, yaml.ScalarEvent) for e in found) < MAX_FIELD_SCALARS // 10, path
