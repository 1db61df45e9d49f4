"""Hostile and careless record bytes: refused with a Chinese `path:line`, never a traceback, never minutes."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from pathlib import Path

import pytest

from jiangxin.checks import yamlsource
from jiangxin.content.loader import load_site, parse_record
from jiangxin.site import exports
from jiangxin.site.markup import render
from support.project import ROOT
from support.work import calls

STORY = "content/stories/renchangbo-mentoring.yml"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Bounds on work counted (support.work), not seconds: the cases here took minutes when the work grew with the
# square of the input. Speed targets belong in the benchmark.
RENDER_CALLS = 3_000_000  # a render within the link budget makes at most about 1.3 million calls


def _site_with(tmp_path: Path, name: str, raw: bytes):
    """Load a copy of the real content with one more story file; its problems as strings, and the calls it took."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / "stories" / name).write_bytes(raw)
    (site, problems), work = calls(load_site, tmp_path / "content", tmp_path)
    return site, [str(p) for p in problems], work


def _story() -> bytes:
    return (ROOT / STORY).read_bytes()


def _only(problems: list[str], prefix: str, fragment: str) -> None:
    assert len(problems) == 1 and problems[0].startswith(prefix) and fragment in problems[0], problems


@pytest.mark.parametrize(("char", "what"), [(b"\x00", "U+0000"), (b"\x1b", "U+001B"), (b"\x7f", "U+007F")])
def test_control_byte_is_refused_at_its_line(tmp_path, char, what):
    raw = _story().replace("任长博工作室深化".encode(), "任长博".encode() + char + "工作室深化".encode(), 1)
    _, problems, _ = _site_with(tmp_path, "x.yml", raw)
    _only(problems, "content/stories/x.yml:7:13: (文件): ", f"含有看不见的控制字符（{what}")


@pytest.mark.parametrize(("char", "what"), [("\x85", "U+0085"), ("\u2028", "U+2028")])
def test_yaml_only_line_break_is_refused(tmp_path, char, what):
    # YAML counts these as line breaks, editors do not: refused so that line numbers agree.
    raw = _story().replace("任长博工作室深化".encode(), f"任长博{char}工作室深化".encode(), 1)
    _, problems, _ = _site_with(tmp_path, "x.yml", raw)
    _only(problems, "content/stories/x.yml:7:13: (文件): ", f"含有特殊的换行符（{what}")


@pytest.mark.parametrize("ends", ["\r", "mixed"])
def test_any_line_end_style_loads_and_reports_the_editors_line(tmp_path, ends):
    text = _story().decode()
    lines = text.split("\n")
    if ends == "\r":
        good = "\r".join(lines)
    else:
        good = "".join(line + ("\r", "\r\n", "\n")[i % 3] for i, line in enumerate(lines))
    site, problems, _ = _site_with(tmp_path, "x.yml", good.encode())
    assert problems == []
    assert {s.id for s in site.stories} >= {"x", "renchangbo-mentoring"}
    # An error after CR-only lines is reported at the line an editor sees.
    at = lines.index("featured: true")
    lines[at] = "featured: maybe"
    bad = "\r".join(lines)
    _, problems, _ = _site_with(tmp_path / "bad", "x.yml", bad.encode())
    _only(problems, f"content/stories/x.yml:{at + 1}:1: featured（是否在首页推荐）: ", "true 或 false")


def test_lone_surrogate_escape_is_refused_with_its_line(tmp_path):
    raw = _story().replace("summary: 任长博".encode(), 'summary: "\\ud800任长博'.encode(), 1)
    raw = raw.replace("培育技术新人。\n".encode(), '培育技术新人。"\n'.encode(), 1)
    site, problems, _ = _site_with(tmp_path, "x.yml", raw)
    _only(problems, "content/stories/x.yml:7:10: summary: ", "引号里的“\\ud800”不是有效的字符")
    assert "x" not in {s.id for s in site.stories}
    str(problems).encode("utf-8")  # printable: the surrogate is not in the message


@pytest.mark.parametrize(
    ("name", "text", "prefix"),
    [
        ("nested", "title: " + "[" * 200_000 + "]" * 200_000, "content/stories/x.yml:1:27: "),
        ("unclosed", "title: " + "[" * 250_000, "content/stories/x.yml:1:27: "),
        ("mapping", "title: " + "{a: " * 100_000, "content/stories/x.yml:1:84: "),
        ("indent", "title:\n" + "".join(" " * i + "a:\n" for i in range(1, 900)), "content/stories/x.yml:21:21: "),
        ("dashes", "title:\n" + "- " * 200_000 + "x", "content/stories/x.yml:2:39: "),
    ],
)
def test_deep_record_is_refused_quickly(tmp_path, name, text, prefix):
    _, _, ordinary = _site_with(tmp_path / "ordinary", "x.yml", _story())
    _, problems, work = _site_with(tmp_path, "x.yml", text.encode())
    _only(problems, prefix + "(文件): ", "层级过深（超过 20 层）")
    assert work < 2 * ordinary, (work, ordinary)  # refused for less than the rest of the content costs


