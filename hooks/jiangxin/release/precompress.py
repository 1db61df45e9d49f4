"""Precompressed copies of a built site's text files, for nginx's gzip_static and brotli_static.

Made once at publish time at the highest levels (a server compressing per request could
not afford them), next to each file as `name.gz` and `name.br`, with no timestamp inside,
so that the same site always gives the same bytes. Pagefind's chunks are gzip already.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

try:
    import brotli
except ImportError:  # pragma: no cover - requirements.txt pins it; gzip alone still serves
    brotli = None

SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv", ".ics", ".atom", ".webmanifest"}
)
MIN_BYTES = 512  # below this a compressed response saves less than its headers cost
# Brotli's top level (11) costs ~1 s per MB even unloaded, level 5 a hundredth of that for ~10 %
# more bytes: 11 only for the stylesheets and scripts every reader loads (few, and the same
# from release to release), 5 for pages (thousands at city scale) and the /admin/ bundle.
BIG = 512 * 1024
BEST_SUFFIXES = frozenset({".css", ".js", ".mjs"})


def candidates(site: Path) -> Iterator[Path]:
    """The files worth compressing, in a stable order."""
    for path in sorted(site.rglob("*")):
        wanted = path.suffix.lower() in SUFFIXES and not path.is_symlink()
        if wanted and path.is_file() and path.stat().st_size >= MIN_BYTES:
            yield path


def compress_tree(site: Path) -> tuple[int, int, int]:
    """Write `.gz` (and `.br`) beside every candidate; returns (files, bytes before, gzip bytes after)."""
    count = before = after = 0
    for path in candidates(site):
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        if len(packed) >= len(data):
            continue
        path.with_name(path.name + ".gz").write_bytes(packed)
        if brotli is not None:
            rel = path.relative_to(site).as_posix()
            best = path.suffix.lower() in BEST_SUFFIXES and len(data) < BIG and not rel.startswith("admin/")
            quality = 11 if best else 5
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=quality))
        count, before, after = count + 1, before + len(data), after + len(packed)
    return count, before, after
