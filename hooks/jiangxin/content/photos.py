"""Photos at build time: every image published from content/ goes through Pillow.

A record's photo (`photos[].file` of a studio) becomes resized variants (WebP and a
JPEG fallback, never upscaled) under `photos/`; the original is never published. Any
other image under content/ (the screenshots of a hand-written page) is published at its
own path as a re-encoded copy of its pixels. Either way the EXIF orientation is applied
and nothing else of the file survives: no EXIF (GPS, serial numbers, maker notes), XMP,
IPTC, comments, embedded thumbnails or ICC profile (colours are converted to sRGB).

Every file is checked before anything is made: size, type (by content, not by name),
pixel count, a full decode. Results are cached outside `site/` by the file's SHA-256 and
the settings, so a rebuild (and `mkdocs serve`) redoes only changed photos.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from jiangxin.problems import Problem
from jiangxin.records.model import Photo, Stripped, Variant

WIDTHS = (480, 960, 1600)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
# Re-encoded page images (screenshots, diagrams) keep their size; JPEGs lose little at 90.
PAGE_JPEG_QUALITY = 90
MAX_PIXELS = 40_000_000
MAX_BYTES = 20 * 1024 * 1024
# Bump when the output of the same input changes: the cache key includes it.
VERSION = 2
SETTINGS = json.dumps([VERSION, WIDTHS, WEBP_QUALITY, JPEG_QUALITY, PAGE_JPEG_QUALITY, MAX_PIXELS])
SETTINGS_KEY = hashlib.sha256(SETTINGS.encode()).hexdigest()[:8]
CACHE_DIR = Path(".cache") / "jx-photos"
PUBLIC_FOLDER = "photos"
FORMATS = {"webp": "WEBP", "jpeg": "JPEG", "png": "PNG", "gif": "GIF"}
SUFFIXES = {"webp": ".webp", "jpeg": ".jpg"}
# Pillow refuses (DecompressionBombError) beyond twice this; we refuse beyond MAX_PIXELS ourselves.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class Refused(Exception):
    """An image the site will not publish: raised while it is read, caught in `_cached` (and by the pool),
    where it becomes the result; `code` and the Chinese message say why and what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# File → (size, mtime) → digest, and digest → result, for the life of the process (`mkdocs serve`).
_DIGESTS: dict[str, tuple[int, int, str]] = {}
_PHOTOS: dict[tuple[str, str], Photo | Refused] = {}
_PAGES: dict[tuple[str, str], Stripped | Refused] = {}
R = TypeVar("R", Photo, Stripped)


def cache_dir(project: Path) -> Path:
    """Where a project keeps processed photos ($JX_PHOTO_CACHE, else .cache/jx-photos in the project)."""
    return Path(os.environ.get("JX_PHOTO_CACHE") or project / CACHE_DIR)


def record_photo(
    path: Path, cache: Path, rel: str = "", line: int = 0, column: int = 0, field: str = ""
) -> tuple[Photo | None, list[Problem]]:
    """The variants of a record's photo, or None and why it is refused, at the record's `rel:line:column: field`."""
    result = _cached("photo", _load_photo, _PHOTOS, path, cache)
    if isinstance(result, Refused):
        return None, [Problem(rel, line, column, field, result.message, code=result.code)]
    return result, []


def page_image(path: Path, cache: Path, rel: str = "") -> tuple[Stripped | None, list[Problem]]:
    """The stripped copy of a hand-written page's image (the file `rel`), or None and why it is refused."""
    result = _cached("page", _load_page, _PAGES, path, cache)
    if isinstance(result, Refused):
        return None, [Problem.file(rel, result.code, result.message)]
    return result, []


def prepare(jobs: list[tuple[str, Path]], cache: Path) -> None:
    """Process the files of `jobs` ((role, path) pairs) not yet cached on every core, before they are asked for.

    Only worth a pool for several files (the first build of a site with photos); results land in the disk cache.
    """
    todo = []
    for role, path in dict.fromkeys(jobs):
        try:
            stat = path.stat()
            if stat.st_size > MAX_BYTES:
                continue
            digest = _digest(path, stat)
        except OSError:
            continue
        folder = _entry(cache, role, digest)
        known = (_PHOTOS if role == "photo" else _PAGES).get((digest, str(folder)))
        if known is None and (_load_photo if role == "photo" else _load_page)(folder) is None:
            todo.append((role, path, digest, cache))
    workers = min(os.cpu_count() or 1, len(todo))
    if workers < 2 or len(todo) < 4:
        return
    import concurrent.futures
    import multiprocessing

    # fork: the workers need no import of the hook; a spawned one would re-run MkDocs' module setup.
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_make_quietly, todo, chunksize=1))


def _make_quietly(job: tuple[str, Path, str, Path]) -> None:
    # Refused: asked again one by one, then reported with the record's line.
    with contextlib.suppress(Refused):
        _make(*job)


