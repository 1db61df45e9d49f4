"""Hand-written pages are bounded as records are: the block shapes that make Python-Markdown slow or
recurse are refused at load with the page's line, and MkDocs' link scanning is charged to a budget."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from jiangxin.checks import bounds
from jiangxin.content.loader import load_site
from jiangxin.problems import report
from support.project import ROOT
from support.work import calls

FRONT = "---\ntitle: 测试页\n---\n\n# 测试页\n\n"  # five lines before the body starts on line 7
BODY_LINE = FRONT.count("\n") + 1
# MkDocs' Markdown of pages: its builtins and mkdocs.yml's extensions.
PAGE_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html"]
# Each took 15-70 s in MkDocs' Markdown without the budget (17,000 characters).
FLOODS = {
    "brackets-then-links": "[" * 8500 + "](y)" * 2125,
    "open-brackets": "[" * 17000,
    "text-brackets-then-targets": "[a" * 4250 + "](y" * 2833,
}


def load_with_page(tmp_path: Path, text: str, name: str = "extra.md") -> list[str]:
    docs = tmp_path / name / "content"
    shutil.copytree(ROOT / "content", docs)
    (docs / name).write_text(text, encoding="utf-8")
    _, problems = load_site(docs, docs.parent)
    return [str(p) for p in problems]


def test_real_pages_pass():
    _, problems = load_site(ROOT / "content", ROOT)
    assert problems == [], report(problems)
    for page in ROOT.glob("content/**/*.md"):
        assert bounds.check(page.read_text(encoding="utf-8"), fenced=True) == [], page


@pytest.mark.parametrize(
    ("body", "offset", "words"),
    [
        ("a\n=\n" * 60, 0, "超过 50 行"),  # setext underlines: quadratic in the block parser
        ("#\n" * 60, 0, "超过 50 行"),
        ("> x\n" * 60, 0, "超过 50 行"),
        ("[a]: /b\n" * 60, 0, "超过 50 行"),
        ("正文\n\n" + "- " * 25 + "x\n", 2, "嵌套了 25 层"),  # recursion per level
        ("正文\n\n" + "> " * 25 + "x\n", 2, "嵌套了 25 层"),
    ],
    ids=["setext", "headings", "quotes", "definitions", "deep-list", "deep-quote"],
)
def test_hostile_shapes_refused_with_page_line(tmp_path, body, offset, words):
    found = load_with_page(tmp_path, FRONT + body)
    line = BODY_LINE + offset
    assert len(found) == 1, found
    assert found[0].startswith(f"content/extra.md:{line}: (文件): "), found
    assert words in found[0] and f"第 {line} 行" in found[0]


def test_crlf_page_counts_lines_as_the_file(tmp_path):
    found = load_with_page(tmp_path, (FRONT + "正文\n\n" + "- " * 25 + "x\n").replace("\n", "\r\n"))
    assert len(found) == 1 and found[0].startswith(f"content/extra.md:{BODY_LINE + 2}: (文件): "), found


def test_fenced_code_does_not_count(tmp_path):
    """A guide's long code block of `#` comments and `>` prompts is taken out by fenced_code before
    the block parser sees it; the same lines outside a fence are still refused."""
    code = "# 注释\n> 提示\n[段]\n---\n" * 20
    assert load_with_page(tmp_path, FRONT + "```yaml\n" + code + "```\n\n~~~\n" + code + "~~~\n", "a.md") == []
    found = load_with_page(tmp_path, FRONT + "```yaml\n" + code + "``\n")  # not closed: not a fence
    assert len(found) == 1 and found[0].startswith(f"content/extra.md:{BODY_LINE}: (文件): "), found


def test_records_still_count_fence_lines():
    """Records render without fenced_code: a fence there is text, its lines still count."""
    code = "```\n" + "#\n" * 60 + "```\n"
    assert bounds.check(code, fenced=True) == []
    assert [p.line for p in bounds.check(code)] == [1]


def test_bounded_links_change_no_real_page():
    for page in ROOT.glob("content/**/*.md"):
        text = page.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        plain = markdown.Markdown(extensions=PAGE_EXTENSIONS).convert(text)
        bounded = markdown.Markdown(extensions=[*PAGE_EXTENSIONS, bounds.BoundedLinks()]).convert(text)
        assert bounded == plain, page


@pytest.mark.parametrize("flood", FLOODS.values(), ids=FLOODS.keys())
def test_bounded_links_make_floods_fast(flood):
    assert bounds.check(flood, fenced=True) == []  # the load-time check lets these through
    md = markdown.Markdown(extensions=[*PAGE_EXTENSIONS, bounds.BoundedLinks()])
    for _ in range(2):  # each conversion gets the whole budget again
        text = "[前](/a)\n\n" + flood + "\n\n[后](/b)"
        html, work = calls(md.reset().convert, text)
        # About 70 function calls per character within the budget; unbounded, tens of thousands.
        assert work < 150 * len(text), work
        assert '<a href="/a">前</a>' in html
