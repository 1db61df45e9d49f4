"""Real builds refuse personal numbers in what only the build sees: mkdocs.yml, rendered attributes, open data."""

from __future__ import annotations

from support.project import copy_project, mkdocs_build


def _refused(project) -> str:
    result = mkdocs_build(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "Traceback" not in log, log
    assert not (project / "site").exists(), "a refused build must not write the site"
    return log


def test_number_in_site_author_is_refused_with_its_line(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = text[: text.index("site_author:")].count("\n") + 1
    config.write_text(text.replace("site_author: 滨州市总工会", "site_author: 滨州市总工会 王老师 138·0013·8000"))
    log = _refused(project)
    assert f"mkdocs.yml:{line}:" in log and "含有个人信息（手机号码 138****8000）" in log, log


def test_number_in_an_attribute_of_a_hand_written_page_is_refused(tmp_path):
    project = copy_project(tmp_path / "p")
    page = project / "content" / "contribute" / "index.md"
    # Character references: the Markdown file shows no digit run, the published title attribute does.
    digits = "".join(f"&#{ord(c)};" for c in "11010519491231002X")
    page.write_text(page.read_text(encoding="utf-8") + f'\n<abbr title="{digits}">联系方式</abbr>\n', encoding="utf-8")
    log = _refused(project)
    assert "content/contribute/index.md（网页 /contribute/）: 含有个人信息（居民身份证号 110***********002X）" in log, (
        log
    )


def test_number_that_only_the_open_data_joins_is_refused(tmp_path):
    project = copy_project(tmp_path / "p")
    record = project / "content" / "studios" / "wuliguo.yml"
    # Three list items: apart in the record and on the page, one cell (one item a line) in the CSV.
    text = record.read_text(encoding="utf-8").replace("  - 京博\n", "  - 京博\n  - 138\n  - 0013\n  - 8000\n")
    record.write_text(text, encoding="utf-8")
    log = _refused(project)
    assert "data/studios.csv:" in log and "含有个人信息（手机号码 138****8000）" in log, log
