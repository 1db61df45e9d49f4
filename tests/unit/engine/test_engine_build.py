"""The build's steps without MkDocs (jiangxin.engine.build): plain values in, the files to drop, add and replace,
the HTML to hand over, or a Stop with its problems. The hook only applies them to MkDocs' objects."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from jiangxin.checks import bounds
from jiangxin.engine import build as engine
from jiangxin.engine import builddate
from jiangxin.engine.session import Build, Session
from jiangxin.problems import Stop
from jiangxin.records.model import Photo, Site, Stripped, Variant
from jiangxin.site.context import BuildContext
from jiangxin.site.rendering import Asset, Page
from jiangxin.site.templates import make_env
from support.project import ROOT, load_real_site

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 16
PROFILE = Page("studios/a.md", {"title": "甲"}, "<h1 id='a'>甲</h1>", record_path="content/studios/a.yml")


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A content folder of a page, a record, a record's photo and a page's screenshot; a theme with our stylesheet."""
    _write(tmp_path / "content/index.md", "# 首页\n")
    _write(tmp_path / "content/studios/a.yml", "name: 甲\n")
    _write(tmp_path / "content/media/photo.jpg", JPEG)
    _write(tmp_path / "content/media/shot.png", PNG)
    _write(tmp_path / "theme/assets/stylesheets/jx.css", "body{}")
    _write(tmp_path / "theme/assets/javascripts/lunr/min/lunr.min.js", "x")
    _write(tmp_path / "cache/shot.png", PNG)
    _write(tmp_path / "cache/photo.480w.webp", b"RIFF")
    return tmp_path


def _session(project: Path, *, serve: bool = False) -> Session:
    variant = Variant("photos/photo.480w.webp", 480, 360, "webp", project / "cache/photo.480w.webp")
    site = Site(
        (), (), (), photos={"media/photo.jpg": Photo("d1", (variant,))},
        page_images={"media/shot.png": Stripped("d2", project / "cache/shot.png")},
    )  # fmt: skip
    session = Session()
    session.start(serve=serve)
    ctx = BuildContext(jinja2.Environment(), site)
    session.build = Build(ctx, project, ("theme",), generated=[PROFILE], assets=[Asset("data/studios.json", "{}")])
    session.build.bundled = ("assets/stylesheets/jx.css",)
    return session


def _files(project: Path, *extra: str) -> list[engine.SourceFile]:
    """MkDocs' list as the hook hands it over: the content's files, then the theme's."""
    docs = [p for p in sorted((project / "content").rglob("*")) if p.is_file()]
    files = [engine.SourceFile(p.relative_to(project / "content").as_posix(), p) for p in docs]
    files += [engine.SourceFile(uri, project / "content" / uri) for uri in extra]
    theme = project / "theme"
    return files + [
        engine.SourceFile(p.relative_to(theme).as_posix(), p) for p in sorted(theme.rglob("*")) if p.is_file()
    ]


def _plan(project: Path, session: Session, *extra: str) -> engine.FilePlan:
    return engine.plan_files(session, _files(project, *extra), project / "content", [project / "theme"])


def test_the_plan_hides_records_and_originals_and_adds_what_the_build_made(project):
    session = _session(project)
    plan = _plan(project, session)
    assert plan.drop == {
        "studios/a.yml",  # a record: published as its page
        "media/photo.jpg",  # a record's photo: only its stripped variants
        "media/shot.png",  # a page's image: replaced by its stripped copy
        "assets/stylesheets/jx.css",  # in the stylesheet bundle
        "assets/javascripts/lunr/min/lunr.min.js",  # Material's own search, unused
    }
    assert plan.images == [("media/shot.png", project / "cache/shot.png")]
    assert plan.variants == [("photos/photo.480w.webp", project / "cache/photo.480w.webp")]
    assert [a.path for a in plan.assets] == ["data/studios.json"]
    assert plan.pages == [(PROFILE, False)] and session.current.records == {"studios/a.md": "content/studios/a.yml"}


def test_a_dirty_rebuild_renders_again_only_what_changed(project):
    session = _session(project, serve=True)
    assert _plan(project, session).rerender("contribute/index.md")  # a first build: every page
    session.last_theme, session.last_built = ("theme",), {PROFILE.src_uri: PROFILE}
    plan = _plan(project, session)
    assert plan.rerender("index.md") and not plan.rerender("contribute/index.md")
    assert plan.pages == [(PROFILE, True)]  # the same page as the last build: MkDocs need not write it


def test_files_the_policy_refuses_stop_the_build_all_at_once(project):
    _write(project / "content/media/logo.svg", "<svg/>")
    _write(project / "content/media/later.png", PNG)  # no stripped copy: changed after the loader ran
    with pytest.raises(Stop) as stopped:
        _plan(project, _session(project))
    assert stopped.value.heading is None  # the content report: counted, sorted, with fields
    assert [(p.path, p.code) for p in stopped.value.problems] == [
        ("content/media/later.png", "image.changed"),
        ("content/media/logo.svg", "file.refused-type"),
    ]
    assert str(stopped.value).startswith("内容检查发现 2 个问题，本次未生成网站（原有网站保持不变）：\n")


def test_a_hand_written_page_in_a_generated_one_s_place_is_refused(project):
    _write(project / "content/studios/a.md", "# 手写\n")
    with pytest.raises(Stop) as stopped:
        _plan(project, _session(project))
    assert stopped.value.codes == ["page.shadows-record"]
    assert str(stopped.value) == "content/studios/a.md: 这个页面由记录自动生成，请删去手写的同名文件。"


