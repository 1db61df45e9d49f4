"""Generated images for the photo tests (never real people): EXIF with a GPS position, a maker note, odd modes.

The sample content has no photos (the source report has none); tests add a fictional studio with
these images to a copy of the project.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

# Markers that must never reach a published byte.
MAKER_NOTE = b"JX-MAKERNOTE-SERIAL-5F3A9C"
OWNER = "JX-OWNER-ZHANGSAN-TEST"
GPS_AREA = b"ASCII\x00\x00\x00JX-GPS-HOME-37N"
GPS_IFD = 0x8825

STUDIO_ID = "zz-photos"
STUDIO_PATH = f"content/studios/{STUDIO_ID}.yml"
STUDIO = """\
# yaml-language-server: $schema=../../hooks/jiangxin/schemas/studio.schema.json
name: 虚构照片测试工作室
organization: 虚构测试单位（仅供测试）
level: municipal
leader:
  name: 虚构领衔人甲
summary: 这是一条虚构的测试记录，照片是程序生成的图形，不是真实的人或车间。
featured: true
photos:
  - file: media/zz-header.jpg
    caption: 虚构的车间外景（程序生成的图形）
    alt: 红色背景上几个彩色圆形，程序生成的测试图片
  - file: media/zz-cmyk.jpg
    caption: 虚构的设备（CMYK 图片）
    alt: 绿色背景上的蓝色方块，程序生成的测试图片
  - file: media/zz-alpha.png
    caption: 虚构的标志（透明背景）
    alt: 透明背景上的橙色圆形，程序生成的测试图片
  - file: media/zz-grey16.png
    alt: 灰色渐变，程序生成的 16 位测试图片
  - file: media/zz-palette.png
    alt: 四种颜色的条纹，程序生成的调色板测试图片
source:
  title: 虚构出处（测试）
"""


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: owner, maker note, orientation and a GPS position (IFD 0x8825)."""
    exif = Image.Exif()
    exif[0x010F] = "JX-Phone-Maker"  # Make
    exif[0x0110] = "JX-Phone-Model"  # Model
    exif[0x013B] = OWNER  # Artist
    exif[0x0112] = orientation
    exif[0xA431] = "JX-SERIAL-0042"  # BodySerialNumber (written in IFD0 here; Pillow keeps it)
    exif[0x927C] = MAKER_NOTE  # MakerNote
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (37.0, 22.0, 48.5)
    gps[3] = "E"
    gps[4] = (118.0, 1.0, 12.25)
    gps[0x1C] = GPS_AREA  # GPSAreaInformation
    return exif


def shapes(size: tuple[int, int], background=(180, 40, 40), seed: int = 1) -> Image.Image:
    """A picture with some detail (so JPEG and WebP have something to encode)."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in range(12):
        x, y = (seed * 97 + i * 131) % w, (seed * 53 + i * 71) % h
        r = max(4, min(w, h) // (4 + i % 5))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=((i * 40) % 256, (i * 90) % 256, (i * 150) % 256))
    return image


def phone_jpeg(size=(2400, 1800), orientation: int = 6) -> bytes:
    """A JPEG as a phone saves it: EXIF with GPS, maker note, owner, rotated by EXIF orientation."""
    buffer = io.BytesIO()
    shapes(size).save(buffer, "JPEG", quality=90, exif=exif_with_gps(orientation).tobytes())
    return buffer.getvalue()


def cmyk_jpeg() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (800, 600), (30, 160, 60))
    ImageDraw.Draw(image).rectangle((200, 150, 600, 450), fill=(20, 40, 200))
    image.convert("CMYK").save(buffer, "JPEG", quality=90, exif=exif_with_gps().tobytes())
    return buffer.getvalue()


def alpha_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGBA", (640, 480), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((120, 40, 520, 440), fill=(255, 140, 0, 255))
    image.save(buffer, "PNG", exif=exif_with_gps().tobytes())
    return buffer.getvalue()


def grey16_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.linear_gradient("L").resize((512, 384)).convert("I").point(lambda v: v * 257).convert("I;16")
    image.save(buffer, "PNG")
    return buffer.getvalue()


def palette_png() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (600, 400))
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate([(200, 0, 0), (0, 150, 0), (0, 0, 200), (240, 240, 0)]):
        draw.rectangle((i * 150, 0, i * 150 + 149, 399), fill=colour)
    image.convert("P", palette=Image.Palette.ADAPTIVE, colors=4).save(buffer, "PNG")
    return buffer.getvalue()


def originals() -> dict[str, bytes]:
    """The files of the fictional studio's photos, by path under content/."""
    return {
        "media/zz-header.jpg": phone_jpeg(),
        "media/zz-cmyk.jpg": cmyk_jpeg(),
        "media/zz-alpha.png": alpha_png(),
        "media/zz-grey16.png": grey16_png(),
        "media/zz-palette.png": palette_png(),
    }


def add_photo_studio(project: Path) -> dict[str, bytes]:
    """The fictional studio and its generated photos written into `project`; returns the originals."""
    files = originals()
    for rel, data in files.items():
        path = project / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (project / STUDIO_PATH).write_text(STUDIO, encoding="utf-8")
    return files


def bomb_png(size=(7000, 6000)) -> bytes:
    """42 megapixels in a few kilobytes (one bit per pixel, all zero): a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    return buffer.getvalue()


# All the markers, as a file's bytes would hold them.
MARKERS = (MAKER_NOTE, OWNER.encode(), GPS_AREA[8:], b"JX-SERIAL-0042", b"JX-Phone-Model")


def assert_stripped(path: Path) -> None:
    """No EXIF at all, no XMP, ICC profile or comment, none of the markers in the bytes."""
    data = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif(), (path, dict(image.getexif()))
        assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info), image.info
    assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap" not in data and b"ICC_PROFILE" not in data
    for marker in MARKERS:
        assert marker not in data, (path, marker)
