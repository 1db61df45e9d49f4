"""Every kind of editor mistake: a clear Chinese message naming file and line, and nothing published.

Every case of the matrix runs in this process: its files are written into a scratch project
and MkDocs' own `build()` runs there with the real hook, as `mkdocs build --strict` would,
stopping with the hook's `PluginError` before a page is written. A few representative cases
also go through the real publish command in a subprocess: a non-zero exit, and the previously
published `site/` left byte-identical. The hook's events alone: tests/unit/engine/test_hook_events.py.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from jiangxin.content import photos
from jiangxin.content.loader import load_site
from support.photofixtures import bomb_png, phone_jpeg
from support.project import ROOT, publish, scratch_project, snapshot

STUDIO = """\
# yaml-language-server: $schema=../../hooks/jiangxin/schemas/studio.schema.json
name: 测试创新工作室
organization: 测试单位（虚构）
level: municipal
leader:
  name: 张三
team:
  size: 12
summary: 这是一条虚构的测试记录。
designations:
  - title: 市级劳模和工匠人才创新工作室
    year: 2024
source:
  title: 测试出处
"""
STORY = """\
title: 测试故事
studio: hewang
date: 2025-05-01
summary: 虚构的导语。
body: |
  虚构的正文。
audiences:
  - 中学
source:
  title: 测试出处
"""
S = "content/studios/zz-test.yml"
T = "content/stories/zz-story.yml"
JPEG = phone_jpeg((640, 480), orientation=1)


def with_photo(file: str, alt: str = "虚构的车间外景", data: bytes | None = None) -> dict:
    """The test studio with one photo (line 16 is its `file`), and the photo's bytes under content/."""
    files: dict = {S: STUDIO + f"photos:\n  - file: '{file}'\n    alt: '{alt}'\n"}
    if data is not None:
        files[f"content/{file}"] = data
    return files


PHOTO = "photos[0].file（图片文件）"
ALT = "photos[0].alt（替代文字）"


def sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (case id, {file: text or bytes or None to delete}, [(path:line prefix, message fragment), ...])
CASES = [
    ("unclosed-quote", {S: sub(STUDIO, "summary: 这是", 'summary: "这是')}, [(f"{S}:9:", "引号没有配对")]),
    ("tab-indent", {S: sub(STUDIO, "  size: 12", "\tsize: 12")}, [(f"{S}:8:", "Tab")]),
    ("full-width-colon", {S: sub(STUDIO, "summary: 这是", "summary：这是")}, [(f"{S}:9:", "中文冒号")]),
    ("ideographic-space-key", {S: sub(STUDIO, "summary: 这是", "summary\u3000: 这是")}, [(f"{S}:9:", "全角空格")]),
    ("duplicate-key", {S: STUDIO + "name: 重复\n"}, [(f"{S}:15:1: name", "第 2 行已有")]),
    ("anchor", {S: sub(STUDIO, "organization: 测试", "organization: &o 测试")}, [(f"{S}:3:", "锚点")]),
    (
        "alias",
        {S: sub(STUDIO, "organization: 测试", "organization: &o 测试") + "industry: *o\n"},
        [(f"{S}:15:", "不支持引用")],
    ),
    ("merge-key", {S: STUDIO + "team2:\n  <<: {size: 1}\n"}, [(f"{S}:16:", "合并键")]),
    (
        "python-tag",
        {S: sub(STUDIO, "name: 测试创新工作室", "name: !!python/object:os.system 测试")},
        [(f"{S}:2:", "类型标签")],
    ),
    ("two-documents", {S: STUDIO + "---\nname: 第二条\n"}, [(f"{S}:15:", "一个文件只能有一条记录")]),
    ("top-level-list", {S: "- name: 测试\n"}, [(f"{S}:1:", "最外层")]),
    ("empty-file", {S: ""}, [(f"{S}:1:", "文件是空的")]),
    ("gbk-file", {S: STUDIO.encode("gbk")}, [(f"{S}:2:", "GBK")]),
    ("too-deep", {S: STUDIO + "extra: " + "[" * 40 + "]" * 40 + "\n"}, [(f"{S}:15:", "层级过深")]),
    ("too-large", {S: STUDIO + "# " + "很长" * 100000 + "\n"}, [(f"{S}: ", "文件过大")]),
    (
        "wrong-type-year",
        {S: sub(STUDIO, "year: 2024", 'year: "二〇二四"')},
        [(f"{S}:12:5: designations[0].year", "类型不对")],
    ),
    ("wrong-type-size", {S: sub(STUDIO, "size: 12", "size: 十二")}, [(f"{S}:8:3: team.size", "整数")]),
    ("unknown-field", {S: sub(STUDIO, "summary:", "sumary:")}, [(f"{S}:9:1: sumary", "是不是想写“summary”")]),
    (
        "enum-level",
        {S: sub(STUDIO, "level: municipal", "level: 市级")},
        [(f"{S}:4:1: level", "national、provincial、municipal、county")],
    ),
    (
        "missing-required",
        {S: sub(STUDIO, "organization: 测试单位（虚构）\n", "")},
        [(f"{S}:2:1: organization", "缺少必填字段")],
    ),
    (
        "empty-value",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", "summary:")},
        [(f"{S}:9:1: summary", "内容是空的")],
    ),
    (
        "empty-string",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", 'summary: ""')},
        [(f"{S}:9:1: summary", "不能为空")],
    ),
    ("too-long", {S: sub(STUDIO, "name: 测试创新工作室", "name: " + "长" * 201)}, [(f"{S}:2:1: name", "太长了")]),
    ("empty-list", {S: STUDIO + "focus: []\n"}, [(f"{S}:15:1: focus", "列表是空的")]),
    ("boolean-in-chinese", {S: STUDIO + "featured: 是\n"}, [(f"{S}:15:1: featured", "true 或 false")]),
    ("yaml11-boolean", {S: STUDIO + "featured: yes\n"}, [(f"{S}:15:1: featured", "true 或 false")]),
    ("negative-number", {S: sub(STUDIO, "size: 12", "size: -3")}, [(f"{S}:8:3: team.size", "不能小于 1")]),
    (
        "url-scheme",
        {S: sub(STUDIO, "  title: 测试出处", "  title: 测试出处\n  url: javascript:alert(1)")},
        [(f"{S}:15:3: source.url", "http:// 或 https://")],
    ),
    (
        "impossible-date",
        {T: sub(STORY, "date: 2025-05-01", "date: 2025-02-30")},
        [(f"{T}:3:1: date", "日期“2025-02-30”不存在")],
    ),
    (
        "audience-value",
        {T: sub(STORY, "  - 中学", "  - 大学")},
        [(f"{T}:8:5: audiences[0]", "公众、小学、中学、职业院校")],
    ),
    (
        "broken-reference",
        {T: sub(STORY, "studio: hewang", "studio: he-wang")},
        [(f"{T}:2:1: studio", "找不到编号为“he-wang”的工作室")],
    ),
    (
        "report-year-mismatch",
        {
            "content/reports/2025.yml": (ROOT / "content/reports/2025.yml")
            .read_text(encoding="utf-8")
            .replace("year: 2025", "year: 2024")
        },
        [("content/reports/2025.yml:2:1: year", "与文件名 2025.yml 不一致")],
    ),
    (
        "report-group",
        {
            "content/reports/2025.yml": (ROOT / "content/reports/2025.yml")
            .read_text(encoding="utf-8")
            .replace("group: studios", "group: 工作室", 1)
        },
        [("content/reports/2025.yml:10:5: figures[0].group", "不是可选的值")],
    ),
    (
        "uppercase-file-name",
        {"content/studios/ZhangSan.yml": STUDIO},
        [("content/studios/ZhangSan.yml: ", "zhangsan.yml")],
    ),
    ("chinese-file-name", {"content/studios/张三.yml": STUDIO}, [("content/studios/张三.yml: ", "不能作编号")]),
    ("duplicate-id", {"content/studios/hewang.yaml": STUDIO}, [("content/studios/hewang.yml:1:1", "重复")]),
    (
        "missing-photo",
        {S: STUDIO + "photos:\n  - file: media/none.jpg\n    alt: 工作室外景\n"},
        [(f"{S}:16:", "找不到图片 content/media/none.jpg")],
    ),
    (
        "photo-without-alt",
        {S: STUDIO + "photos:\n  - file: media/none.jpg\n"},
        [(f"{S}:16:5: photos[0].alt", "缺少必填字段")],
    ),
    ("photo-pdf", with_photo("media/a.jpg", data=b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), [(f"{S}:16:5: {PHOTO}", "PDF")]),
    (
        "photo-html",
        with_photo("media/a.jpg", data=b"\xff\xd8\xff<html><script>alert(1)</script>"),
        [(f"{S}:16:5: {PHOTO}", "损坏")],
    ),
    ("photo-html-named-png", with_photo("media/a.png", data=b"<!DOCTYPE html><p>x"), [(f"{S}:16:5: {PHOTO}", "网页")]),
    (
        "photo-svg",
        with_photo("media/a.png", data=b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        [(f"{S}:16:5: {PHOTO}", "SVG")],
    ),
    ("photo-truncated", with_photo("media/a.jpg", data=JPEG[: len(JPEG) // 2]), [(f"{S}:16:5: {PHOTO}", "不完整")]),
    ("photo-bomb", with_photo("media/a.png", data=bomb_png()), [(f"{S}:16:5: {PHOTO}", "像素太多")]),
    (
        "photo-too-large",
        with_photo("media/a.jpg", data=JPEG + b"\0" * (photos.MAX_BYTES + 1 - len(JPEG))),
        [(f"{S}:16:5: {PHOTO}", "图片文件太大")],
    ),
    ("photo-dotdot", with_photo("media/../../mkdocs.jpg"), [(f"{S}:16:5: {PHOTO}", "content 文件夹以外")]),
    (
        "photo-absolute",
        with_photo("/etc/a.jpg"),
        [(f"{S}:16:5: {PHOTO}", "不合要求"), (f"{S}:16:5: {PHOTO}", "绝对路径或网址")],
    ),
    (
        "photo-url",
        with_photo("https://example.org/a.jpg"),
        [(f"{S}:16:5: {PHOTO}", "不合要求"), (f"{S}:16:5: {PHOTO}", "绝对路径或网址")],
    ),
    ("photo-alt-empty", with_photo("media/a.jpg", "", JPEG), [(f"{S}:17:5: photos[0].alt", "不能为空")]),
    ("photo-alt-spaces", with_photo("media/a.jpg", "   ", JPEG), [(f"{S}:17:5: {ALT}", "不能只有空格")]),
    ("photo-alt-file-name", with_photo("media/a.jpg", "a.jpg", JPEG), [(f"{S}:17:5: {ALT}", "只是文件名")]),
    ("photo-alt-path", with_photo("media/a.jpg", "media/a.jpg", JPEG), [(f"{S}:17:5: {ALT}", "只是文件名")]),
    (
        "photo-several",
        {
            S: STUDIO + "photos:\n  - file: media/a.jpg\n    alt: a\n  - file: media/b.jpg\n    alt: 车间\n",
            "content/media/a.jpg": b"%PDF-1.4",
            "content/media/b.jpg": JPEG[:900],
        },
        [(f"{S}:16:5: {PHOTO}", "PDF"), (f"{S}:17:5: {ALT}", "只是文件名"), (f"{S}:18:5: photos[1].file", "损坏")],
    ),
    (
        "id-number",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", "summary: 身份证 11010519491231002X。")},
        [(f"{S}:9: summary", "居民身份证号")],
    ),
    (
        "mobile-in-story",
        {T: sub(STORY, "  虚构的正文。", "  联系电话 138-0013-8000。")},
        [(f"{T}:6: body", "手机号码")],
    ),
    ("mobile-in-comment", {S: STUDIO + "# 领衔人手机 +86 139 1234 5678\n"}, [(f"{S}:15:", "手机号码")]),
    (
        "full-width-mobile-in-page",
        {
            "content/index.md": (ROOT / "content/index.md").read_text(encoding="utf-8")
            + "\n咨询：１３８００１３８０００\n"
        },
        [("content/index.md:", "手机号码")],
    ),
    (
        "mobile-in-config",
        {
            "mkdocs.yml": (ROOT / "mkdocs.yml")
            .read_text(encoding="utf-8")
            .replace("copyright: 滨州市总工会", "copyright: 滨州市总工会 联系 13800138000")
        },
        [("mkdocs.yml:", "手机号码")],
    ),
    (
        "script-in-page",
        {
            "content/index.md": (ROOT / "content/index.md").read_text(encoding="utf-8")
            + "\n<img src=x onerror=alert(1)>\n"
        },
        [("content/index.md:", "不能有脚本或事件属性")],
    ),
    (
        "comment-swallows-text",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", "summary: 成果 #1 获奖")},
        [(f"{S}:9:12: summary", "被当成了注释")],
    ),
    (
        "no-space-after-colon",
        {S: sub(STUDIO, "organization: 测试", "organization:测试")},
        [(f"{S}:3:1:", "后面要加一个空格")],
    ),
    ("value-starts-with-at", {S: sub(STUDIO, "summary: 这是", "summary: @这是")}, [(f"{S}:9:", "值不能以“@”开头")]),
    (
        "quoted-then-text",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", 'summary: "金点子"活动')},
        [(f"{S}:9:", "整个值都要在引号里")],
    ),
    (
        "over-indented",
        {S: sub(STUDIO, "  name: 张三\n", "  name: 张三\n    honors: 滨州工匠\n")},
        [(f"{S}:7:", "缩进不对")],
    ),
    ("reserved-index-id", {"content/studios/index.yml": STUDIO}, [("content/studios/index.yml: ", "不能作编号")]),
    (
        "shadowing-page",
        {"content/studios/hewang.md": "# 手写\n"},
        [("content/studios/hewang.md: ", "这个页面由记录自动生成")],
    ),
    (
        "unknown-marker",
        {"content/index.md": (ROOT / "content/index.md").read_text(encoding="utf-8") + "\n<!-- jx:nothing -->\n"},
        [("content/index.md:", "未知的标记 <!-- jx:nothing -->")],
    ),
    (
        "several-files",
        {
            S: sub(STUDIO, "level: municipal", "level: 市级"),
            T: sub(STORY, "studio: hewang", "studio: nowhere"),
            "content/studios/zz-third.yml": STUDIO.replace("name: 测试创新工作室", "name: [未闭合"),
        },
        [
            (f"{S}:4:1: level", "不是可选的值"),
            (f"{T}:2:1: studio", "nowhere"),
            ("content/studios/zz-third.yml:2:", "括号没有配对"),
        ],
    ),
]


# Cases that also run through the real publish command: a YAML syntax error (the loader), a
# mistake only the hook sees (after MkDocs has emptied its output folder), several files at once.
PUBLISHED = ("unclosed-quote", "shadowing-page", "several-files")


def write_files(project: Path, files: dict) -> None:
    for rel, content in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def message_lines(log: str) -> list[str]:
    return [line.removeprefix("ERROR   -  ") for line in log.splitlines()]


def expect_lines(log: str, expected: list[tuple[str, str]]) -> None:
    """Each (path:line prefix, fragment) is one line of `log`."""
    lines = message_lines(log)
    for where, what in expected:
        assert any(line.startswith(where) and what in line for line in lines), f"缺少“{where} … {what}”：\n{log}"


# ---------------------------------------------------------------- in-process: every case


def build_in_process(project: Path, site_dir: Path, caplog) -> tuple[BaseException | None, str]:
    """MkDocs' `build()` of `project` in this process: the exception it ended with and what it logged."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    caplog.clear()
    with caplog.at_level(logging.INFO):
        try:
            build(config)
        except Exception as err:  # the test looks at what it was
            return err, "\n".join(record.getMessage() for record in caplog.records)
    return None, "\n".join(record.getMessage() for record in caplog.records)


def test_matrix_is_large_enough():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)
    assert set(PUBLISHED) <= {c[0] for c in CASES}


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_in_process(tmp_path, caplog, name, files, expected):
    project = scratch_project(tmp_path / "p")
    write_files(project, files)
    error, log = build_in_process(project, tmp_path / "out", caplog)
    # MkDocs turns the hook's PluginError into its log line and Abort, the CLI's non-zero exit;
    # any other exception would be a traceback in front of the editor.
    assert isinstance(error, Abort), f"{error!r}\n{log}"
    assert isinstance(error.__context__, PluginError), repr(error.__context__)
    expect_lines(log, expected)
    assert "Traceback" not in log
    # Every problem the loader finds is in the report (the hook reports them all, at once).
    _, problems = load_site(project / "content", project)
    assert {str(p) for p in problems} <= set(message_lines(log))
    assert not list((tmp_path / "out").rglob("*.html"))


# ---------------------------------------------------------------- in-process: the hook's events


# ---------------------------------------------------------------- the real publish command


@pytest.mark.parametrize(
    ("name", "files", "expected"),
    [c for c in CASES if c[0] in PUBLISHED],
    ids=[c[0] for c in CASES if c[0] in PUBLISHED],
)
def test_bad_input_is_reported_and_site_kept(published, tmp_path, name, files, expected):
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    before = snapshot(project / "site")
    write_files(project, files)
    result = publish(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    expect_lines(log, expected)
    assert "Traceback" not in log
    assert "原有的 site/ 保持不变" in log
    assert snapshot(project / "site") == before
    assert not list(project.glob(".site-*"))


def test_publish_swaps_in_a_good_build(published, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    story = project / "content" / "stories" / "zz-story.yml"
    story.write_text(STORY, encoding="utf-8")
    result = publish(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "stories" / "zz-story" / "index.html").is_file()
    assert not list(project.glob(".site-*"))
