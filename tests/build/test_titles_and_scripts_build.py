"""No script past the CSP through a title, in real builds and a real publish (issue 21, part 1); the
rules themselves: tests/unit/checks/test_titles_and_scripts.py."""

from __future__ import annotations

import pytest

from jiangxin.checks import built_policy, file_policy
from jiangxin.release import securityheaders
from support.project import ROOT, copy_project, mkdocs_build, publish, run_script

THEME = tuple(file_policy.theme_dirs(ROOT))
ESCAPE = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


def test_every_inline_script_of_the_real_site_is_a_templates_script(built_site):
    allowed = built_policy.theme_scripts(THEME)
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    scripts = [s for p in pages for _, s in built_policy.inline_scripts(p.read_text(encoding="utf-8"))]
    assert len(scripts) > 2 * len(pages)  # Material's base script and ours on every page
    assert [s[:60] for s in scripts if built_policy.unknown_script(s, allowed)] == []
    assert securityheaders.unknown_scripts(built_site, allowed) == []


# ---------------------------------------------------------------- real builds and a real publish


@pytest.mark.parametrize(
    ("page", "line"),
    [
        (f'---\ntitle: "{ESCAPE}"\n---\n\n# 标题\n', 2),
        (f"# {ESCAPE}\n\n正文。\n", 1),
        ("正文。\n\n另一个 &lt;script&gt;\n===\n", 3),
    ],
    ids=["front matter", "heading", "setext"],
)
def test_a_title_with_markup_stops_the_build_and_the_check(tmp_path, page, line):
    project = copy_project(tmp_path / "p")
    (project / "content" / "evil.md").write_text(page, encoding="utf-8")
    for result in (mkdocs_build(project), run_script(ROOT / "scripts" / "check.py", project)):
        out = result.stdout + result.stderr
        assert result.returncode != 0 and f"content/evil.md:{line}:1:" in out, out
        assert "Traceback" not in out
    assert not (project / "site").exists()


def test_a_script_no_template_writes_stops_the_publish_before_the_policy(tmp_path):
    # The 404 page is rendered from a template, not through on_post_page: here the publish's own
    # check of the built site must stop it, and nginx-csp.conf must not learn the script's hash.
    project = copy_project(tmp_path / "p")
    (project / "overrides" / "404.html").write_text(
        '{% extends "main.html" %}\n{% block content %}<h1>找不到</h1>'
        "<script>{% if true %}fetch('/steal'){% endif %}</script>{% endblock %}\n",
        encoding="utf-8",
    )
    result = publish(project)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "404.html" in out and "模板之外的脚本" in out, out
    assert "Traceback" not in out
    assert not (project / "nginx-csp.conf").exists() and not (project / "site").exists()
    assert [p.name for p in (project / ".releases").iterdir()] == []  # the staging folder is gone
