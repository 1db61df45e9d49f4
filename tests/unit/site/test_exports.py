"""Open data, story feed, outreach calendar, QR codes and wall posters.

Unit tests run the pure builders on the real content plus one clearly fictional
studio and story (written to a temporary folder, never published); build tests
run the real `mkdocs build --strict` with `site_url` set, and without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import jsonschema
import pytest
import segno
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from jiangxin.checks import validate
from jiangxin.checks.yamlsource import Plain
from jiangxin.records import catalogue
from jiangxin.records.model import Site, Studio, freeze
from jiangxin.records.registry import KIND
from jiangxin.site import exports, feeds, posters
from jiangxin.site.context import BuildContext
from jiangxin.site.templates import make_env
from support.fictional import SITE_URL, add_fictional, fictional_site
from support.project import ROOT, copy_project

ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"
ENV = make_env(ROOT / "overrides")
# What mkdocs.yml says as site_author; a test keeps the two equal.
PUBLISHER = "滨州市总工会"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return add_fictional(copy_project(tmp_path_factory.mktemp("exports")))


@pytest.fixture(scope="module")
def site(project) -> Site:
    return fictional_site(project)


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


# ---------------------------------------------------------------- posters on paper (real Chromium)
