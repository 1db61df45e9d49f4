"""The content policy: what under content/ may be published, hand-written pages through the
sanitizer, and the built site checked once more (jiangxin.checks: file_policy, page_policy, built_policy).

File rules are decided by the loader (scripts/check.py's path), so they are tested in
process; the sanitizer and the final check run inside MkDocs, so they are tested with
real builds and real publishes; one Chromium run proves the sample site still runs its
own scripts. Marks are per test: this file holds all three tiers.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.utils import markdown_extensions

from jiangxin.checks import built_policy, file_policy, page_policy
from jiangxin.content.loader import load_site
from jiangxin.problems import Problem
from support.project import ROOT, copy_project

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
# MkDocs' own Markdown setup for pages: its defaults plus mkdocs.yml's markdown_extensions.
MKDOCS_MARKDOWN = ["toc", "tables", "fenced_code", "attr_list", "md_in_html"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def problems_of(project: Path) -> list[Problem]:
    _, problems = load_site(project / "content", project)
    return problems


def only(problems: list[Problem], path: str) -> Problem:
    found = [p for p in problems if p.path == path]
    assert len(found) == 1, problems
    return found[0]


# ---------------------------------------------------------------- files (in process)


def test_markdown_suffixes_are_mkdocs_own():
    assert set(file_policy.MARKDOWN_SUFFIXES) == set(markdown_extensions)


def test_the_sample_content_passes_the_policy():
    assert problems_of(ROOT) == []


@pytest.mark.parametrize(
    ("name", "content", "hint"),
    [
        ("content/media/page.html", b"<script>alert(1)</script>", "改写成 .md 页面"),
        ("content/media/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "PNG"),
        ("content/assets/javascripts/jx-search.js", b"alert(1)", "脚本由网站程序提供"),
        ("content/assets/stylesheets/x.css", b"body{}", "样式由网站程序提供"),
        ("content/feed.xml", b"<rss/>", "移出 content"),
        ("content/notes.yml", b"a: 1\n", "记录只能直接放在"),
        ("content/studios/old/hewang.yml", b"a: 1\n", "记录只能直接放在"),
        ("content/Guide.MD", b"# x\n", "Guide.md"),
        ("content/README", b"x", "移出 content"),
    ],
)
def test_files_outside_the_allow_list_are_refused(project, name, content, hint):
    target = project / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    problem = only(problems_of(project), name)
    assert problem.code == "file.refused-type" and hint in problem.message, problem


@pytest.mark.parametrize("name", ["content/assets/images/favicon.png", "content/assets/javascripts/jx-search.png"])
def test_an_image_in_a_theme_files_place_is_refused(project, name):
    # favicon.png is Material's; overrides/assets/javascripts/ is ours (any case on the server).
    target = project / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(PNG_1X1)
    if "jx-search" in name:
        (project / "overrides/assets/javascripts/jx-search.png").write_bytes(PNG_1X1)
    assert only(problems_of(project), name).code == "file.place-taken"


def test_images_must_be_what_their_suffix_says(project):
    media = project / "content/media"
    media.mkdir()
    (media / "ok.png").write_bytes(PNG_1X1)
    (media / "OK2.PNG").write_bytes(PNG_1X1)
    (media / "fake.png").write_bytes(b"<html><script>alert(1)</script></html>")
    (media / "fake.jpg").write_bytes(PNG_1X1)
    problems = problems_of(project)
    assert only(problems, "content/media/fake.png").code == "file.wrong-suffix"
    assert only(problems, "content/media/fake.jpg").code == "file.wrong-suffix"
    assert not [p for p in problems if "ok.png" in p.path.lower() or "ok2" in p.path.lower()]


def test_symlinks_out_of_the_repository_are_refused(project):
    media = project / "content/media"
    media.mkdir()
    (media / "passwd.png").symlink_to("/etc/passwd")
    (media / "system").symlink_to("/etc", target_is_directory=True)
    (media / "inside.png").write_bytes(PNG_1X1)
    (media / "again.png").symlink_to(media / "inside.png")  # inside the repository: fine
    problems = problems_of(project)
    assert only(problems, "content/media/passwd.png").code == "file.outside-link"
    assert only(problems, "content/media/system").code == "file.outside-link"
    assert len(problems) == 2, problems


def test_a_folder_link_loop_is_refused_once(project):
    (project / "content/media").mkdir()
    (project / "content/media/loop").symlink_to(project / "content", target_is_directory=True)
    assert only(problems_of(project), "content/media/loop").code == "file.link-loop"


def test_records_in_any_case_of_suffix_are_records(project):
    studios = project / "content/studios"
    (studios / "wuliguo.yml").rename(studios / "wuliguo.YML")
    site, problems = load_site(project / "content", project)
    assert problems == []
    assert "wuliguo" in {s.id for s in site.studios}
    assert file_policy.kind_of("studios/wuliguo.YML") == "record"


def test_dot_files_and_the_templates_folder_are_not_published():
    assert file_policy.excluded(".DS_Store") and file_policy.excluded("media/.git/config")
    assert file_policy.excluded("templates/x.html") and not file_policy.excluded("media/templates/x.png")


@pytest.mark.parametrize(
    ("front", "line", "code"),
    [
        ("---\ntitle: 编辑指南\ndescription: a: b\n---\n", 3, "page.front-matter-syntax"),
        ("---\ntitle: [未闭合\n---\n", 3, "page.front-matter-syntax"),
        ("---\n- 一\n- 二\n---\n", 2, "page.front-matter-not-a-mapping"),
        ("---\ntitle: 编辑指南\n\n# 正文\n", 1, "page.front-matter-unclosed"),
    ],
)
def test_front_matter_that_does_not_parse_is_refused_with_its_line(project, front, line, code):
    page = project / "content/contribute/index.md"
    body = page.read_text(encoding="utf-8").split("---\n", 2)[2]
    page.write_text(front + body, encoding="utf-8")
    problem = only(problems_of(project), "content/contribute/index.md")
    assert (problem.line, problem.code) == (line, code), problem


# ---------------------------------------------------------------- the sanitizer (in process)


def rendered(text: str) -> str:
    return markdown.markdown(text, extensions=MKDOCS_MARKDOWN)


@pytest.mark.parametrize("name", ["index.md", "contribute/index.md"])
def test_the_hand_written_pages_pass_the_sanitizer(name):
    text = (ROOT / "content" / name).read_text(encoding="utf-8")
    assert page_policy.check_page_html(rendered(text.split("---\n", 2)[2]), text, name) == []


def test_ordinary_markdown_and_html_pass_the_sanitizer():
    text = (
        "# 标题 {#intro .lead}\n\n**粗** *斜* `代码` ~~x~~ <b>b</b> <sup>1</sup>\n\n"
        "| 左 | 右 |\n|:-|-:|\n| 1 | 2 |\n\n<details open><summary>更多</summary>内容 &amp; 说明</details>\n\n"
        "<!-- 编辑注释 -->\n\n<pre>\n原样</pre>\n\n![照片](media/a.png)\n\n"
        "[外链](https://example.org/a?b=1&c=2) [本站](../studios/) <mailto:a@b.cn>\n\n> 引用\n\n1. 一\n2. 二\n"
    )
    assert page_policy.check_page_html(rendered(text), text, "x.md") == []


# (case, page text, line, code, what the message names: the tag, attribute or address found)
HOSTILE = [
    ("svg onload", "正文\n\n<svg/onload=alert(1)>\n", 3, "page.refused-tag", "<svg>"),
    ("split handler", '正文\n\n<img src="a.png" alt="a"\nonerror="alert(1)">\n', 4, "page.event-attribute", "onerror"),
    (
        "entity javascript",
        '正文\n\n<a href="&#106;avascript:alert(1)">点我</a>\n',
        3,
        "page.unsafe-link",
        "javascript:alert(1)",
    ),
    ("markdown javascript", "正文\n\n[点我](javascript:alert(1))\n", 3, "page.unsafe-link", "javascript:alert(1)"),
    ("tab in scheme", '<a href="java&#9;script:alert(1)">x</a>\n', 1, "page.unsafe-link", "javascript:alert(1)"),
    ("data url", '<a href="data:text/html,&lt;script&gt;">x</a>\n', 1, "page.unsafe-link", "data:text/html"),
    ("base", '正文\n\n<base href="//other.host/">\n', 3, "page.refused-tag", "<base>"),
    (
        "meta refresh",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n',
        1,
        "page.refused-tag",
        "<meta>",
    ),
    ("form", '<form action="https://evil.example/"><input name="a"></form>\n', 1, "page.refused-tag", "<form>"),
    ("iframe", '<iframe src="https://evil.example/"></iframe>\n', 1, "page.refused-tag", "<iframe>"),
    ("script", "a\n\n<script>alert(1)</script>\n", 3, "page.refused-tag", "<script>"),
    ("style", "<style>body{display:none}</style>\n", 1, "page.refused-tag", "<style>"),
    (
        "foreign image",
        "![x](https://evil.example/track.png)\n",
        1,
        "page.unsafe-image",
        "https://evil.example/track.png",
    ),
    ("protocol-relative link", '<a href="//evil.example/">x</a>\n', 1, "page.unsafe-link", "//evil.example/"),
    ("style attribute", '<p style="position:fixed;top:0">假通知</p>\n', 1, "page.refused-attribute", "style"),
    ("theme id", '<p id="__search">x</p>\n', 1, "page.theme-id", "__search"),
    ("comment trick", "<!--> <img src=x onerror=alert(1)> -->\n", 1, "page.malformed-comment", ""),
]


@pytest.mark.parametrize(("name", "text", "line", "code", "names"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_html_in_a_page_is_refused_with_its_line(name, text, line, code, names):
    problems = page_policy.check_page_html(rendered(text), text, "content/x.md")
    assert problems, name
    assert (problems[0].line, problems[0].code) == (line, code) and names in problems[0].message, problems


# ---------------------------------------------------------------- the built site (in process)


@pytest.mark.parametrize(
    ("html", "code", "names"),
    [
        ('<base href="//other.host/">', "built.refused-tag", "<base>"),
        ('<meta http-equiv="Refresh" content="0;url=x">', "built.refresh", "<meta http-equiv=refresh>"),
        ('<form action="https://evil.example/">', "built.form", "<form>"),
        ('<button formaction="javascript:alert(1)">', "built.unsafe-url", "formaction"),
        ("<div onclick=x>", "built.event-attribute", "onclick"),
        ('<a href=" JaVa&#x53;cript:x">', "built.unsafe-url", "JaVaScript:x"),
        ('<svg><use xlink:href="data:image/svg+xml,x"/></svg>', "built.unsafe-url", "xlink:href"),
        ('<a href="vbscript:x">', "built.unsafe-url", "vbscript:x"),
        ('<script src="https://cdn.example/x.js"></script>', "built.foreign-content", "https://cdn.example/x.js"),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', "built.foreign-content", "//cdn.example/x.css"),
        ('<img src="https:\\\\evil.example/x.png">', "built.foreign-content", "evil.example/x.png"),
        ('<iframe src="page.html"></iframe>', "built.foreign-content", "<iframe>"),
    ],
)
def test_the_final_check_finds_what_only_templates_may_emit(html, code, names):
    found = built_policy.check_final_html(f"<html><body>{html}</body></html>", "https://jx.example.cn/")
    assert found and found[0].code == code and names in found[0].message, found


def test_the_final_check_names_the_page_and_its_source():
    found = built_policy.check_final_html("<p>\n<base href=x>", None, "/studios/x/", "content/studios/x.yml")
    assert found == [
        Problem("/studios/x/", 0, 0, "content/studios/x.yml", "第 2 行有 <base> 标签", code="built.refused-tag")
    ]
    assert found[0].brief() == "/studios/x/（content/studios/x.yml）: 第 2 行有 <base> 标签"


def test_the_final_check_allows_the_themes_own_markup():
    html = (
        '<form class="md-search__form" name="search"><input type="text"></form><script>var x=1</script>'
        '<script src="assets/javascripts/bundle.js"></script><link rel="canonical" href="https://jx.example.cn/a/">'
        '<a href="https://git.example.org/union/site">源码</a><img src="../media/a.png">'
    )
    assert built_policy.check_final_html(html, "https://jx.example.cn/") == []


# ---------------------------------------------------------------- real builds


# ---------------------------------------------------------------- Chromium
