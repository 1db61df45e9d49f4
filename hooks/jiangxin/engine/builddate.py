"""The build's date, so that the same content builds to the same bytes on any day.

MkDocs stamps every page with `mkdocs.utils.get_build_date()` when it creates the
page (after on_config); the sitemap prints it as `<lastmod>` and the gzip header of
sitemap.xml.gz carries it. That date is SOURCE_DATE_EPOCH when set, else today.
`pin` sets SOURCE_DATE_EPOCH when the caller did not: to the last commit of the
content or mkdocs.yml, else to a fixed date.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ENV = "SOURCE_DATE_EPOCH"
# 1980-01-01 UTC, the customary "no real date" of reproducible builds (the ZIP epoch).
FIXED = 315532800

_pinned: dict[str, str] = {}


def pin(project: Path, docs_dir: Path, config_file: str | None) -> None:
    """Set SOURCE_DATE_EPOCH for this process unless the caller set it (a value we set is renewed)."""
    current = os.environ.get(ENV)
    if current is not None and current != _pinned.get(ENV):
        return
    paths = [docs_dir, *([Path(config_file)] if config_file else [])]
    _pinned[ENV] = str(last_commit(project, paths) or FIXED)
    os.environ[ENV] = _pinned[ENV]


def last_commit(project: Path, paths: list[Path]) -> int | None:
    """Commit time of the newest commit touching `paths`; None outside git or without commits there."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *map(str, paths)],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = result.stdout.strip()
    return int(out) if result.returncode == 0 and out.isdigit() else None
