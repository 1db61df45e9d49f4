"""Giving memory back to the system before the search indexer runs beside the build."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def release() -> None:
    """Collect what no one holds any more, then ask the C allocator to hand its free pages back.

    Python keeps freed memory for reuse (and most of a build's strings live in glibc's heap, not in
    its own arenas), so without `malloc_trim` the process stays as large as its peak while the
    indexer's own memory comes on top. Only glibc has `malloc_trim`; elsewhere the collection alone.
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
