"""Build the site into a temporary folder and swap it into place only if the whole build succeeded.

MkDocs empties `site/` before rendering, so a page that fails to render or a
`--strict` abort would otherwise leave a half-built site behind. Here `site/`
is replaced in one rename, after a clean strict build, or not at all.

    python3 scripts/publish.py [PROJECT_DIR]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def publish(project: Path) -> int:
    """Strict build into a sibling temp folder, then swap with `site/`; returns the exit code."""
    site = project / "site"
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=project))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(staging)],
        cwd=project,
        env=env,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("发布失败：网站没有更新，原有的 site/ 保持不变。请按上面的提示改正后重试。", file=sys.stderr)
        return result.returncode
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=project))
        os.rename(site, old / "site")
    os.rename(staging, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    print(f"发布成功：{site}")
    return 0


if __name__ == "__main__":
    sys.exit(publish(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))
