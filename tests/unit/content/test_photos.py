"""Photos: resized, stripped variants of generated test images, never the original, never a GPS position.

The sample content has no photos; every test here adds the fictional studio of `support.photofixtures`
(program-made shapes, not people) to a copy of the project. Bad photos are in the bad-input
matrix (tests/build/test_bad_inputs.py).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from jiangxin.content import photos
from jiangxin.content.loader import load_site
from jiangxin.problems import report
from jiangxin.records import model
from support.photofixtures import (
    GPS_IFD,
    MAKER_NOTE,
    STUDIO,
    STUDIO_ID,
    STUDIO_PATH,
    add_photo_studio,
    alpha_png,
    assert_stripped,
    cmyk_jpeg,
    exif_with_gps,
    grey16_png,
    palette_png,
    phone_jpeg,
)
from support.project import ROOT


def make(tmp_path: Path, name: str, data: bytes) -> model.Photo:
    path = tmp_path / name
    path.write_bytes(data)
    result, problems = photos.record_photo(path, tmp_path / "cache")
    assert isinstance(result, model.Photo) and problems == [], problems
    return result


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


# ---------------------------------------------------------------- in a browser