def _cached(
    role: str, load: Callable[[Path], R | None], results: dict[tuple[str, str], R | Refused], path: Path, cache: Path
) -> R | Refused:
    """The result for the file at `path`: from memory, from the disk cache (`load`), else made now."""
    try:
        stat = path.stat()
        if stat.st_size > MAX_BYTES:
            return Refused(
                "image.too-large",
                f"图片文件太大（{stat.st_size / 1024 / 1024:.1f} MB，最多 {MAX_BYTES // 1024 // 1024} MB）。"
                "请用手机或电脑的“压缩图片”功能缩小后再放入。",
            )
        digest = _digest(path, stat)
    except OSError as err:
        return Refused("image.unreadable", f"无法读取这个图片文件（{err.strerror or err}），请检查文件权限或重新复制。")
    folder = _entry(cache, role, digest)
    key = (digest, str(folder))
    hit = results.get(key)
    if hit is None:
        hit = load(folder)
    if hit is None:
        try:
            _make(role, path, digest, cache)
        except Refused as why:
            hit = why
        else:  # just written: gone only if something else empties the cache meanwhile
            hit = load(folder) or Refused("image.unreadable", f"处理后的图片不在缓存里（{folder}），请重新构建。")
    results[key] = hit
    return hit


def _digest(path: Path, stat: os.stat_result) -> str:
    key = str(path.resolve())
    known = _DIGESTS.get(key)
    if known and known[:2] == (stat.st_size, stat.st_mtime_ns):
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    _DIGESTS[key] = (stat.st_size, stat.st_mtime_ns, digest)
    return digest


def _entry(cache: Path, role: str, digest: str) -> Path:
    return cache / digest[:2] / f"{digest}.{role}.{SETTINGS_KEY}"


