"""Work counted instead of timed: a bound on it holds on a busy machine as on an idle one, where seconds do not.

`calls` runs a function under cProfile and counts the function calls it makes, Python and C functions alike.
The count depends on the input and the code, not on the machine's speed or load; a check that turns
quadratic makes a count that grows with the square of its input, and fails its bound on any machine.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def calls(fn: Callable[..., T], /, *args, **kwargs) -> tuple[T, int]:
    """`fn(*args, **kwargs)` and the number of function calls it made."""
    profile = cProfile.Profile(subcalls=False)
    result = profile.runcall(fn, *args, **kwargs)
    return result, pstats.Stats(profile).total_calls
