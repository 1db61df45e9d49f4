"""The hook's events in-process on a `load_config`'d scratch project, as MkDocs runs them: which files it swaps
for generated pages and assets, the QR codes with a site address, the home page's markers, the link budget of
MkDocs' Markdown."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from jiangxin.checks import bounds
from support.project import scratch_project


def hook_files(project: Path, **overrides):
    """`load_config` of `project`, then the hook's on_config and on_files as MkDocs runs them."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), **overrides)
    config = config.plugins.on_config(config)
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    return config, config.plugins.on_files(files, config=config)


def render_generated(config, files, src_uri: str) -> str:
    """The HTML the hook hands MkDocs for a generated page (on_page_markdown, then on_page_content)."""
    page = Page(None, files.get_file_from_path(src_uri), config)
    page.read_source(config)
    markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    assert markdown == ""
    return config.plugins.on_page_content("", page=page, config=config, files=files)


def test_hook_swaps_the_records_for_generated_pages_and_assets(tmp_path, real_site):
    project = scratch_project(tmp_path / "p")
    config, files = hook_files(project)
    uris = {file.src_uri for file in files}
    # Raw records are not published; hand-written pages and the theme's files stay.
    assert not [uri for uri in uris if uri.endswith((".yml", ".yaml"))]
    assert {"index.md", "contribute/index.md"} <= uris
    # Our stylesheets as one content-hashed file; Material's search and source maps not published.
    assert [u for u in uris if re.fullmatch(r"assets/stylesheets/jx\.[0-9a-f]{8}\.min\.css", u)]
    assert "assets/stylesheets/jx.css" not in uris and not [u for u in uris if "lunr" in u or u.endswith(".map")]
    for studio in real_site.studios:
        assert f"studios/{studio.id}.md" in uris
        assert f"studios/{studio.id}/poster/index.html" in uris
        # No site address configured: no QR code to link.
        assert f"studios/{studio.id}/qr.svg" not in uris
    assert {f"stories/{story.id}.md" for story in real_site.stories} <= uris
    assert {"studios/index.md", "stories/index.md", "data/studios.json", "data/studios.csv"} <= uris
    # The feed needs absolute addresses.
    assert "feed.xml" not in uris
    generated = files.get_file_from_path("studios/hewang.md")
    assert generated.generated_by and generated.content_string == ""
    assert "qr.svg" not in render_generated(config, files, "studios/hewang.md")


def test_with_a_site_address_every_profile_links_its_qr_code(tmp_path, real_site):
    project = scratch_project(tmp_path / "p")
    config, files = hook_files(project, site_url="https://jx.example.org/")
    assert files.get_file_from_path("feed.xml") is not None
    for studio in real_site.studios:
        qr = files.get_file_from_path(f"studios/{studio.id}/qr.svg")
        assert qr is not None, studio.id
        assert b"<svg" in qr.content_bytes
        html = render_generated(config, files, f"studios/{studio.id}.md")
        assert f'download="{studio.id}-qr.svg"' in html, studio.id


def test_home_page_markers_are_filled_by_the_hook(tmp_path):
    project = scratch_project(tmp_path / "p")
    config, files = hook_files(project)
    page = Page(None, files.get_file_from_path("index.md"), config)
    page.read_source(config)
    assert "<!-- jx:" in page.markdown
    markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    assert "<!-- jx:" not in markdown
    assert 'href="studios/kongkongquan/"' in markdown


def test_the_hook_charges_mkdocs_link_scanning_to_the_budget(tmp_path):
    """MkDocs' Markdown of hand-written pages gets the link budget: a page of 17,000 brackets took over a
    minute without it (tests/build/test_page_bounds_build.py builds one)."""
    config, _ = hook_files(scratch_project(tmp_path / "p"))
    assert [e for e in config["markdown_extensions"] if isinstance(e, bounds.BoundedLinks)]
