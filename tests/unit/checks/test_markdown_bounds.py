"""Markdown fields that would make Python-Markdown slow or recurse too deep are refused at load time,
with a Chinese `path:line: field: message`; what passes renders quickly; a file's problems are capped."""

from __future__ import annotations

import random
import re

import pytest

from jiangxin.checks import bounds, validate
from jiangxin.checks.bounds import MAX_MARKER_LINES, MAX_NESTING
from jiangxin.content.loader import parse_record
from jiangxin.site.markup import render
from support.project import ROOT
from support.work import calls

STORY = "content/stories/renchangbo-mentoring.yml"
# Bounds on work counted (support.work), not seconds, so that they hold on a busy machine: function calls
# per byte of a record's load, per character of a field's render (measured: at most 12 and 52).
LOAD_CALLS_PER_BYTE = 20
RENDER_CALLS_PER_CHAR = 150
LIMIT = 20_000  # maxLength of a Markdown field (common.schema.json)
BODY_LINE = 8  # `body: |` in the story above


def fill(unit: str, length: int = LIMIT) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def with_body(text: str) -> bytes:
    """The sample story with its body replaced by `text` (a literal block; `2`: its first line may be indented)."""
    story = (ROOT / STORY).read_text(encoding="utf-8")
    block = "".join(f"  {line}\n" if line.strip(" ") else "\n" for line in text.split("\n"))
    story, count = re.subn(r"body: \|\n(?:  .*\n|\n)+", lambda _: "body: |2\n" + block, story, count=1)
    assert count == 1
    return story.encode()


def load(raw: bytes) -> tuple[list[str], float]:
    """The record's problems, and the calls its parse made per byte of it."""
    item, work = calls(parse_record, "story", raw, "content/stories/x.yml", "x")
    return [str(p) for p in item.problems], work / len(raw)


def counted_render(text: str) -> tuple[str, float]:
    """The HTML of `text`, and the calls the conversion made per character of it."""
    html, work = calls(render.__wrapped__, text)  # not the cache: every test measures a real conversion
    return str(html), work / len(text)


CROWDED = {
    # What each took to render at 20,000 characters before (2 cores, shared): 1.5–2.5 s, minutes under load.
    "setext-h1": "a\n=\n",
    "setext-h2": "a\n-\n",
    "rules": "- - -\n",
    "rules-stars": "***\n",
    "underlines-only": "=\n",
    "dashes-only": "-\n",
    "text-and-definitions": "a\n[a]: b\n",
    "broken-definitions": "[a]:\n",
    "code-and-rules": "    a\n***\n",
    "list-and-rules": "- a\n***\n",
    "headings": "# a\n",
    "quotes": "> a\n",
}


@pytest.mark.parametrize("unit", CROWDED.values(), ids=CROWDED.keys())
def test_paragraph_crowded_with_block_markers_is_refused_at_the_field(unit):
    text = fill(unit, LIMIT - 1)  # the block scalar adds the last line end
    problems, per_byte = load(with_body(text))
    assert per_byte < LOAD_CALLS_PER_BYTE, per_byte
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/stories/x.yml:{BODY_LINE}:1: body（正文）: 从第 1 行起的一段")
    assert f"超过 {MAX_MARKER_LINES} 行" in problems[0] and "请在这些行之间加空行分段" in problems[0]


def test_marker_count_starts_again_after_a_blank_line_and_names_the_paragraph():
    ok = "\n\n".join(["# 标题\n" * MAX_MARKER_LINES] * 4)
    assert bounds.check(ok) == []
    crowded = "开头一段\n\n" + "# 标题\n" * (MAX_MARKER_LINES + 1)
    assert [(p.line, p.code) for p in bounds.check(crowded)] == [(3, "markdown.too-many-markers")]
    # The fix the message gives leaves headings as they were.
    assert render("# 甲\n# 乙\n## 丙") == render("# 甲\n\n# 乙\n\n## 丙")


NESTED = {
    "ordered": "1. ",
    "bullets-plus": "+ ",
    "bullets-and-numbers": "- 1. ",
    "quotes": "> ",
    "quotes-tight": ">",
    "mixed": "* > 1. ",
    "bullets-then-text": "- ",
}


@pytest.mark.parametrize("unit", NESTED.values(), ids=NESTED.keys())
def test_list_or_quote_nested_past_the_limit_is_refused(unit):
    # "1. " × 6,000 ran into Python's recursion limit and was shown as escaped text.
    text = fill(unit, LIMIT - 3) + " a"
    problems, per_byte = load(with_body(text))
    assert per_byte < LOAD_CALLS_PER_BYTE, per_byte
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/stories/x.yml:{BODY_LINE}:1: body（正文）: 第 1 行的列表或引用嵌套了 ")
    assert f"最多 {MAX_NESTING} 层" in problems[0] and "请减少层数" in problems[0]


def test_nesting_by_indentation_counts_and_the_limit_itself_renders():
    stairs = "".join("    " * level + f"- 第{level + 1}层\n" for level in range(MAX_NESTING))
    assert bounds.check(stairs) == []
    html = str(render(stairs))
    assert html.count("<ul>") == MAX_NESTING and "第20层" in html
    deeper = stairs + "    " * MAX_NESTING + "- 第21层\n"
    assert [(p.line, p.code) for p in bounds.check(deeper)] == [(MAX_NESTING + 1, "markdown.too-deep")]
    on_one_line = "1. " * MAX_NESTING + "a"
    assert bounds.check(on_one_line) == [] and str(render(on_one_line)).count("<ol>") == MAX_NESTING
    assert bounds.check("1. " * (MAX_NESTING + 1) + "a") != []


