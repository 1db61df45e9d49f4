"""Photos in a real build of the fictional photo studio: no published byte holds the GPS position or the
original, the profile's header and gallery, cards and poster, a rebuild from the cache; then in Chromium (axe,
screenshots, the first screen). The image pipeline itself: tests/unit/content/test_photos.py."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from jiangxin.content import photos
from support.browser import ARTIFACTS, SIZES, assert_no_violations, new_page, open_page
from support.photofixtures import (
    MARKERS,
    STUDIO_ID,
    STUDIO_PATH,
    add_photo_studio,
    assert_stripped,
)
from support.project import copy_project, mkdocs_build

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory) -> Path:
    """A project copy with the fictional photo studio, built once with a site address; returns `site/`."""
    project = copy_project(tmp_path_factory.mktemp("photos") / "p")
    add_photo_studio(project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", text) + "site_url: https://jx.example.org/\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_no_published_byte_holds_the_gps_position_or_the_original(photo_site):
    # A stretch of each original's compressed data (past its header) must be in no published file.
    originals = {rel: d[len(d) // 2 : len(d) // 2 + 128] for rel, d in _originals(photo_site.parent).items()}
    images = [p for p in photo_site.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
    assert len([p for p in images if p.parent.name == "photos"]) >= 5 * 2
    assert not (photo_site / "media").exists()  # the originals are not copied
    for image in images:
        assert_stripped(image)
    for path in photo_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for marker in MARKERS:
                assert marker not in data, (path, marker)
            for rel, original in originals.items():
                assert original not in data, (path, rel)


def _originals(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project / "content").as_posix(): p.read_bytes() for p in (project / "content" / "media").iterdir()
    }


def test_the_profile_shows_a_header_and_a_captioned_gallery(photo_site):
    html = (photo_site / "studios" / STUDIO_ID / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", html)
    assert len(pictures) == 5
    header, *gallery = pictures
    assert 'fetchpriority="high"' in header and 'loading="lazy"' not in header
    assert all('loading="lazy"' in p and "fetchpriority" not in p for p in gallery)
    for picture in pictures:
        assert re.search(r'<source type="image/webp" srcset="[^"]+ 480w', picture)
        assert re.search(
            r'<img src="../../photos/[^"]+\.jpg" srcset="[^"]+" sizes="[^"]+" width="\d+" height="\d+"', picture
        )
    assert "<figcaption>虚构的车间外景（程序生成的图形）</figcaption>" in html
    assert "<figcaption>虚构的标志（透明背景）</figcaption>" in html
    assert 'alt="透明背景上的橙色圆形，程序生成的测试图片"' in html
    for src in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        for url in src.split(", "):
            target = url.split(" ")[0]
            if target.startswith("../../photos/"):
                assert (photo_site / "studios" / STUDIO_ID / target).resolve().is_file(), target
    share = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    assert share and re.fullmatch(r"https://jx\.example\.org/photos/zz-header\.[a-p]{10}\.960w\.jpg", share.group(1))


def test_cards_portraits_and_poster_show_the_first_photo(photo_site):
    header = re.compile(r"photos/zz-header\.[a-p]{10}\.960w\.jpg")
    for page in ("index.html", "studios/index.html", "people/index.html", f"studios/{STUDIO_ID}/poster/index.html"):
        html = (photo_site / page).read_text(encoding="utf-8")
        assert header.search(html), page
        assert 'alt="红色背景上几个彩色圆形，程序生成的测试图片"' in html, page
    # Studios without photos keep their text-only cards.
    index = (photo_site / "studios" / "index.html").read_text(encoding="utf-8")
    assert index.count("jx-card__link--photo") == 1
    # A page without a photo shares no image (no extra.share_image is configured).
    assert 'property="og:image"' not in (photo_site / "studios" / "hewang" / "index.html").read_text(encoding="utf-8")


def test_a_rebuild_reuses_the_cached_variants(photo_site):
    project = photo_site.parent
    cache = photos.cache_dir(project)  # the session's one cache (tests/conftest.py photo_cache)
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    assert before
    record = project / STUDIO_PATH
    record.write_text(
        record.read_text(encoding="utf-8").replace("这是一条虚构", "这是一条改过的虚构"), encoding="utf-8"
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == before
    assert "改过的虚构" in (photo_site / "studios" / STUDIO_ID / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def photo_url(photo_site):
    from support.harness import serve

    with serve(photo_site) as url:
        yield url


def artifacts() -> Path:
    folder = Path(os.environ.get("JX_SCREENSHOTS") or ARTIFACTS / "photos")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_profile_with_photos_has_no_axe_violation(browser, photo_url, size):
    context, page = new_page(browser, size)
    try:
        open_page(page, photo_url + f"studios/{STUDIO_ID}/")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        assert_no_violations(page, f"studios/{STUDIO_ID}/ ({size})")
        # The browser chose a variant no wider than it needs (never the 1600 px one on a phone).
        chosen = page.evaluate("document.querySelector('.jx-photo--header img').currentSrc")
        assert chosen.endswith(".webp"), chosen
        if size == "phone":  # 390 px at 2 device pixels per px: the 960 px one
            assert SIZES["phone"]["device_scale_factor"] == 2 and ".960w." in chosen, chosen
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_screenshots_of_home_profile_and_people(browser, photo_url, width, height):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        folder = artifacts()
        for name, path in (("home", ""), ("profile", f"studios/{STUDIO_ID}/"), ("people", "people/")):
            open_page(page, photo_url + path)
            page.screenshot(path=str(folder / f"{name}-{width}x{height}.png"), full_page=True)
            assert (folder / f"{name}-{width}x{height}.png").stat().st_size > 10_000
        # No image pushes the page wider than the screen.
        for path in ("", f"studios/{STUDIO_ID}/", "people/"):
            open_page(page, photo_url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_headline_figures_are_on_the_first_screen(browser, site_url, size):
    """The real home page: the report's figures, labelled as reported with their source, above the fold."""
    context, page = new_page(browser, size)
    try:
        open_page(page, site_url)
        box = page.evaluate(
            """() => {
                const s = document.querySelector('.jx-headline');
                const dds = [...s.querySelectorAll('dd')];
                return {bottom: Math.max(...dds.map(d => d.getBoundingClientRect().bottom)),
                        source: s.querySelector('.jx-headline__source').getBoundingClientRect().bottom,
                        text: s.innerText, figures: dds.map(d => d.innerText)};
            }"""
        )
        height = SIZES[size]["viewport"]["height"]
        assert box["bottom"] <= height and box["source"] <= height, box
        assert box["figures"] == ["1家", "23家", "95家", "120家", "1558项", "868项", "超11.15亿元"], box
        assert "官方报道" in box["text"] and "建强阵地四维发力" in box["text"], box["text"]
        assert "介绍页合计" not in box["text"].replace("本站介绍页合计", ""), box["text"]
        # What the site is, before the figures.
        assert page.evaluate("document.querySelector('.md-content h1').getBoundingClientRect().bottom") < box["bottom"]
    finally:
        context.close()
