"""Publish the site: build a new release and switch `site` to it only if the whole build succeeded
(jiangxin.release.publish); `--rollback` switches back to the previous release.

    python3 scripts/publish.py [PROJECT_DIR]             # publish
    python3 scripts/publish.py --rollback [PROJECT_DIR]  # back to the previous release
"""

from __future__ import annotations

import sys
from pathlib import Path

from _project import ROOT
from jiangxin.release.publish import run


def main(argv: list[str]) -> int:
    rollback = "--rollback" in argv
    args = [a for a in argv if a != "--rollback"]
    return run(Path(args[0]).resolve() if args else ROOT, rollback=rollback)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