def test_our_stylesheets_become_one_bundle_in_the_first_one_s_place(tmp_path):
    _write(tmp_path / "a.css", "a{}")
    _write(tmp_path / "b.css", "b{}")
    bundle, bundled, extra_css = engine.stylesheets(tmp_path, ["x.css", "a.css", "https://cdn/y.css", "b.css"])
    assert bundle is not None and bundle.path.startswith("assets/stylesheets/jx.")
    assert bundled == ("a.css", "b.css")
    assert extra_css == ("x.css", bundle.path, "https://cdn/y.css")
    assert engine.stylesheets(None, ["x.css"]) == (None, (), ("x.css",))
    assert engine.stylesheets(tmp_path, ["x.css"]) == (None, (), ("x.css",))


def test_the_bounded_links_are_added_once():
    added = engine.markdown_extensions(["toc"])
    assert [type(e) for e in added] == [bounds.BoundedLinks]
    assert engine.markdown_extensions(["toc", *added]) == []


def test_a_missing_tool_stops_before_anything_is_loaded(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGEFIND_BINARY", raising=False)
    monkeypatch.setattr(builddate, "_pinned", {})  # the date the unit tier sets is the caller's: no `git log`
    _write(tmp_path / "mkdocs.yml", "site_name: x\n")
    config = engine.SiteConfig(tmp_path / "content", tmp_path / "mkdocs.yml")
    assert config.project == tmp_path and config.content_dir == "content"
    with pytest.raises(Stop) as stopped:
        engine.start(Session(), config)
    assert stopped.value.codes == ["tool.pagefind-missing"]
    assert str(stopped.value).startswith("缺少站内搜索工具 Pagefind（中文分词版）")


# ---------------------------------------------------------------- the pages (the real content)


@pytest.fixture(scope="module")
def real() -> Session:
    session = Session()
    session.begin(make_env(), load_real_site(), site_url=None, publisher="", project=ROOT, theme=("t",))
    return session


def test_a_generated_page_gets_its_meta_and_html_and_no_markdown(real):
    build = real.current
    page = next(p for p in build.generated if p.record_path)
    build.pages[page.src_uri] = page
    assert engine.page_markdown(build, page.src_uri, "ignored", "") == ("", dict(page.meta))
    html, anchors = engine.page_content(real, page.src_uri, "", "", "标题", page.src_uri[:-3] + "/")
    assert html == page.html and anchors == page.element_ids


def test_the_home_page_markers_are_filled_and_an_unknown_one_is_refused(real):
    build = real.current
    home = (ROOT / "content/index.md").read_text(encoding="utf-8")
    markdown, meta = engine.page_markdown(build, "index.md", home, home)
    assert meta is None and "<!-- jx:" not in markdown and build.home_blocks
    with pytest.raises(Stop) as stopped:
        engine.page_markdown(build, "index.md", "# 首页\n\n<!-- jx:nothing -->\n", "# 首页\n\n<!-- jx:nothing -->\n")
    assert stopped.value.codes == ["page.unknown-marker"]
    assert str(stopped.value).startswith("content/index.md:3: 未知的标记 <!-- jx:nothing -->，可用的有：")


def test_a_hand_written_page_is_sanitized_and_scanned_for_personal_data(real):
    source = "正文\n\n<img src=x onerror=alert(1)>\n"
    with pytest.raises(Stop) as stopped:
        engine.page_content(real, "extra.md", '<p>正文</p>\n<img src="x" onerror="alert(1)">', source, "附录", "extra/")
    assert [(p.path, p.line, p.code) for p in stopped.value.problems] == [
        ("content/extra.md", 3, "page.event-attribute")
    ]
    with pytest.raises(Stop) as stopped:
        engine.page_content(real, "extra.md", '<abbr title="13800138000">联系</abbr>', "", "附录", "extra/")
    assert stopped.value.codes == ["privacy.mobile"]
    assert str(stopped.value) == (
        "生成的页面或文件里含有个人信息，已停止发布：\n"
        f"content/extra.md（网页 /extra/）: {stopped.value.problems[0].message}"
    )
    assert engine.page_content(real, "extra.md", "<p>正文</p>", "正文\n", "附录", "extra/") == ("<p>正文</p>", None)


def test_a_finished_page_is_named_by_its_record(real):
    build = real.current
    page = next(p for p in build.generated if p.record_path)
    build.records[page.src_uri] = page.record_path or ""
    with pytest.raises(Stop) as stopped:
        engine.final_page(build, page.src_uri, '<base href="//x/">', None, "studios/x/")
    assert stopped.value.codes == ["built.refused-tag"]
    assert (
        str(stopped.value)
        == f"生成的页面里有不安全的内容，已停止发布：\nstudios/x/（{page.record_path}）: 第 1 行有 <base> 标签"
    )
    engine.final_page(build, "index.md", "<p>首页</p>", None, "")  # nothing to refuse


def test_edit_this_page_points_at_the_record(real):
    build = real.current
    page = next(p for p in build.generated if p.record_path)
    build.records[page.src_uri] = page.record_path or ""
    url = engine.edit_url(build, page.src_uri, "https://git.example.org/u/site", "edit/main/content/", ROOT / "content")
    assert url == f"https://git.example.org/u/site/edit/main/{page.record_path}"
    assert (
        engine.edit_url(build, "index.md", "https://git.example.org/u/site", "edit/main/content/", ROOT / "content")
        is None
    )
