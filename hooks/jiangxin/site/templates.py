"""The Jinja environment for page layouts kept in the theme override folder (`overrides/jx/`)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache

from jiangxin.site.formatting import FILTERS
from jiangxin.site.markup import render

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "overrides"


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, checked against the source.

    `mkdocs serve` makes new environments on every rebuild; without this each
    rebuild compiles every template (ours and Material's) again.
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


BYTECODE = MemoryBytecodeCache()


def make_env(overrides_dir: Path = DEFAULT_DIR) -> jinja2.Environment:
    """An autoescaping environment: every record value is escaped unless a filter marks it safe."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(overrides_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates are read once per build: skip Jinja's stat() of every file on every include.
        auto_reload=False,
        bytecode_cache=BYTECODE,
    )
    env.filters.update(FILTERS)
    env.filters["markdown"] = render
    return env
