"""`mkdocs serve --dirty` (scripts/serve.sh): a rebuild renders only the pages whose HTML changed.

MkDocs loads the hook module once per process; what lives between the builds of one serve is
the hook's SESSION (jiangxin.session.Session). The script below does what serve does
(two builds in one process, the second dirty) without a server or a file watcher.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from support.project import copy_project, mkdocs_env

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = Path(sys.argv[1])
    edits = json.loads(sys.argv[2])

    def once(dirty, first=False):
        config = load_config("mkdocs.yml", site_dir=str(site))
        if first:
            config.plugins.on_startup(command="serve", dirty=True)
        config.site_url = "http://127.0.0.1:8000/"
        build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)

    def stamps():
        return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("index.html")}

    once(False, first=True)
    before = stamps()
    for path, old, new in edits:
        file = Path(path)
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    time.sleep(0.05)
    once(True)
    after = stamps()
    print(json.dumps(sorted(p for p in after if after[p] != before.get(p))))
""")


def rebuilt_pages(project, edits) -> list[str]:
    import json

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(project / "site"), json.dumps(edits)],
        cwd=project,
        env=mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_record_edit_rebuilds_its_pages_and_leaves_the_rest(tmp_path):
    project = copy_project(tmp_path / "p")
    changed = rebuilt_pages(
        project, [("content/studios/hewang.yml", "成为全市创新标杆。", "成为全市创新标杆。本句为测试新增。")]
    )
    assert "studios/hewang/index.html" in changed
    assert (project / "site" / "studios" / "hewang" / "index.html").read_text(encoding="utf-8").count(
        "本句为测试新增"
    ) >= 1
    # Pages that do not show the summary are not rendered again.
    assert "stories/gaoqiang-campus-talks/index.html" not in changed
    assert "studios/gaoqiang/index.html" not in changed
    # Posters are files the hook writes itself (cheap, no theme); count the rendered pages.
    rendered = [p for p in changed if "/poster/" not in p]
    assert len(rendered) < 15, rendered
    # The home page holds blocks made from the records: always rendered again.
    assert "index.html" in changed


def test_a_template_edit_rebuilds_every_generated_page(tmp_path):
    project = copy_project(tmp_path / "p")
    changed = rebuilt_pages(
        project, [("overrides/main.html", '{% extends "base.html" %}', '{% extends "base.html" %}{# 测试 #}')]
    )
    assert {
        "studios/hewang/index.html",
        "stories/gaoqiang-campus-talks/index.html",
        "studios/index.html",
        "index.html",
        "contribute/index.html",
    } <= set(changed)