def _meta(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _digest_of(folder: Path) -> str:
    return folder.name.split(".", 1)[0]


def _load_photo(folder: Path) -> Photo | None:
    """A record photo's variants made by an earlier build (its files all still there), else None."""
    meta = _meta(folder)
    if meta is None:
        return None
    variants = tuple(
        Variant(v["url"], v["width"], v["height"], v["format"], folder / v["file"]) for v in meta["variants"]
    )
    return Photo(_digest_of(folder), variants) if all(v.path.is_file() for v in variants) else None


def _load_page(folder: Path) -> Stripped | None:
    """A page image's stripped copy made by an earlier build, else None."""
    meta = _meta(folder)
    if meta is None:
        return None
    path = folder / meta["file"]
    return Stripped(_digest_of(folder), path) if path.is_file() else None


def _make(role: str, path: Path, digest: str, cache: Path) -> None:
    """Process the file into the cache (`_entry`); `Refused` says why it cannot be."""
    data = path.read_bytes()
    image, fmt = open_checked(data, None if role == "page" else WIDTHS[-1])
    folder = _entry(cache, role, digest)
    work = folder.with_name(folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        if role == "page":
            name = "image" + path.suffix.lower()
            (work / name).write_bytes(strip(image, fmt, data))
            meta: dict = {"file": name}
        else:
            meta = {"variants": _variants(image, path.stem, digest, work)}
        (work / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def sniff(data: bytes) -> str | None:
    """What the first bytes say a file is, for the refusal message; None if they look like an image."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "PDF 文档"
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "SVG"
    if head.startswith((b"<!doctype", b"<html", b"<")):
        return "网页（HTML）"
    if head.startswith(b"pk\x03\x04"):
        return "压缩包或 Office 文档"
    return None


def open_checked(data: bytes, widest: int | None = None) -> tuple[Image.Image, str]:
    """The decoded image, upright, and its format ('jpeg', 'png', 'webp', 'gif'); `Refused` says why not.

    `widest`: the widest variant needed; a large JPEG is then decoded at a fraction of its size
    (libjpeg's DCT scaling still reads the whole file, so a truncated one is still refused).
    """
    kind = sniff(data)
    if kind == "SVG":
        raise Refused(
            "image.svg",
            "这是 SVG 矢量图，不能作照片：SVG 里可以藏脚本和外部链接。请用图片软件另存为 JPG 或 PNG 后再放入。",
        )
    if kind:
        raise Refused(
            "image.not-an-image",
            f"这个文件不是图片，而是{kind}（只是扩展名像图片）。请放入真正的 JPG、PNG 或 WebP 照片。",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = (probe.format or "").lower()
            if fmt not in FORMATS:
                raise Refused(
                    "image.format", f"不支持这种图片格式（{probe.format or '未知'}）。请另存为 JPG 或 PNG 后再放入。"
                )
            _check_size(*probe.size)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if widest and fmt == "jpeg":
                _draft(image, widest)
            image.load()
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("image.too-many-pixels", _too_many_pixels()) from None
    except UnidentifiedImageError:
        raise Refused(
            "image.unrecognized", "无法识别这个图片文件（可能不是图片，或已损坏）。请用图片软件重新导出为 JPG 或 PNG。"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise Refused(
            "image.broken", f"图片文件不完整或已损坏（{err}），可能没有传完。请从原处重新复制，或用图片软件重新导出。"
        ) from None
    if fmt == "gif" and getattr(image, "n_frames", 1) > 1:
        return image, fmt  # animations stay as they are (exif_transpose would keep one frame)
    upright = ImageOps.exif_transpose(image)
    _check_size(*upright.size)
    return upright, fmt


def _draft(image: Image.Image, widest: int) -> None:
    width, height = image.size
    # Orientations 5-8 turn the picture a quarter: its width on screen is the file's height.
    if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
        width, height = height, width
        wanted = (-(-widest * height // width), widest) if width > widest else None
    else:
        wanted = (widest, -(-widest * height // width)) if width > widest else None
    if wanted:
        image.draft("RGB" if image.mode == "RGB" else None, wanted)


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise Refused("image.too-many-pixels", _too_many_pixels(width, height))


def _too_many_pixels(width: int = 0, height: int = 0) -> str:
    size = f"（{width}×{height}）" if width else ""
    return (
        f"图片像素太多{size}，超过 {MAX_PIXELS // 1_000_000} 百万像素，处理时会占满内存。"
        "请先把图片缩小到长边 6000 像素以内再放入。"
    )


def to_srgb(image: Image.Image) -> Image.Image:
    """The image in 8-bit RGB/RGBA/L with sRGB colours; every mode Pillow opens converts here."""
    icc = image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit greyscale: scale to 8 bits (a plain convert would clip at 255).
        high = image.getextrema()[1]
        scale = 1 / 257 if isinstance(high, (int, float)) and high > 255 else 1
        image = image.convert("I").point(lambda v: v * scale).convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("LA", "PA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("RGB", "RGBA", "L"):
        # CMYK, YCbCr, LAB, HSV: through the embedded profile if there is one, else Pillow's formulas.
        if icc and image.mode == "CMYK":
            converted = _icc_convert(image, icc, "RGB")
            if converted is not None:
                return _bare(converted)
        image = image.convert("RGB")
    elif icc:
        converted = _icc_convert(image, icc, image.mode)
        if converted is not None:
            image = converted
    return _bare(image)


def _icc_convert(image: Image.Image, icc: bytes, mode: str) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        result = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken or unusual profile: Pillow's own conversion is close enough
    return result


def _bare(image: Image.Image) -> Image.Image:
    # A copy without `info`: no EXIF, XMP, ICC, comment or thumbnail can ride along into a save.
    bare = image.copy()
    bare.info = {}
    return bare


def flatten(image: Image.Image) -> Image.Image:
    """An RGB(A)/L image without alpha, composited on white (JPEG has no transparency)."""
    if image.mode != "RGBA":
        return image
    white = Image.new("RGB", image.size, (255, 255, 255))
    white.paste(image, mask=image.getchannel("A"))
    return _bare(white)


def widths(original: int) -> list[int]:
    """Variant widths of an image `original` px wide: the standard ones below it, and itself below the widest."""
    found = [w for w in WIDTHS if w < original]
    if original <= WIDTHS[-1]:
        found.append(original)
    return found or [original]


def _variants(image: Image.Image, stem: str, digest: str, folder: Path) -> list[dict]:
    image = to_srgb(image)
    out = []
    source = image
    # Widest first, each from the one before: a 4000 px photo is reduced once, not three times.
    for width in sorted(widths(image.width), reverse=True):
        height = max(1, round(image.height * width / image.width))
        if width != source.width:
            source = _bare(source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0))
        for fmt in ("webp", "jpeg"):
            # The hash in letters and the width after it: hex digits next to a width could read as a phone number.
            name = f"{stem}.{_letters(digest[:10])}.{width}w{SUFFIXES[fmt]}"
            buffer = io.BytesIO()
            if fmt == "webp":
                (source if source.mode != "L" else source.convert("RGB")).save(
                    buffer, "WEBP", quality=WEBP_QUALITY, method=4
                )
            else:
                flatten(source).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            (folder / name).write_bytes(buffer.getvalue())
            url = f"{PUBLIC_FOLDER}/{name}"
            out.append({"url": url, "width": width, "height": height, "format": fmt, "file": name})
    return sorted(out, key=lambda v: (v["format"], v["width"]))


def _letters(hexdigits: str) -> str:
    return "".join(chr(ord("a") + int(c, 16)) for c in hexdigits)


def strip(image: Image.Image, fmt: str, data: bytes) -> bytes:
    """The pixels of a page image in its own format, without metadata (PNG, GIF and lossless WebP stay lossless)."""
    buffer = io.BytesIO()
    if fmt == "gif":
        frames = [_bare(f.copy()) for f in ImageSequence.Iterator(image)] if getattr(image, "n_frames", 1) > 1 else []
        if frames:
            durations = [f.info.get("duration", 100) for f in ImageSequence.Iterator(Image.open(io.BytesIO(data)))]
            loop = image.info.get("loop", 0)
            frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=loop)
            return buffer.getvalue()
        _bare(image).save(buffer, "GIF")
        return buffer.getvalue()
    clean = to_srgb(image)
    if fmt == "png":
        clean.save(buffer, "PNG", optimize=True)
    elif fmt == "webp":
        clean.save(buffer, "WEBP", lossless=True)
    else:
        flatten(clean).save(buffer, "JPEG", quality=PAGE_JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