# Shapes at the limits that pass the check: each paragraph has MAX_MARKER_LINES markers
# and the rest of the field is filler that keeps the searches busy (the slowest found).
PASSING = {
    "setext-then-list": ("a\n=\n" * (MAX_MARKER_LINES // 2), "- a\n", False),
    "list-then-setext": ("a\n=\n" * (MAX_MARKER_LINES // 2), "- a\n", True),
    "underlines-then-bullets": ("=\n" * MAX_MARKER_LINES, "* a\n", False),
    "code-rules-then-list": ("    a\n***\n" * MAX_MARKER_LINES, "- a\n", False),
    "quotes-then-bullets": ("a\n> a\n" * MAX_MARKER_LINES, "* a\n", False),
    "text-then-quotes": ("a\n> a\n" * MAX_MARKER_LINES, "* a\n", True),
    "definitions-then-text": ("[a]: b\n" * MAX_MARKER_LINES, "a\n", False),
}


@pytest.mark.parametrize(("head", "filler", "last"), PASSING.values(), ids=PASSING.keys())
def test_markdown_at_the_limits_renders_quickly(head, filler, last):
    rest = fill(filler, LIMIT - len(head)).rstrip("-*")  # a cut-off "- " would be one marker more
    text = rest + head if last else head + rest
    assert bounds.check(text) == []
    _, per_char = counted_render(text)
    assert per_char < RENDER_CALLS_PER_CHAR, per_char


def test_random_markdown_that_passes_renders_quickly():
    pieces = [
        *CROWDED.values(), "a\n", "- a\n", "1. a\n", "    a\n", "  a\n", "\n", "> > a\n", "- > # a\n",
        "1. 1. a\n", "    - a\n", "[x]\n", "`a`\n", "*a* __b__\n", "[甲](https://example.org/)\n", "汉字" * 20 + "\n",
    ]  # fmt: skip
    rng = random.Random(10)
    worst = 0.0  # calls per character
    for _ in range(8):
        lines = "".join(rng.choice(pieces) for _ in range(LIMIT // 4)).split("\n")
        out, markers = [], 0
        for line in lines:  # a blank line before a paragraph would get too many markers
            markers = 0 if not line.strip() else markers + bool(bounds._MARKER_LINE.match(line))
            if markers > MAX_MARKER_LINES:
                out.append("")
                markers = 1
            out.append(line)
        text = "\n".join(out)[:LIMIT]
        assert bounds.check(text) == []
        worst = max(worst, counted_render(text)[1])
    assert worst < RENDER_CALLS_PER_CHAR, worst


def test_sample_records_pass_the_markdown_check():
    for path in sorted((ROOT / "content").glob("*/*.yml")):
        text = path.read_text(encoding="utf-8")
        assert bounds.check(text) == [], path


def test_a_file_reports_at_most_fifty_problems_and_says_how_many_more():
    story = (ROOT / STORY).read_text(encoding="utf-8")
    raw = re.sub(r"questions:\n(?:  - .*\n)+", lambda _: "questions: [" + "{}," * 80_000 + "]\n", story).encode()
    problems, per_byte = load(raw)
    assert per_byte < LOAD_CALLS_PER_BYTE, per_byte
    assert len(problems) == validate.MAX_PROBLEMS + 1
    assert problems[0].startswith("content/stories/x.yml:") and "类型不对" in problems[0]
    # The schema stops at the 51st problem: how many follow is not counted.
    assert problems[-1] == (
        "content/stories/x.yml: (文件): 问题太多，只列出前 50 个，还有至少 1 个问题未列出；请先改正列出的这些，再检查一遍。"
    )


def test_unknown_fields_are_translated_only_as_far_as_the_report_goes():
    raw = (ROOT / STORY).read_bytes() + "".join(f"k{i}: 1\n" for i in range(40_000)).encode()
    problems, per_byte = load(raw)
    assert per_byte < LOAD_CALLS_PER_BYTE, per_byte
    assert len(problems) == validate.MAX_PROBLEMS + 1 and "未知字段“k0”" in problems[0]


def test_twenty_thousand_mobile_numbers_are_checked_quickly_and_counted():
    # 119 s before findings were matched to fields by bisection.
    numbers = "，".join(f"138{i:08d}" for i in range(20_000))
    raw = (ROOT / STORY).read_text(encoding="utf-8").replace("summary: ", "summary: " + numbers, 1).encode()
    problems, per_byte = load(raw)
    assert per_byte < LOAD_CALLS_PER_BYTE, per_byte
    assert len(problems) == validate.MAX_PROBLEMS + 1
    assert "太长了" in problems[0] and "手机号码" in problems[1]
    assert problems[-1].endswith("还有 19951 个问题未列出；请先改正列出的这些，再检查一遍。"), problems[-1]


def test_studio_description_is_checked_too():
    studio = (ROOT / "content/studios/gaoqiang.yml").read_text(encoding="utf-8")
    line = studio.count("\n") + 1
    raw = (studio + "description: |\n" + "".join("  # 标题\n" for _ in range(MAX_MARKER_LINES + 1))).encode()
    item = parse_record("studio", raw, "content/studios/gaoqiang.yml", "gaoqiang")
    assert len(item.problems) == 1
    assert str(item.problems[0]).startswith(
        f"content/studios/gaoqiang.yml:{line}:1: description（详细介绍）: 从第 1 行起"
    )
