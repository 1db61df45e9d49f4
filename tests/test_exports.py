"""Open data, story feed, outreach calendar, QR codes and wall posters.

Unit tests run the pure builders on the real content plus one clearly fictional
studio and story (written to a temporary folder, never published); build tests
run the real `mkdocs build --strict` with `site_url` set, and without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import jsonschema
import pytest
import segno
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import ROOT, copy_project, mkdocs_build
from jiangxin.checks import validate
from jiangxin.checks.yamlsource import Plain
from jiangxin.content.loader import load_site
from jiangxin.records import catalogue
from jiangxin.records.model import Site, Studio, freeze
from jiangxin.records.registry import KIND
from jiangxin.site import exports, feeds, posters
from jiangxin.site.context import BuildContext
from jiangxin.site.templates import make_env

SITE_URL = "https://jiangxin.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"
ENV = make_env(ROOT / "overrides")
# What mkdocs.yml says as site_author; a test keeps the two equal.
PUBLISHER = "滨州市总工会"
# A 1×1 PNG, so the fictional studio can carry a photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)

FICTIONAL_STUDIO = """\
name: 虚构测试工作室“甲”, 仅供测试
organization: 虚构测试单位
units: 2
county: 虚构县
industry: 虚构行业
keywords:
  - 虚构
level: provincial
designations:
  - level: provincial
    title: 虚构省级命名
    year: 2024
  - title: 虚构荣誉，未注明级别
leader:
  name: 虚构甲
  honors:
    - 虚构工匠
    - 虚构劳模, 带逗号
team:
  size: 12
  core_members: 3
focus:
  - 虚构方向一
  - 虚构方向二
summary: 这是一条虚构的测试记录，只在测试的临时文件夹里出现，不会发布。
description: |
  第一段，含 "引号" 和逗号,。

  第二段。
achievements:
  - type: benefit
    title: 虚构效益
    year: 2025
    amount:
      value: 11.15
      unit: 亿元
      approx: 超
      period: 2025年
      label: 虚构说明
  - type: patent
    patent_type: invention
    title: 虚构专利
    count:
      value: 3
      unit: 项
talent:
  - type: mentoring
    title: 虚构师徒结对
    count:
      value: 300
      unit: 人次
      approx: 余
      period: 每年
competitions:
  - name: 虚构竞赛
    year: 2025
    participants:
      value: 1000
      unit: 人次
      approx: 近
    results: 虚构成绩。
outreach:
  - title: 虚构校园宣讲
    date: 2025-05-01
    audiences:
      - 校园
      - 社区
    place: 虚构中学
    speaker: 虚构甲
    text: 虚构说明，含逗号；分号。
    reach:
      value: 500
      unit: 人次
  - title: 虚构只有年份的宣讲
    year: 2024
  - title: 虚构同日第二场
    date: 2025-05-01
photos:
  - file: media/test-1.png
    caption: 虚构照片
    alt: 一张一像素的虚构图片
featured: false
source:
  title: 虚构出处
  author: 虚构作者
  date: 2025-04-30
  url: https://example.org/fictional
"""

FICTIONAL_STORY = """\
title: 虚构的测试故事
person:
  name: 虚构甲
  honors:
    - 虚构工匠
studio: test-fictional
date: 2025-06-01
summary: 虚构的测试故事，只在测试里出现。
body: |
  虚构正文，[链接到工作室](../../studios/test-fictional/)。
themes:
  - 工匠精神
  - 创新
audiences:
  - 中学
questions:
  - 虚构问题一、带顿号？
  - 虚构问题二
source:
  title: 虚构出处
