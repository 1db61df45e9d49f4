"""The browser form (/admin/) in real builds: a wrong setting stops the build with its line, the page is built
hidden and self-hosted, out of search. Its configuration: tests/unit/site/test_cms_config.py."""

from __future__ import annotations

import json
import re

from jiangxin.records.registry import KINDS
from support.project import copy_project, mkdocs_build


def test_a_wrong_setting_stops_the_build_with_the_line(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n  cms:\n    backend: svn\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    line = config.read_text(encoding="utf-8").splitlines().index("extra:") + 1
    assert f"mkdocs.yml:{line}" in result.stderr and "extra.cms.backend" in result.stderr, result.stderr
    assert "“svn”不是可用的代码托管平台" in result.stderr
    assert not (project / "site").exists()


def test_admin_page_is_built_hidden_and_self_hosted(built_site):
    html = (built_site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html and 'lang="zh-CN"' in html
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert "//" not in src and (built_site / "admin" / src).is_file(), src
    for name in ("decap/decap-cms.js", "yaml/index.js", "jx-admin.js", "jx-format.js", "config.json", "pinyin.json"):
        assert (built_site / "admin" / name).is_file(), name
    chunks = list((built_site / "admin" / "decap").glob("*.decap-cms.js"))
    assert chunks and not list((built_site / "admin").rglob("*.map")), "source maps are 25 MB of nothing for readers"
    config = json.loads((built_site / "admin" / "config.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == [k.folder for k in KINDS]
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/admin" not in sitemap
    nav = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="admin/' not in nav


def test_admin_is_not_in_the_search_index(search_docs):
    assert search_docs and not [url for url in search_docs if "admin" in url]
