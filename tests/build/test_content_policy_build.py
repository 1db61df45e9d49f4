"""The content policy in real builds and publishes: hostile pages and files stop the build with their line and
the published site stays as it was. The policy in-process: tests/unit/checks/test_content_policy.py."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from support.project import ROOT, copy_project, mkdocs_build, publish


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def append_to_guide(project: Path, text: str) -> int:
    """Add `text` at the end of the editors' guide; returns the line it starts on."""
    page = project / "content/contribute/index.md"
    old = page.read_text(encoding="utf-8")
    page.write_text(old + "\n\n" + text, encoding="utf-8")
    return old.count("\n") + 3


def refused(result: subprocess.CompletedProcess) -> str:
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out, out
    return out


BUILD_CASES = [
    ("svg onload", "<svg/onload=alert(1)>", 0, "不能用 <svg> 标签"),
    ("split handler", '<img src="x.png" alt="a"\nonerror="alert(1)">', 1, "不能有脚本或事件属性（<img> 的 onerror）"),
    ("entity javascript", '<a href="&#106;avascript:alert(1)">点我</a>', 0, "不安全"),
    ("base", '<base href="//other.host/">', 0, "不能用 <base> 标签"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">', 0, "不能用 <meta> 标签"),
    ("form", '<form action="https://evil.example/"><input name="a"></form>', 0, "不能用 <form> 标签"),
]


@pytest.mark.parametrize(("name", "html", "offset", "words"), BUILD_CASES, ids=[c[0] for c in BUILD_CASES])
def test_a_build_refuses_hostile_html_in_a_hand_written_page(project, name, html, offset, words):
    line = append_to_guide(project, html + "\n") + offset
    out = refused(mkdocs_build(project))
    assert f"content/contribute/index.md:{line}:" in out and words in out, out


def test_the_home_page_is_sanitized_without_its_generated_blocks(project):
    page = project / "content/index.md"
    old = page.read_text(encoding="utf-8")
    page.write_text(old + "\n<p>正文</p><img src=x onerror=alert(1)>\n", encoding="utf-8")
    out = refused(mkdocs_build(project))
    line = old.count("\n") + 2
    assert f"content/index.md:{line}:" in out and "页面里不能有脚本或事件属性（<img> 的 onerror）" in out, out
    assert "<svg>" not in out  # the charts the hook puts at the markers are not the page's own


def test_a_markdown_suffix_page_is_sanitized_too(project):
    (project / "content/extra.markdown").write_text("# 附录\n\n<svg/onload=alert(1)>\n", encoding="utf-8")
    out = refused(mkdocs_build(project))
    assert "content/extra.markdown:3:1:" in out and "<svg>" in out, out


def test_a_build_refuses_front_matter_that_does_not_parse(project):
    page = project / "content/contribute/index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: 编辑指南", "title: 编辑指南: 第二版", 1), "utf-8")
    out = refused(mkdocs_build(project))
    assert "content/contribute/index.md:2:" in out and "页面信息格式错误" in out, out


def test_files_refused_by_the_loader_stop_the_build(project):
    (project / "content/assets/javascripts").mkdir(parents=True)
    (project / "content/assets/javascripts/jx-search.js").write_text("alert(1)", encoding="utf-8")
    (project / "content/media").mkdir()
    (project / "content/media/passwd.png").symlink_to("/etc/passwd")
    out = refused(mkdocs_build(project))
    assert "content/assets/javascripts/jx-search.js: (文件): 网站不发布这种文件（.js）" in out, out
    assert "content/media/passwd.png: (文件): 这是指向仓库以外" in out, out


def test_a_record_with_an_upper_case_suffix_is_published_but_never_copied(project):
    studios = project / "content/studios"
    (studios / "wuliguo.yml").rename(studios / "wuliguo.YML")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert (site / "studios/wuliguo/index.html").is_file()
    assert not [p for p in site.rglob("*") if p.suffix.lower() in (".yml", ".yaml")]


def test_a_foreign_script_from_the_config_is_refused_and_site_url_is_not(project):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("# site_url:", "site_url: https://jx.example.cn/")
    text = text.replace("# repo_url:", "repo_url: https://git.example.org/union/site")
    text = text.replace("# edit_uri:", "edit_uri: edit/main/content/")
    config.write_text(text, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    config.write_text(text.replace("extra_javascript:\n", "extra_javascript:\n  - https://cdn.evil.example/x.js\n"))
    out = refused(mkdocs_build(project))
    assert "生成的页面里有不安全的内容" in out and "https://cdn.evil.example/x.js" in out, out


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_publish_keeps_the_previous_site_when_a_page_or_a_file_is_hostile(project):
    first = publish(project)
    assert first.returncode == 0, first.stderr
    before = tree_digest(project / "site")
    append_to_guide(project, "<svg/onload=alert(1)>\n")
    out = refused(publish(project))
    assert "content/contribute/index.md:" in out and "<svg>" in out
    assert tree_digest(project / "site") == before
    (project / "content/contribute/index.md").write_text(
        (ROOT / "content/contribute/index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (project / "content/media").mkdir()
    (project / "content/media/page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    out = refused(publish(project))
    assert "content/media/page.html: (文件): 网站不发布这种文件（.html）" in out
    assert tree_digest(project / "site") == before
