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
from jiangxin.problems import Stop
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


# (case id, {file: text or bytes or None to delete}, [(line prefix, problem code, what the line names), ...]):
# the codes say which mistake was found; the prefix and the names (a value, a field, a hint) where it is reported.
CASES = [
    ("unclosed-quote", {S: sub(STUDIO, "summary: 这是", 'summary: "这是')}, [(f"{S}:9:", "yaml.unclosed-quote", "")]),
    ("tab-indent", {S: sub(STUDIO, "  size: 12", "\tsize: 12")}, [(f"{S}:8:", "yaml.tab", "")]),
    ("full-width-colon", {S: sub(STUDIO, "summary: 这是", "summary：这是")}, [(f"{S}:9:", "yaml.chinese-colon", "")]),
    (
        "ideographic-space-key",
        {S: sub(STUDIO, "summary: 这是", "summary\u3000: 这是")},
        [(f"{S}:9:", "schema.unknown-field", "全角空格")],
    ),
    ("duplicate-key", {S: STUDIO + "name: 重复\n"}, [(f"{S}:15:1: name", "yaml.duplicate-key", "第 2 行")]),
    ("anchor", {S: sub(STUDIO, "organization: 测试", "organization: &o 测试")}, [(f"{S}:3:", "yaml.anchor", "&o")]),
    (
        "alias",
        {S: sub(STUDIO, "organization: 测试", "organization: &o 测试") + "industry: *o\n"},
        [(f"{S}:15:", "yaml.alias", "*o")],
    ),
    ("merge-key", {S: STUDIO + "team2:\n  <<: {size: 1}\n"}, [(f"{S}:16:", "yaml.merge-key", "")]),
    (
        "python-tag",
        {S: sub(STUDIO, "name: 测试创新工作室", "name: !!python/object:os.system 测试")},
        [(f"{S}:2:", "yaml.tag", "!!python/object:os.system")],
    ),
    ("two-documents", {S: STUDIO + "---\nname: 第二条\n"}, [(f"{S}:15:", "yaml.several-documents", "")]),
    ("top-level-list", {S: "- name: 测试\n"}, [(f"{S}:1:", "yaml.not-a-mapping", "")]),
    ("empty-file", {S: ""}, [(f"{S}:1:", "yaml.empty", "")]),
    ("gbk-file", {S: STUDIO.encode("gbk")}, [(f"{S}:2:", "yaml.not-utf8", "GBK")]),
    ("too-deep", {S: STUDIO + "extra: " + "[" * 40 + "]" * 40 + "\n"}, [(f"{S}:15:", "yaml.too-deep", "")]),
    ("too-large", {S: STUDIO + "# " + "很长" * 100000 + "\n"}, [(f"{S}: ", "yaml.too-large", "")]),
    (
        "wrong-type-year",
        {S: sub(STUDIO, "year: 2024", 'year: "二〇二四"')},
        [(f"{S}:12:5: designations[0].year", "schema.type", "二〇二四")],
    ),
    ("wrong-type-size", {S: sub(STUDIO, "size: 12", "size: 十二")}, [(f"{S}:8:3: team.size", "schema.type", "整数")]),
    (
        "unknown-field",
        {S: sub(STUDIO, "summary:", "sumary:")},
        [(f"{S}:9:1: sumary", "schema.unknown-field", "“summary”")],
    ),
    (
        "enum-level",
        {S: sub(STUDIO, "level: municipal", "level: 市级")},
        [(f"{S}:4:1: level", "schema.enum", "national、provincial、municipal、county")],
    ),
    (
        "missing-required",
        {S: sub(STUDIO, "organization: 测试单位（虚构）\n", "")},
        [(f"{S}:2:1: organization", "schema.required", "")],
    ),
    (
        "empty-value",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", "summary:")},
        [(f"{S}:9:1: summary", "schema.empty", "")],
    ),
    (
        "empty-string",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", 'summary: ""')},
        [(f"{S}:9:1: summary", "schema.empty-text", "")],
    ),
    (
        "too-long",
        {S: sub(STUDIO, "name: 测试创新工作室", "name: " + "长" * 201)},
        [(f"{S}:2:1: name", "schema.too-long", "201 字")],
    ),
    ("empty-list", {S: STUDIO + "focus: []\n"}, [(f"{S}:15:1: focus", "schema.empty-list", "")]),
    ("boolean-in-chinese", {S: STUDIO + "featured: 是\n"}, [(f"{S}:15:1: featured", "schema.type", "true 或 false")]),
    ("yaml11-boolean", {S: STUDIO + "featured: yes\n"}, [(f"{S}:15:1: featured", "schema.type", "true 或 false")]),
    (
        "negative-number",
        {S: sub(STUDIO, "size: 12", "size: -3")},
        [(f"{S}:8:3: team.size", "schema.out-of-range", "不能小于 1")],
    ),
    (
        "url-scheme",
        {S: sub(STUDIO, "  title: 测试出处", "  title: 测试出处\n  url: javascript:alert(1)")},
        [(f"{S}:15:3: source.url", "schema.url", "")],
    ),
    (
        "impossible-date",
        {T: sub(STORY, "date: 2025-05-01", "date: 2025-02-30")},
        [(f"{T}:3:1: date", "schema.date", "2025-02-30")],
    ),
    (
        "audience-value",
        {T: sub(STORY, "  - 中学", "  - 大学")},
        [(f"{T}:8:5: audiences[0]", "schema.enum", "公众、小学、中学、职业院校")],
    ),
    (
        "broken-reference",
        {T: sub(STORY, "studio: hewang", "studio: he-wang")},
        [(f"{T}:2:1: studio", "record.broken-reference", "“he-wang”")],
    ),
    (
        "report-year-mismatch",
        {
            "content/reports/2025.yml": (ROOT / "content/reports/2025.yml")
            .read_text(encoding="utf-8")
            .replace("year: 2025", "year: 2024")
        },
        [("content/reports/2025.yml:2:1: year", "record.year-mismatch", "2025.yml")],
    ),
    (
        "report-group",
        {
            "content/reports/2025.yml": (ROOT / "content/reports/2025.yml")
            .read_text(encoding="utf-8")
            .replace("group: studios", "group: 工作室", 1)
        },
        [("content/reports/2025.yml:10:5: figures[0].group", "schema.enum", "工作室")],
    ),
    (
        "uppercase-file-name",
        {"content/studios/ZhangSan.yml": STUDIO},
        [("content/studios/ZhangSan.yml: ", "record.bad-id", "zhangsan.yml")],
    ),
    (
        "chinese-file-name",
        {"content/studios/张三.yml": STUDIO},
        [("content/studios/张三.yml: ", "record.bad-id", "张三")],
    ),
    (
        "duplicate-id",
        {"content/studios/hewang.yaml": STUDIO},
        [("content/studios/hewang.yml:1:1", "record.duplicate-id", "")],
    ),
    (
        "missing-photo",
        {S: STUDIO + "photos:\n  - file: media/none.jpg\n    alt: 工作室外景\n"},
        [(f"{S}:16:", "photo.missing", "content/media/none.jpg")],
    ),
    (
        "photo-without-alt",
        {S: STUDIO + "photos:\n  - file: media/none.jpg\n"},
        [(f"{S}:16:5: photos[0].alt", "schema.required", "")],
    ),
    (
        "photo-pdf",
        with_photo("media/a.jpg", data=b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"),
        [(f"{S}:16:5: {PHOTO}", "image.not-an-image", "PDF")],
    ),
    (
        "photo-html",
        with_photo("media/a.jpg", data=b"\xff\xd8\xff<html><script>alert(1)</script>"),
        [(f"{S}:16:5: {PHOTO}", "image.unrecognized", "")],
    ),
    (
        "photo-html-named-png",
        with_photo("media/a.png", data=b"<!DOCTYPE html><p>x"),
        [(f"{S}:16:5: {PHOTO}", "image.not-an-image", "网页")],
    ),
    (
        "photo-svg",
        with_photo("media/a.png", data=b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        [(f"{S}:16:5: {PHOTO}", "image.svg", "")],
    ),
    (
        "photo-truncated",
        with_photo("media/a.jpg", data=JPEG[: len(JPEG) // 2]),
        [(f"{S}:16:5: {PHOTO}", "image.broken", "")],
    ),
    ("photo-bomb", with_photo("media/a.png", data=bomb_png()), [(f"{S}:16:5: {PHOTO}", "image.too-many-pixels", "")]),
    (
        "photo-too-large",
        with_photo("media/a.jpg", data=JPEG + b"\0" * (photos.MAX_BYTES + 1 - len(JPEG))),
        [(f"{S}:16:5: {PHOTO}", "image.too-large", "")],
    ),
    (
        "photo-dotdot",
        with_photo("media/../../mkdocs.jpg"),
        [(f"{S}:16:5: {PHOTO}", "photo.outside-content", "media/../../mkdocs.jpg")],
    ),
    (
        "photo-absolute",
        with_photo("/etc/a.jpg"),
        [
            (f"{S}:16:5: {PHOTO}", "schema.photo-file", "/etc/a.jpg"),
            (f"{S}:16:5: {PHOTO}", "photo.absolute-path", "/etc/a.jpg"),
        ],
    ),
    (
        "photo-url",
        with_photo("https://example.org/a.jpg"),
        [
            (f"{S}:16:5: {PHOTO}", "schema.photo-file", "https://example.org/a.jpg"),
            (f"{S}:16:5: {PHOTO}", "photo.absolute-path", "https://example.org/a.jpg"),
        ],
    ),
    ("photo-alt-empty", with_photo("media/a.jpg", "", JPEG), [(f"{S}:17:5: photos[0].alt", "schema.empty-text", "")]),
    ("photo-alt-spaces", with_photo("media/a.jpg", "   ", JPEG), [(f"{S}:17:5: {ALT}", "photo.alt-blank", "")]),
    (
        "photo-alt-file-name",
        with_photo("media/a.jpg", "a.jpg", JPEG),
        [(f"{S}:17:5: {ALT}", "photo.alt-file-name", "“a.jpg”")],
    ),
    (
        "photo-alt-path",
        with_photo("media/a.jpg", "media/a.jpg", JPEG),
        [(f"{S}:17:5: {ALT}", "photo.alt-file-name", "“media/a.jpg”")],
    ),
    (
        "photo-several",
        {
            S: STUDIO + "photos:\n  - file: media/a.jpg\n    alt: a\n  - file: media/b.jpg\n    alt: 车间\n",
            "content/media/a.jpg": b"%PDF-1.4",
            "content/media/b.jpg": JPEG[:900],
        },
        [
            (f"{S}:16:5: {PHOTO}", "image.not-an-image", "PDF"),
            (f"{S}:17:5: {ALT}", "photo.alt-file-name", "“a”"),
            (f"{S}:18:5: photos[1].file", "image.broken", ""),
        ],
    ),
    (
        "id-number",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", "summary: 身份证 11010519491231002X。")},
        [(f"{S}:9: summary", "privacy.id-number", "110***********002X")],
    ),
    (
        "mobile-in-story",
        {T: sub(STORY, "  虚构的正文。", "  联系电话 138-0013-8000。")},
        [(f"{T}:6: body", "privacy.mobile", "138****8000")],
    ),
    (
        "mobile-in-comment",
        {S: STUDIO + "# 领衔人手机 +86 139 1234 5678\n"},
        [(f"{S}:15:", "privacy.mobile", "139****5678")],
    ),
    (
        "full-width-mobile-in-page",
        {
            "content/index.md": (ROOT / "content/index.md").read_text(encoding="utf-8")
            + "\n咨询：１３８００１３８０００\n"
        },
        [("content/index.md:", "privacy.mobile", "138****8000")],
    ),
    (
        "mobile-in-config",
        {
            "mkdocs.yml": (ROOT / "mkdocs.yml")
            .read_text(encoding="utf-8")
            .replace("copyright: 滨州市总工会", "copyright: 滨州市总工会 联系 13800138000")
        },
        [("mkdocs.yml:", "privacy.mobile", "138****8000")],
    ),
    (
        "script-in-page",
        {
            "content/index.md": (ROOT / "content/index.md").read_text(encoding="utf-8")
            + "\n<img src=x onerror=alert(1)>\n"
        },
        [("content/index.md:", "page.event-attribute", "onerror")],
    ),
    (
        "comment-swallows-text",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", "summary: 成果 #1 获奖")},
        [(f"{S}:9:12: summary", "yaml.swallowed-comment", "")],
    ),
    (
        "no-space-after-colon",
        {S: sub(STUDIO, "organization: 测试", "organization:测试")},
        [(f"{S}:3:1:", "yaml.space-after-colon", "")],
    ),
    (
        "value-starts-with-at",
        {S: sub(STUDIO, "summary: 这是", "summary: @这是")},
        [(f"{S}:9:", "yaml.bad-start", "“@”")],
    ),
    (
        "quoted-then-text",
        {S: sub(STUDIO, "summary: 这是一条虚构的测试记录。", 'summary: "金点子"活动')},
        [(f"{S}:9:", "yaml.text-after-quote", "")],
    ),
    (
        "over-indented",
        {S: sub(STUDIO, "  name: 张三\n", "  name: 张三\n    honors: 滨州工匠\n")},
        [(f"{S}:7:", "yaml.indent", "")],
    ),
    (
        "reserved-index-id",
        {"content/studios/index.yml": STUDIO},
        [("content/studios/index.yml: ", "record.reserved-id", "“index”")],
    ),
    (
        "shadowing-page",
        {"content/studios/hewang.md": "# 手写\n"},
        [("content/studios/hewang.md: ", "page.shadows-record", "")],
    ),
    (
        "unknown-marker",
        {"content/index.md": (ROOT / "content/index.md").read_text(encoding="utf-8") + "\n<!-- jx:nothing -->\n"},
        [("content/index.md:", "page.unknown-marker", "<!-- jx:nothing -->")],
    ),
    (
        "several-files",
        {
            S: sub(STUDIO, "level: municipal", "level: 市级"),
            T: sub(STORY, "studio: hewang", "studio: nowhere"),
            "content/studios/zz-third.yml": STUDIO.replace("name: 测试创新工作室", "name: [未闭合"),
        },
        [
            (f"{S}:4:1: level", "schema.enum", "市级"),
            (f"{T}:2:1: studio", "record.broken-reference", "“nowhere”"),
            ("content/studios/zz-third.yml:2:", "yaml.unclosed-bracket", ""),
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


def expect_problems(stop: Stop, log: str, expected: list[tuple[str, str, str]]) -> None:
    """Every line of the stop's report is a line of `log`, and each (line prefix, code, names) one of them."""
    lines = message_lines(log)
    shown = stop.lines()
    assert shown and [line for _, line in shown if line not in lines] == [], log
    for where, code, names in expected:
        assert any(line.startswith(where) and p.code == code and names in line for p, line in shown), (
            f"缺少“{where} … {code} {names}”：\n{log}\n{[p.code for p, _ in shown]}"
        )


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
    stop = error.__context__.__cause__  # the hook's PluginError keeps the engine's Stop and its problems
    assert isinstance(stop, Stop), repr(stop)
    expect_problems(stop, log, expected)
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
def test_bad_input_is_reported_and_site_kept(published, tmp_path, caplog, name, files, expected):
    # The same mistake in process first: the problems and lines the publish must show.
    scratch = scratch_project(tmp_path / "scratch")
    write_files(scratch, files)
    error, in_process = build_in_process(scratch, tmp_path / "out", caplog)
    assert error is not None and isinstance(error.__context__, PluginError), in_process
    stop = error.__context__.__cause__
    assert isinstance(stop, Stop), repr(stop)
    project = tmp_path / "p"
    shutil.copytree(published, project, symlinks=True)
    before = snapshot(project / "site")
    write_files(project, files)
    result = publish(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    expect_problems(stop, log, expected)
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