def test_many_scalars_on_one_line_are_checked_quickly():
    # The "#" comment check once sliced the rest of the line for every scalar on it.
    # Under the size and value limits, so that the parser reads every scalar of the line and checks it;
    # five times the scalars must cost about five times the work, not twenty-five.
    def work_for(scalars: int) -> int:
        raw = ("title: [" + "汉 汉, " * scalars + "]\n").encode()
        assert len(raw) <= yamlsource.MAX_BYTES
        parsed, work = calls(parse_record, "story", raw, "content/stories/x.yml", "x")
        assert [p.code for p in parsed.problems if p.field.startswith("title")] == ["schema.type"], parsed.problems
        return work

    few, many = work_for(yamlsource.MAX_FIELD_SCALARS // 5), work_for(yamlsource.MAX_FIELD_SCALARS - 1)
    assert many < 7 * few, (few, many)


@pytest.mark.parametrize(
    "body",
    [
        "[" * 8500 + "](y)" * 2125,  # the 17,000 characters that took 37 s
        "[" * 20_000,
        "![" * 10_000,
        "[" * 10_000 + "]" * 10_000,
        "[(" * 10_000,
        "[a](" * 5_000,
        "[a][" * 5_000,
    ],
    ids=["brackets-then-links", "open", "open-images", "nested", "bracket-paren", "open-links", "references"],
)
def test_pathological_markdown_renders_quickly(body):
    html, work = calls(render, body + "\n")
    assert work < RENDER_CALLS, work  # unbounded, the 17,000 characters made hundreds of millions
    assert html.startswith("<p>")


def test_markdown_links_still_render_after_many_brackets():
    html = render("[" * 50 + " [甲](https://example.org/a) 与 ![图](/media/x.png)")
    assert '<a href="https://example.org/a" rel="noopener">甲</a>' in html
    assert '<img alt="图" src="/media/x.png"' in html


def test_list_nesting_beyond_recursion_renders_as_text_and_the_renderer_recovers():
    html = render("1. " * 6_000)
    assert html.startswith("<p>1. 1. ")
    assert render("*a*") == "<p><em>a</em></p>"


def test_csv_cells_that_excel_would_run_are_neutralised(tmp_path):
    raw = _story().replace("summary: 任长博".encode(), 'summary: \'=HYPERLINK("http://x")任长博'.encode(), 1)
    raw = raw.replace("培育技术新人。\n".encode(), "培育技术新人。'\n".encode(), 1)
    raw = raw.replace(b"questions:\n", b"questions:\n  - '@SUM(1)'\n  - '-1+2'\n  - '+1'\n  - \"\\tx\"\n", 1)
    site, problems, _ = _site_with(tmp_path, "x.yml", raw)
    assert problems == []
    assets = {a.path: a.content for a in exports.data_assets(site)}
    table = list(csv.DictReader(io.StringIO(assets["data/stories.csv"].decode("utf-8-sig"))))
    row = next(r for r in table if r["id"] == "x")
    assert row["summary"].startswith("'=HYPERLINK(")
    assert row["questions"].split("\n")[:4] == ["'@SUM(1)", "-1+2", "+1", "\tx"]
    # JSON keeps the text as written.
    data = json.loads(assets["data/stories.json"])["x"]
    assert data["summary"].startswith("=HYPERLINK(") and data["questions"][:2] == ["@SUM(1)", "-1+2"]


def test_csv_leaves_numbers_and_ordinary_text_alone():
    body = exports.csv_bytes(["a", "b", "c", "d"], [["-3", "1.5", "任长博", "\r=x"]]).decode("utf-8-sig")
    assert body.split("\r\n")[1] == '-3,1.5,任长博,"\'\r=x"'


def test_no_record_bytes_raise(events, scanned):
    """Seeded random mutations of every sample record: never an exception, every problem in Chinese, and no
    case makes the parsers read more than its bytes or the number scan look at its text more than once."""
    rng = random.Random(10)
    files = sorted((ROOT / "content").glob("*/*.yml"))
    samples = [p.read_text(encoding="utf-8") for p in files]
    kinds = {"studios": "studio", "stories": "story", "reports": "report"}
    names = [kinds[p.parent.name] for p in files]
    alphabet = ["\x00", "\r", "\n", "\r\n", "\t", " ", "  ", "[", "]", "{", "}", ":", ": ", "- ", "#", " #", "&a ",
                "*a", "!!str ", "'", '"', "\\ud800", "\\", "|", ">", "?", ",", "\x85", "\u2028", "\ufeff", "\x1b",
                "汉", "：", "\u3000", "---\n", "13800138000", "%YAML 1.1\n", "<<: ", "~", "null", "1e9", "0x1"]  # fmt: skip
    parsed = 0
    for case in range(4000):
        i = rng.randrange(len(samples))
        text = samples[i]
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(text) + 1)
            how = rng.random()
            if how < 0.5:
                text = text[:at] + rng.choice(alphabet) + text[at:]
            elif how < 0.8:
                text = text[:at] + text[at + rng.randint(1, 20) :]
            else:
                other = rng.randrange(len(text) + 1)
                text = text[:at] + text[other : other + rng.randint(1, 200)] + text[at:]
        raw = bytearray(text.encode("utf-8"))
        if rng.random() < 0.1:  # bytes that are not UTF-8 at all
            at = rng.randrange(len(raw) + 1)
            raw[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        read, looked = sum(events.values()), sum(scanned)
        item = parse_record(names[i], bytes(raw), "content/x/f.yml", "f")
        read, looked = sum(events.values()) - read, sum(scanned) - looked
        assert read < len(raw) and looked <= len(raw), (case, read, looked, len(raw))  # at most 0.2 and 0.75 a byte
        parsed += item.source is not None
        for problem in item.problems:
            assert HAN.search(problem.message), (case, str(problem))
            str(problem).encode("utf-8")
    assert parsed > 500  # enough cases get past decoding and YAML to reach the schema
