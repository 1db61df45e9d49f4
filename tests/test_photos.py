"""Photos: resized, stripped variants of generated test images, never the original, never a GPS position.

The sample content has no photos; every test here adds the fictional studio of `photofixtures`
(program-made shapes, not people) to a copy of the project. Bad photos are in the bad-input
matrix (tests/test_bad_inputs.py).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, copy_project, mkdocs_build
from jiangxin.content import photos
from jiangxin.content.loader import load_site
from jiangxin.problems import report
from jiangxin.records import model
from photofixtures import (
    GPS_AREA,
    GPS_IFD,
    MAKER_NOTE,
    OWNER,
    STUDIO,
    STUDIO_ID,
    STUDIO_PATH,
    add_photo_studio,
    alpha_png,
    cmyk_jpeg,
    exif_with_gps,
    grey16_png,
    palette_png,
    phone_jpeg,
)
from test_a11y import ARTIFACTS, SIZES, assert_no_violations, new_page, open_page

MARKERS = (MAKER_NOTE, OWNER.encode(), GPS_AREA[8:], b"JX-SERIAL-0042", b"JX-Phone-Model")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def make(tmp_path: Path, name: str, data: bytes) -> model.Photo:
    path = tmp_path / name
    path.write_bytes(data)
    result, problems = photos.record_photo(path, tmp_path / "cache")
    assert isinstance(result, model.Photo) and problems == [], problems
    return result


def assert_stripped(path: Path) -> None:
    """No EXIF at all, no XMP, ICC profile or comment, none of the markers in the bytes."""
    data = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif(), (path, dict(image.getexif()))
        assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info), image.info
    assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap" not in data and b"ICC_PROFILE" not in data
    for marker in MARKERS:
        assert marker not in data, (path, marker)


# ---------------------------------------------------------------- the pipeline (unit)


def test_a_phone_photo_is_upright_resized_and_stripped(tmp_path):
    original = phone_jpeg((2400, 1800), orientation=6)
    with Image.open(io.BytesIO(original)) as source:
        exif = source.getexif()
        assert exif.get_ifd(GPS_IFD) and exif[0x927C] == MAKER_NOTE  # the test image does carry them
    photo = make(tmp_path, "phone.jpg", original)
    # Orientation 6: a 2400×1800 file shows 1800 wide and 2400 high; 1600 px is the widest variant.
    assert [(v.format, v.width, v.height) for v in photo.variants] == [
        ("jpeg", 480, 640), ("jpeg", 960, 1280), ("jpeg", 1600, 2133),
        ("webp", 480, 640), ("webp", 960, 1280), ("webp", 1600, 2133),
    ]  # fmt: skip
    for variant in photo.variants:
        with Image.open(variant.path) as image:
            assert image.size == (variant.width, variant.height)
            assert image.format == {"jpeg": "JPEG", "webp": "WEBP"}[variant.format]
        assert_stripped(variant.path)
        assert original[2000:2400] not in variant.path.read_bytes()
    assert photo.fallback.width == 960 and photo.fallback.format == "jpeg"


def test_small_photos_are_never_upscaled(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (1, 2, 3)).save(buffer, "PNG")
    photo = make(tmp_path, "small.png", buffer.getvalue())
    assert {(v.width, v.height) for v in photo.variants} == {(300, 200)}
    assert photos.widths(1000) == [480, 960, 1000] and photos.widths(1600) == [480, 960, 1600]
    assert photos.widths(4000) == [480, 960, 1600]


def test_cmyk_16_bit_palette_and_alpha_convert(tmp_path):
    cmyk = make(tmp_path, "cmyk.jpg", cmyk_jpeg())
    with Image.open(cmyk.fallback.path) as image:
        assert image.mode == "RGB"
        r, g, b = image.getpixel((20, 20))
        assert g > 120 and r < 90 and b < 110, (r, g, b)  # green stays green (no inverted CMYK)
    grey = make(tmp_path, "grey.png", grey16_png())
    with Image.open(grey.largest.path) as image:
        values = [image.convert("L").getpixel((10, y)) for y in (0, image.height // 2, image.height - 1)]
        # A gradient, not clipped to white by a 16-to-8-bit conversion that does not scale.
        assert values[0] < 30 and 90 < values[1] < 170 and values[2] > 220, values
    palette = make(tmp_path, "palette.png", palette_png())
    with Image.open(palette.largest.path) as image:
        assert image.convert("RGB").getpixel((10, 10))[0] > 150
    alpha = make(tmp_path, "alpha.png", alpha_png())
    with Image.open(alpha.fallback.path) as image:
        assert image.mode == "RGB" and image.getpixel((2, 2)) == (255, 255, 255)  # JPEG: flattened on white
    with Image.open(alpha.of("webp")[-1].path) as image:
        assert image.mode == "RGBA" and image.getpixel((2, 2))[3] == 0  # WebP keeps the transparency
    for photo in (cmyk, grey, palette, alpha):
        for variant in photo.variants:
            assert_stripped(variant.path)


def test_results_come_from_the_cache_on_the_next_build(tmp_path, monkeypatch):
    first = make(tmp_path, "phone.jpg", phone_jpeg((1200, 900), orientation=1))
    photos._PHOTOS.clear()
    photos._DIGESTS.clear()  # a new process: only the disk cache is left

    def refuse(*args):
        raise AssertionError("processed again")

    monkeypatch.setattr(photos, "_make", refuse)
    assert photos.record_photo(tmp_path / "phone.jpg", tmp_path / "cache") == (first, [])
    # Other settings are another cache entry.
    monkeypatch.setattr(photos, "SETTINGS_KEY", "other")
    with pytest.raises(AssertionError, match="processed again"):
        photos.record_photo(tmp_path / "phone.jpg", tmp_path / "cache")


def test_page_images_are_re_encoded_without_metadata(tmp_path):
    buffer = io.BytesIO()
    screenshot = Image.new("RGB", (400, 300), (10, 120, 200))
    screenshot.save(buffer, "PNG", exif=exif_with_gps().tobytes())
    path = tmp_path / "shot.png"
    path.write_bytes(buffer.getvalue())
    stripped, problems = photos.page_image(path, tmp_path / "cache")
    assert isinstance(stripped, model.Stripped) and problems == [], problems
    assert_stripped(stripped.path)
    with Image.open(stripped.path) as image:
        assert image.format == "PNG" and image.size == (400, 300)
        assert image.tobytes() == screenshot.tobytes()  # lossless


def photo_content(tmp_path: Path) -> Path:
    """content/ with the fictional photo studio (mkdocs.yml and the theme as the loader sees them)."""
    project = tmp_path / "p"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    (project / "overrides").symlink_to(ROOT / "overrides", target_is_directory=True)
    add_photo_studio(project)
    return project


def test_the_loader_processes_each_file_once_even_when_two_records_use_it(tmp_path, monkeypatch):
    project = photo_content(tmp_path)
    second = STUDIO.replace("name: 虚构照片测试工作室", "name: 虚构照片测试工作室二")
    (project / "content/studios/zz-photos-2.yml").write_text(second, encoding="utf-8")
    made = []
    real = photos._make
    monkeypatch.setattr(photos, "_make", lambda *args: made.append(args[1].name) or real(*args))
    monkeypatch.setattr(photos, "prepare", lambda jobs, cache: None)  # one by one, so they can be counted
    site, problems = load_site(project / "content", project)
    assert not problems, report(problems)
    assert sorted(made) == sorted({*made}) and "zz-header.jpg" in made
    assert site.cover(site.studio("zz-photos")) == site.cover(site.studio("zz-photos-2"))


def test_a_link_out_of_content_is_refused(tmp_path):
    project = photo_content(tmp_path)
    outside = project / "secret.jpg"
    outside.write_bytes(phone_jpeg((64, 48)))
    header = project / "content/media/zz-header.jpg"
    header.unlink()
    header.symlink_to(outside)
    _, problems = load_site(project / "content", project)
    mine = [p for p in problems if p.path == STUDIO_PATH]
    assert [(p.line, p.field) for p in mine] == [(10, "photos[0].file（图片文件）")], problems
    assert "content 文件夹以外" in mine[0].message


def test_the_form_s_media_paths_pass_the_loader(tmp_path):
    # Decap's image widget saves `media/<file>` (public_folder); the loader reads it under content/.
    from jiangxin.site import admin_config

    assert admin_config.MEDIA_FOLDER == "media"
    project = photo_content(tmp_path)
    site, problems = load_site(project / "content", project)
    assert not problems, report(problems)
    assert all(entry["file"].startswith("media/") for entry in site.studio(STUDIO_ID).photos)
    assert set(site.photos) == {entry["file"] for entry in site.studio(STUDIO_ID).photos}


# ---------------------------------------------------------------- the built site (build)


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


@pytest.mark.build
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


@pytest.mark.build
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


@pytest.mark.build
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


@pytest.mark.build
def test_a_rebuild_reuses_the_cached_variants(photo_site):
    project = photo_site.parent
    cache = project / photos.CACHE_DIR
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


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def photo_url(photo_site):
    from harness import serve

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
