"""Check mkdocs.yml and every record without building the site: the same messages as the build, exit 1 on problems.

python3 scripts/check.py              # the content of this repository
python3 scripts/check.py PROJECT_DIR  # another copy (its content/ folder)
"""

from __future__ import annotations

import sys
from pathlib import Path

from _project import ROOT
from jiangxin.content.loader import load_site
from jiangxin.engine import mkdocsyml
from jiangxin.problems import report


def main(argv: list[str]) -> int:
    """Print every problem of the content, or a one-line summary when there is none."""
    project = Path(argv[0]) if argv else ROOT
    _, config_problems = mkdocsyml.read(project)
    site, problems = load_site(project / "content", project)
    problems = config_problems + problems
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    print(f"内容检查通过：{len(site.studios)} 个工作室，{len(site.stories)} 篇故事，{len(site.reports)} 份年度数据。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
