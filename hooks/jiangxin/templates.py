"""The Jinja environment for page layouts kept in the theme override folder (`overrides/jx/`)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .directory import reading_time
from .formatting import FILTERS
from .markup import render

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "overrides"


def make_env(overrides_dir: Path = DEFAULT_DIR) -> jinja2.Environment:
    """An autoescaping environment: every record value is escaped unless a filter marks it safe."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(overrides_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["markdown"] = render
    env.filters["reading_time"] = reading_time
    return env
