"""Seconds spent in each hook event, for `benchmarks/bench.py` (written to `$JX_TIMING` after a build)."""

from __future__ import annotations

import functools
import json
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
TIMES: dict[str, float] = {}


def timed(func: Callable[P, R]) -> Callable[P, R]:
    """Add the time spent in `func` to `TIMES` under its name."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[func.__name__] = TIMES.get(func.__name__, 0.0) + time.perf_counter() - start

    return wrapper


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(search_s: float, python_peak: float) -> None:
    """Write this build's hook times to `$JX_TIMING` (when set) and start counting afresh."""
    target = os.environ.get("JX_TIMING")
    if target:
        record = {"hooks": TIMES, "search_index": search_s, "python_peak_mib": python_peak}
        Path(target).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    TIMES.clear()
