"""The browser form at /admin/: its generated files, and the CMS bundle copied from node_modules.

The form itself is Decap CMS (npm `decap-cms`, pinned in package-lock.json) with the `yaml`
package's browser build; both are copied into the site, so /admin/ loads nothing from
another host. Its configuration comes from `admin_config`, the glue from `overrides/admin/`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from jiangxin.problems import Problem
from jiangxin.records import slugs
from jiangxin.site import admin_config
from jiangxin.site.context import BuildContext
from jiangxin.site.rendering import Asset

FOLDER = "admin"
INSTALL = "bash scripts/setup.sh"
# (package folder in node_modules, its files to publish, where they go under admin/)
VENDOR = (
    ("decap-cms/dist", ("decap-cms.js", "*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt"), "decap"),
    ("yaml/browser/dist", ("**/*.js",), "yaml"),
    ("yaml", ("LICENSE",), "yaml"),
)


def admin_assets(ctx: BuildContext) -> list[Asset]:
    """admin/index.html, the form's configuration and the pinyin table it proposes ids from."""
    config = admin_config.config(ctx.cms, ctx.content_dir, ctx.site_url)
    return [
        Asset(f"{FOLDER}/index.html", ctx.env.get_template("jx/admin.html").render()),
        Asset(f"{FOLDER}/config.json", _json(config)),
        Asset(f"{FOLDER}/pinyin.json", _json(slugs.syllables_table())),
    ]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sources(project: Path) -> list[tuple[Path, str]]:
    """Each vendor file and its path in the site."""
    out = []
    for package, patterns, target in VENDOR:
        base = project / "node_modules" / package
        for pattern in patterns:
            for path in sorted(base.glob(pattern)):
                if path.is_file():
                    out.append((path, f"{FOLDER}/{target}/{path.relative_to(base).as_posix()}"))
    return out


def missing(project: Path) -> list[Problem]:
    """Why /admin/ cannot be built here, in the editors' words (no problem when it can)."""
    modules = project / "node_modules"
    if not all((modules / need).is_file() for need in ("decap-cms/dist/decap-cms.js", "yaml/browser/dist/index.js")):
        why = f"缺少内容编辑页面（/admin/）所需的 Decap CMS 或 yaml 程序包。请在项目目录运行：{INSTALL}"
        return [Problem.file("", "tool.cms-missing", why)]
    return []


def copy_vendor(project: Path, site_dir: Path) -> None:
    """Copy the CMS bundle into the built site; a file already there with the same size and time is kept (serve)."""
    for source, dest in _sources(project):
        target = site_dir / dest
        stat = source.stat()
        try:
            same = target.stat().st_size == stat.st_size and target.stat().st_mtime == stat.st_mtime
        except FileNotFoundError:
            same = False
        if not same:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
