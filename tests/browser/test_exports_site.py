"""Open data, story feed, outreach calendar, QR codes and wall posters in the real build, then printed and on
a phone in Chromium. The builders in-process: tests/unit/site/test_exports.py."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from jiangxin.records.model import Site, Studio, freeze
from jiangxin.site import exports, posters
from jiangxin.site.context import BuildContext
from jiangxin.site.templates import make_env
from support.fictional import SITE_URL, add_fictional, fictional_site
from support.project import ROOT, copy_project, mkdocs_build


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return add_fictional(copy_project(tmp_path_factory.mktemp("exports")))


@pytest.fixture(scope="module")
def site(project) -> Site:
    return fictional_site(project)


ATOM = "{http://www.w3.org/2005/Atom}"


ENV = make_env(ROOT / "overrides")


@pytest.fixture(scope="module")
def built(project) -> Path:
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    return project / "site"


def test_publisher_is_the_site_author(built_site):
    """The /data/ page names whoever mkdocs.yml names as site_author (the build context carries it)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    html = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert f"数据由{config['site_author']}发布" in html


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


def test_poster_reads_on_a_phone_without_sideways_scrolling(browser, built):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto((built / "studios" / "kongkongquan" / "poster" / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    for selector in ("h1", ".jx-poster__summary", ".jx-poster__figures", ".jx-poster__qr svg"):
        assert page.locator(selector).is_visible(), selector
    page.screenshot(path=str(ROOT / "test-artifacts" / "poster-phone-kongkongquan.png"), full_page=True)
    context.close()