"""


def add_fictional(project: Path) -> Path:
    """Add the fictional studio (with dated talks) and story, and set `site_url`."""
    content = project / "content"
    (content / "studios" / "test-fictional.yml").write_text(FICTIONAL_STUDIO, encoding="utf-8")
    (content / "stories" / "test-fictional-story.yml").write_text(FICTIONAL_STORY, encoding="utf-8")
    (content / "media").mkdir(exist_ok=True)
    (content / "media" / "test-1.png").write_bytes(PNG)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("site_author: 滨州市总工会\n", f"site_author: 滨州市总工会\nsite_url: {SITE_URL}\n"),
        encoding="utf-8",
    )
    assert f"site_url: {SITE_URL}" in config.read_text(encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return add_fictional(copy_project(tmp_path_factory.mktemp("exports")))


@pytest.fixture(scope="module")
def site(project) -> Site:
    loaded, problems = load_site(project / "content", project)
    assert not problems, problems
    assert loaded.studio("test-fictional")
    return loaded


@pytest.fixture(scope="module")
def built(project) -> Path:
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    return project / "site"


def assets_of(site: Site, site_url: str | None = SITE_URL) -> dict[str, bytes]:
    ctx = BuildContext(ENV, site, site_url, PUBLISHER)
    builders = (exports.data_exports, feeds.feed_assets, posters.poster_assets)
    return {a.path: a.content for build in builders for a in build(ctx)}


# ---------------------------------------------------------------- JSON and CSV


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of an exported CSV, after checking what Excel on Windows needs: BOM, UTF-8, CRLF."""
    assert data.startswith(b"\xef\xbb\xbf"), "CSV 缺少 BOM，Windows 上的 Excel 会把中文显示成乱码"
    text = data[3:].decode("utf-8")
    assert text.split("\n", 1)[0].endswith("\r"), "表头行应以 CRLF 结尾"
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _put(target: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _unflatten(row: dict[str, str], columns: tuple[exports.Column, ...], skip: int) -> dict:
    out: dict = {}
    for column in columns[skip:]:
        cell = row[column.key]
        if cell != "":
            _put(out, column.key, [Plain(v) for v in cell.split("\n")] if column.is_list else Plain(cell))
    return out


def records_from_csv(kind: str, files: dict[str, bytes]) -> dict[str, dict]:
    """Rebuild every record of a kind from its CSV tables alone, typed by the schema."""
    tables = [t for t in exports.tables() if t.kind == kind]
    main = tables[0]
    records = {row["id"]: _unflatten(row, main.columns, 1) for row in read_csv(files[f"data/{main.file}"])}
    for table in tables[1:]:
        parent = table.columns[0].key
        for row in sorted(read_csv(files[f"data/{table.file}"]), key=lambda r: (r[parent], int(r["position"]))):
            entries = records[row[parent]].setdefault(table.field, [])
            assert int(row["position"]) == len(entries) + 1
            entries.append(_unflatten(row, table.columns, 2))
    doc = f"{kind}.schema.json"
    return {rid: validate.coerce(value, catalogue.documents()[doc], doc) for rid, value in records.items()}


def published_validator(files: dict[str, bytes], kind: str) -> jsonschema.Draft202012Validator:
    """A validator built from the schemas as published under data/schemas/, not from the source tree."""
    docs = {
        path.rsplit("/", 1)[1]: json.loads(data) for path, data in files.items() if path.startswith("data/schemas/")
    }
    registry = Registry().with_resources(
        (name, Resource.from_contents(doc, default_specification=DRAFT202012)) for name, doc in docs.items()
    )
    return jsonschema.Draft202012Validator(
        docs[f"{kind}.schema.json"], registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("kind", ["studio", "story", "report"])
def test_json_equals_the_validated_records_and_passes_the_published_schema(site, kind):
    files = assets_of(site)
    data = json.loads(files[f"data/{KIND[kind].folder}.json"].decode("utf-8"))
    records = {"studio": site.studios, "story": site.stories, "report": site.reports}[kind]
    assert list(data) == [r.id for r in records]
    for record in records:
        assert data[record.id] == exports.plain(record.data), record.id
        published_validator(files, kind).validate(data[record.id])


@pytest.mark.parametrize("kind", ["studio", "story", "report"])
def test_csv_tables_rebuild_every_record_exactly(site, kind):
    files = assets_of(site)
    records = {"studio": site.studios, "story": site.stories, "report": site.reports}[kind]
    rebuilt = records_from_csv(kind, files)
    assert list(rebuilt) == [r.id for r in records]
    for record in records:
        assert rebuilt[record.id] == exports.plain(record.data), record.id


def test_csv_has_one_row_per_studio_story_figure_and_entry_with_the_studio_id(site):
    files = assets_of(site)
    assert [r["id"] for r in read_csv(files["data/studios.csv"])] == [s.id for s in site.studios]
    assert len(read_csv(files["data/stories.csv"])) == len(site.stories)
    figures = read_csv(files["data/report_figures.csv"])
    assert len(figures) == sum(len(r.get("figures")) for r in site.reports)
    assert {
        "report_year": "2025",
        "metric": "economic_benefit",
        "value": "11.15",
        "unit": "亿元",
        "approx": "超",
    }.items() <= figures[6].items()
    outreach = read_csv(files["data/studio_outreach.csv"])
    mine = [r for r in outreach if r["studio_id"] == "test-fictional"]
    assert [(r["position"], r["date"], r["audiences"]) for r in mine] == [
        ("1", "2025-05-01", "校园\n社区"),
        ("2", "", ""),
        ("3", "2025-05-01", ""),
    ]
    assert {r["studio_id"] for r in outreach} == {"gaoqiang", "wangjingfeng", "test-fictional"}
    for name in ("studio_achievements", "studio_talent", "studio_competitions", "studio_designations", "studio_photos"):
        header = files[f"data/{name}.csv"].decode("utf-8-sig").split("\r\n", 1)[0]
        assert header.startswith("studio_id,position,"), name
    fictional = next(r for r in read_csv(files["data/studios.csv"]) if r["id"] == "test-fictional")
    assert fictional["name"] == "虚构测试工作室“甲”, 仅供测试"
    assert fictional["leader.honors"] == "虚构工匠\n虚构劳模, 带逗号"
    assert fictional["featured"] == "false" and fictional["units"] == "2"


def test_json_is_readable_utf8_with_sorted_keys(site):
    raw = assets_of(site)["data/studios.json"]
    text = raw.decode("utf-8")
    assert "\\u" not in text and "何旺创新工作室" in text
    assert raw.endswith(b"}\n")
    record = json.loads(text)["test-fictional"]
    assert list(record) == sorted(record)


def test_schemas_are_published_byte_for_byte(site):
    files = assets_of(site)
    sources = sorted(catalogue.SCHEMA_DIR.glob("*.schema.json"))
    assert {f"data/schemas/{p.name}" for p in sources} == {p for p in files if p.startswith("data/schemas/")}
    for path in sources:
        assert files[f"data/schemas/{path.name}"] == path.read_bytes()


def test_every_column_has_a_chinese_title():
    for table in exports.tables():
        for column in table.columns:
            assert re.search(r"[\u4e00-\u9fff]", column.title), (table.name, column.key)
    studios = next(t for t in exports.tables() if t.name == "studios")
    titles = {c.key: c.title for c in studios.columns}
    assert titles["leader.name"] == "领衔人·姓名"
    assert titles["level"].startswith("级别：national 国家级")
    assert titles["focus"] == "攻关方向" and next(c for c in studios.columns if c.key == "focus").is_list


def test_publisher_is_the_site_author(built_site):
    """The /data/ page names whoever mkdocs.yml names as site_author (the build context carries it)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    html = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert f"数据由{config['site_author']}发布" in html


# ---------------------------------------------------------------- feed


def test_feed_lists_every_story_newest_first_with_absolute_links(site):
    feed = ET.fromstring(feeds.atom_feed(site, SITE_URL, PUBLISHER))
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(site.stories)
    # The one dated story comes first; the undated ones follow by id.
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert ids[0] == SITE_URL + "stories/test-fictional-story/"
    assert ids[1:] == [SITE_URL + s.url for s in site.stories if s.id != "test-fictional-story"]
    assert feed.findtext(f"{ATOM}updated") == "2025-06-01T00:00:00+08:00"
    assert entries[0].findtext(f"{ATOM}published") == "2025-06-01T00:00:00+08:00"
    assert entries[1].find(f"{ATOM}published") is None
    assert entries[1].findtext(f"{ATOM}updated") == "2025-06-01T00:00:00+08:00"
    for el in feed.iter():
        for attr in ("href", "{http://www.w3.org/XML/1998/namespace}base"):
            if el.get(attr) is not None:
                assert el.get(attr).startswith(SITE_URL), el.get(attr)
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith(SITE_URL)
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")
    assert [c.get("term") for c in entries[0].findall(f"{ATOM}category")] == ["工匠精神", "创新"]
    assert 'href="../../studios/test-fictional/"' in entries[0].findtext(f"{ATOM}content")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "滨州市总工会"


def test_feed_date_comes_from_the_records_never_the_clock(real_site):
    real = real_site
    assert feeds.feed_updated(real) == dt.datetime(2025, 1, 1, tzinfo=feeds.CHINA)  # no dated story: the report year
    assert feeds.feed_updated(Site()) == feeds.EPOCH
    assert feeds.atom_feed(real, SITE_URL, "x") == feeds.atom_feed(real, SITE_URL, "x")


def test_feed_needs_the_site_address(site):
    assert feeds.FEED_PATH in assets_of(site, SITE_URL)
    assert feeds.FEED_PATH not in assets_of(site, None)


# ---------------------------------------------------------------- calendar


def test_calendar_has_one_all_day_event_per_dated_talk(site):
    raw = assets_of(site)[feeds.CALENDAR_PATH]
    text = raw.decode("utf-8")
    assert text.count("BEGIN:VEVENT") == 2
    assert text.count("DTSTART;VALUE=DATE:20250501\r\n") == 2
    assert "DTEND;VALUE=DATE:20250502\r\n" in text
    assert "DTSTAMP:20250501T000000Z\r\n" in text
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        "test-fictional-2025-05-01-1@jiangxin-binzhou",
        "test-fictional-2025-05-01-2@jiangxin-binzhou",
    ]
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2025, 5, 1)
    assert str(first["summary"]) == "虚构校园宣讲（虚构测试工作室“甲”, 仅供测试）"
    assert str(first["location"]) == "虚构中学"
    assert "宣讲人：虚构甲" in str(first["description"]) and "面向：校园、社区" in str(first["description"])
    assert str(first["url"]) == SITE_URL + "studios/test-fictional/"
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n")), "iCalendar 行长不能超过 75 字节"


def test_calendar_leaves_out_talks_without_a_day(site, real_site):
    undated = [(t.studio.id, t.data["title"]) for t in feeds.undated_outreach(site)]
    assert ("test-fictional", "虚构只有年份的宣讲") in undated
    assert ("gaoqiang", "校园宣讲") in undated and ("wangjingfeng", "基层一线宣讲") in undated
    real = real_site
    empty = feeds.outreach_calendar(real, None).decode("utf-8")
    assert "BEGIN:VCALENDAR" in empty and "BEGIN:VEVENT" not in empty


# ---------------------------------------------------------------- QR codes and posters


def dark_modules(svg: bytes) -> set[tuple[int, int]]:
    """The dark modules a segno SVG path draws (M/m moves, h horizontal runs on row y - 0.5)."""
    root = ET.fromstring(svg)
    d = next(p for p in root.iter(f"{SVG}path") if p.get("stroke")).get("d")
    x = y = 0.0
    dark = set()
    for cmd, a, b in re.findall(r"([Mmh])(-?[0-9.]+)(?:[ ,](-?[0-9.]+))?", d):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y - 0.5)) for i in range(int(float(a))))
            x += float(a)
    return dark


def test_qr_svg_draws_the_code_of_the_studio_page(site):
    files = assets_of(site)
    for studio in site.studios:
        url = SITE_URL + f"studios/{studio.id}/"
        svg = files[f"studios/{studio.id}/qr.svg"]
        root = ET.fromstring(svg)
        expected = segno.make(url, error="m", micro=False)
        size = expected.symbol_size(border=4)[0]
        assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {size} {size}"
        assert root.findtext(f"{SVG}title") == url
        matrix = {(c + 4, r + 4) for r, row in enumerate(expected.matrix) for c, v in enumerate(row) if v}
        assert dark_modules(svg) == matrix, studio.id
    assert not [p for p in assets_of(site, None) if p.endswith("qr.svg")]


def test_qr_path_reader_can_tell_two_urls_apart():
    a, b = posters.qr_svg(SITE_URL + "studios/a/"), posters.qr_svg(SITE_URL + "studios/b/")
    assert dark_modules(a) != dark_modules(b)


def test_poster_shows_name_leader_summary_figures_qr_and_source(site):
    studio = site.studio("test-fictional")
    html = posters.poster_html(BuildContext(ENV, site, SITE_URL), studio)
    assert "<h1" in html and "虚构测试工作室“甲”, 仅供测试</h1>" in html
    assert "<strong>虚构甲</strong><em>虚构工匠、虚构劳模, 带逗号</em>" in html
    assert studio.get("summary") in html
    assert "<dd>超11.15亿元</dd>" in html and "<dd>近1000人次</dd>" in html
    assert '<svg viewBox="0 0 ' in html and "扫码查看工作室介绍" in html
    assert SITE_URL + "studios/test-fictional/" in html
    assert "资料来源：《虚构出处》，虚构作者，2025-04-30。" in html
    assert 'href="../../../studios/test-fictional/"' in html
    # Nothing from elsewhere: the one image is the studio's own photo, a variant made by the build.
    assert not re.search(r"<(?:link|script)\b", html), "海报不引用任何外部文件"
    photo = site.photo("media/test-1.png")
    assert photo is not None
    assert re.findall(r'<img src="([^"]+)"', html) == [f"../../../{photo.fallback.url}"]
    without = posters.poster_html(BuildContext(ENV, site, None), studio)
    assert "网站地址未配置，暂无二维码" in without and "<svg" not in without


def test_poster_keeps_at_most_six_figures_and_shortens_long_summaries():
    many = [{"type": "project", "title": f"虚构{i}", "count": {"value": i, "unit": "项"}} for i in range(9)]
    studio = Studio(
        "x", "x.yml", freeze({"name": "虚构", "organization": "虚构", "summary": "虚构。", "achievements": many})
    )
    assert [f.label for f in posters.key_figures(studio)] == [f"虚构{i}" for i in range(6)]
    text = "虚构的句子，" * 20 + "到此为止。" + "还有很多虚构内容" * 40
    short, cut = posters.short_summary(text)
    assert cut and short.endswith("到此为止。……") and len(short) <= posters.MAX_SUMMARY + 2
    assert posters.short_summary("短。") == ("短。", False)


# ---------------------------------------------------------------- /data/ page


def test_data_page_lists_files_counting_rules_and_undated_talks(site):
    [page] = exports.data_pages(BuildContext(ENV, site, SITE_URL, PUBLISHER))
    assert page.src_uri == "data/index.md"
    md = page.markdown
    for name in (
        "studios.json",
        "stories.json",
        "reports.json",
        "studios.csv",
        "studio_outreach.csv",
        "report_figures.csv",
        "schemas/studio.schema.json",
    ):
        assert f'href="{name}"' in md, name
    assert "带有字节顺序标记（BOM）" in md and "Excel" in md
    assert (
        "两类数字分开，从不相加" in md and "“每年”的数字和“累计”的数字" in md and "“超11.15亿元”记作 value 11.15" in md
    )
    assert "数据由滨州市总工会发布" in md
    assert "虚构只有年份的宣讲</td><td>2024年（无具体日期）" in md
    assert "校园宣讲</td><td>未注明" in md
    # Studio names in that table must not make /data/ a search hit for a person or a studio.
    assert '<table data-pagefind-ignore>\n<thead><tr><th scope="col">工作室</th>' in md
    assert "目前有 2 场" in md
    assert 'href="../feed.xml"' in md and "https://jiangxin.example.org/feed.xml" in md
    assert "《建强阵地四维发力 释放“硬核”动能" in md and "11 个工作室、5 篇故事、1 份全市年度数据" in md


def test_data_page_says_the_feed_is_missing_without_site_address(site):
    [page] = exports.data_pages(BuildContext(ENV, site, None, PUBLISHER))
    assert "feed.xml" not in page.markdown
    assert "网站地址尚未配置，所以这次没有生成订阅源" in page.markdown


# ---------------------------------------------------------------- real builds


MY_FILES = ("data/", "feed.xml", "outreach/calendar.ics", "qr.svg", "poster/index.html")


def snapshot(site_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(site_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site_dir.rglob("*"))
        if p.is_file() and any(m in p.relative_to(site_dir).as_posix() for m in MY_FILES)
    }


def test_build_publishes_data_feed_calendar_qr_and_posters(built, site):
    for name in (
        "studios.json",
        "stories.json",
        "reports.json",
        "studios.csv",
        "studio_outreach.csv",
        "schemas/common.schema.json",
    ):
        assert (built / "data" / name).is_file(), name
    data = json.loads((built / "data" / "studios.json").read_text(encoding="utf-8"))
    assert data["test-fictional"] == exports.plain(site.studio("test-fictional").data)
    feed = ET.fromstring((built / "feed.xml").read_bytes())
    assert len(feed.findall(f"{ATOM}entry")) == len(site.stories)
    assert (built / "outreach" / "calendar.ics").read_text(encoding="utf-8").count("BEGIN:VEVENT") == 2
    for studio in site.studios:
        assert (built / "studios" / studio.id / "qr.svg").is_file()
        poster = (built / "studios" / studio.id / "poster" / "index.html").read_text(encoding="utf-8")
        assert f">{studio.name}</h1>" in poster
        assert '<svg viewBox="0 0 ' in poster
        profile = (built / "studios" / studio.id / "index.html").read_text(encoding="utf-8")
        assert f'href="../../studios/{studio.id}/poster/"' in profile
    page = (built / "data" / "index.html").read_text(encoding="utf-8")
    assert "<h1>开放数据</h1>" in page and 'href="studios.csv"' in page


@pytest.mark.build
def test_two_builds_write_the_same_bytes(project, built):
    again = mkdocs_build(project, "--site-dir", str(project / "site-again"))
    assert again.returncode == 0, again.stderr
    first, second = snapshot(built), snapshot(project / "site-again")
    assert len(first) > 30 and first == second


def test_built_data_page_links_the_feed_when_the_site_address_is_set(built):
    assert 'href="../feed.xml"' in (built / "data" / "index.html").read_text(encoding="utf-8")


def test_build_without_site_address_has_no_feed_and_no_qr(built_site):
    assert not (built_site / "feed.xml").exists()
    assert not list(built_site.glob("studios/*/qr.svg"))
    poster = (built_site / "studios" / "hewang" / "poster" / "index.html").read_text(encoding="utf-8")
    assert "网站地址未配置，暂无二维码" in poster and "<svg" not in poster
    assert "没有生成订阅源" in (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" not in (built_site / "outreach" / "calendar.ics").read_text(encoding="utf-8")


# ---------------------------------------------------------------- posters on paper (real Chromium)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture
def paper(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield page, requests
    context.close()


@pytest.mark.browser
def test_every_poster_prints_on_one_a4_page(paper, built, site):
    page, requests = paper
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    for studio in site.studios:
        url = (built / "studios" / studio.id / "poster" / "index.html").as_uri()
        page.goto(url)
        page.evaluate("document.fonts.ready.then(() => true)")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        assert pdf_pages(pdf) == 1, f"{studio.id} 的海报打印出 {pdf_pages(pdf)} 页"
        assert page.locator("svg").count() == 1
        # On screen (no fixed sheet height) nothing is cut: the summary is there to read.
        assert page.locator(".jx-poster__summary").bounding_box()["height"] > 20, studio.id
        if studio.id in ("hewang", "bohai-piston"):
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 794, "height": 1123})
            page.screenshot(path=str(artifacts / f"poster-{studio.id}.png"), full_page=True)
            # "null" ends the emulation: with media="screen" every later page.pdf() laid out the screen CSS.
            page.emulate_media(media="null")
    assert all(r.startswith("file://") for r in requests), [r for r in requests if not r.startswith("file://")]


@pytest.mark.browser
def test_poster_with_the_longest_allowed_fields_still_fits_one_page(paper):
    page, _ = paper
    long_figures = [
        {
            "type": "project",
            "title": "虚构攻关项目名称" * 25,
            "count": {"value": 123456.78, "unit": "万人次", "approx": "超", "period": "虚构时间范围" * 5},
        }
        for _ in range(8)
    ]
    data = {
        "name": "虚构" * 100,
        "organization": "虚构单位" * 50,
        "county": "虚构县",
        "industry": "虚构行业" * 20,
        "level": "national",
        "units": 99,
        "designations": [{"level": "national", "title": "虚构命名" * 20, "year": 2025} for _ in range(6)],
        "leader": {"name": "虚构" * 20, "honors": ["虚构荣誉称号" * 10 for _ in range(6)]},
        "focus": ["虚构方向" * 10 for _ in range(10)],
        "summary": "虚构简介。" * 400,
        "achievements": long_figures,
        "source": {"title": "虚构出处" * 50, "author": "虚构作者" * 50, "date": "2025-01-01"},
    }
    studio = Studio("test-long", "x.yml", freeze(data))
    page.set_content(posters.poster_html(BuildContext(ENV, Site(studios=(studio,)), SITE_URL), studio))
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf_pages(pdf) == 1
    # The QR code is never the part that gets cut off.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    box = page.locator(".jx-poster__qr svg").bounding_box()
    assert box and box["y"] + box["height"] <= 1123 and box["width"] > 150
    page.screenshot(path=str(ROOT / "test-artifacts" / "poster-longest.png"))


@pytest.mark.browser
def test_poster_reads_on_a_phone_without_sideways_scrolling(browser, built):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto((built / "studios" / "kongkongquan" / "poster" / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    for selector in ("h1", ".jx-poster__summary", ".jx-poster__figures", ".jx-poster__qr svg"):
        assert page.locator(selector).is_visible(), selector
    page.screenshot(path=str(ROOT / "test-artifacts" / "poster-phone-kongkongquan.png"), full_page=True)
    context.close()
