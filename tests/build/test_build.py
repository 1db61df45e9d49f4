"""Real `mkdocs build --strict` runs in temporary folders; checks the HTML and files they produce."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from support.project import ROOT, copy_project, mkdocs_build, snapshot


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_strict_build_prints_no_warning(build_log):
    assert "WARNING" not in build_log
    assert "Documentation built" in build_log


def test_home_shows_reported_figures_with_source(built_site):
    html = read(built_site, "")
    assert "以下为官方报道的全市数据，摘自《建强阵地四维发力 释放“硬核”动能" in html
    for figure in ("1家", "23家", "95家", "120家", "1558项", "868项", "超11.15亿元", "超5万人次"):
        assert f"<dd>{figure}</dd>" in html, figure
    assert 'href="studios/kongkongquan/"' in html
    assert 'href="stories/renchangbo-mentoring/"' in html
    assert "<!-- jx:" not in html


def test_every_studio_and_leader_has_a_profile(built_site, real_site):
    for studio in real_site.studios:
        html = read(built_site, f"studios/{studio.id}")
        assert f"<h1>{studio.name}</h1>" in html
        assert studio.get("organization") in html
        if studio.leader:
            assert f'<strong class="jx-person">{studio.leader}</strong>' in html


def test_profile_shows_its_facts_and_links_its_stories(built_site):
    html = read(built_site, "studios/kongkongquan")
    assert "<title>孔孔泉劳模和工匠人才创新工作室 - 匠心滨州</title>" in html
    assert "海水淡化浓盐水资源化及液体盐制烧碱产业化" in html
    assert '<span class="jx-figure__value">360万元</span>' in html
    assert 'href="../../stories/kongkongquan-caustic-soda/"' in html
    assert "资料来源" in html


def test_profile_has_no_empty_sections(built_site):
    html = read(built_site, "studios/hewang")
    assert "2025年 全国劳模工匠创新工作室（国家级）" in html
    for missing in ("难题攻关", "人才成长", "技能比拼", "攻关方向", 'id="jx-outreach"'):
        assert missing not in html.split('<article class="jx-profile">')[1], missing


def test_story_links_back_to_its_studio(built_site):
    html = read(built_site, "stories/renchangbo-mentoring")
    assert "<h1>名师带高徒：任长博工作室的“1+3带15”</h1>" in html
    assert '<a href="../../studios/renchangbo/">任长博工作室</a>' in html
    assert '<h2 id="jx-questions">课堂讨论</h2>' in html
    assert "<strong>项目历练</strong>" in html


def test_directory_groups_by_level(built_site, real_site):
    html = read(built_site, "studios")
    national = html.split('id="level-national"')[1].split("</section>")[0]
    assert 'href="../studios/hewang/"' in national
    assert 'id="level-none"' in html
    assert html.count('class="jx-card"') == len(real_site.studios)


def test_navigation_lists_sections_only(built_site, real_site):
    html = read(built_site, "studios/hewang")
    nav = html.split('<nav class="md-nav md-nav--primary')[1].split('<nav class="md-nav md-nav--secondary"')[0]
    assert "首页" in nav and "创新工作室" in nav and "工匠故事" in nav
    assert nav.count("md-nav__link") <= 14
    for studio in real_site.studios:
        assert studio.name not in nav


def test_raw_records_are_not_published(built_site):
    assert not list(built_site.rglob("*.yml"))


def test_search_index_holds_every_profile_and_story_but_no_poster(search_docs, real_site):
    for studio in real_site.studios:
        doc = search_docs[f"studios/{studio.id}/"]
        assert doc["title"] == studio.name
        leader = studio.data.get("leader")
        if leader:
            assert leader["name"] in doc["text"], studio.id
    assert {f"stories/{s.id}/" for s in real_site.stories} <= set(search_docs)
    assert "烧碱" in search_docs["stories/kongkongquan-caustic-soda/"]["text"]
    # Search keywords are indexed though no page shows them.
    assert "京博" in search_docs["studios/jingbo-alliance/"]["text"]
    assert not [url for url in search_docs if "/poster/" in url]
    # Navigation and footer stay out: only the page's own content is indexed.
    assert "编辑指南" not in search_docs["studios/hewang/"]["text"]


def test_search_bundle_is_small_and_has_no_unused_ui(built_site):
    bundle = built_site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not list(bundle.glob("pagefind-ui.*")) and not list(bundle.glob("pagefind-*-ui.*"))


def test_china_ready_page_head_and_footer(built_site):
    for url in ("", "studios", "studios/hewang", "stories/gaoqiang-campus-talks"):
        html = read(built_site, url)
        assert re.search(r'<html lang="zh', html)
        assert "Made with" not in html
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for ref in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", ref), f"{url}: {ref}"


def test_wrong_type_fails_and_previous_site_is_untouched(tmp_path):
    project = copy_project(tmp_path / "p")
    assert mkdocs_build(project).returncode == 0
    before = snapshot(project / "site")
    studio = project / "content" / "studios" / "hewang.yml"
    studio.write_text(
        studio.read_text(encoding="utf-8").replace("    year: 2025", "    year: 二〇二五"), encoding="utf-8"
    )
    story = project / "content" / "stories" / "gaoqiang-campus-talks.yml"
    story.write_text(
        story.read_text(encoding="utf-8").replace("studio: gaoqiang", "studio: gao-qiang"), encoding="utf-8"
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "content/studios/hewang.yml:9:5: designations[0].year（年份）: 类型不对" in log
    assert "content/stories/gaoqiang-campus-talks.yml:6:1: studio（所属工作室）: 找不到编号为“gao-qiang”的工作室" in log
    assert "Traceback" not in log
    assert snapshot(project / "site") == before


def test_icp_number_shows_in_footer_when_configured(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('icp: ""', 'icp: "鲁ICP备00000000号-1"'), encoding="utf-8"
    )
    assert mkdocs_build(project).returncode == 0
    assert '<a class="jx-icp" href="https://beian.miit.gov.cn/" rel="noopener">鲁ICP备00000000号-1</a>' in read(
        project / "site", ""
    )


def test_record_values_are_escaped(tmp_path):
    project = copy_project(tmp_path / "p")
    studio = project / "content" / "studios" / "hewang.yml"
    studio.write_text(
        studio.read_text(encoding="utf-8")
        .replace("name: 何旺创新工作室", "name: '何旺<script>alert(1)</script>工作室'")
        .replace("  name: 何旺", '  name: "何旺\\" onmouseover=\\"x"'),
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    html = read(project / "site", "studios/hewang")
    assert "<script>alert(1)</script>" not in html
    assert "何旺&lt;script&gt;alert(1)&lt;/script&gt;工作室" in html
    assert 'onmouseover="x"' not in html
    assert "<title>何旺&lt;script&gt;alert(1)&lt;/script&gt;工作室 - 匠心滨州</title>" in html


def test_missing_search_indexer_fails_the_build(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "p")
    (project / "node_modules").unlink()
    monkeypatch.delenv("PAGEFIND_BINARY", raising=False)
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "缺少站内搜索工具 Pagefind（中文分词版）" in result.stdout + result.stderr
    assert "bash scripts/setup.sh" in result.stdout + result.stderr
    assert not (project / "site").exists()


def test_hand_written_page_cannot_shadow_a_generated_one(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "content" / "studios" / "hewang.md").write_text("# 手写\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "这个页面由记录自动生成" in result.stdout + result.stderr


@pytest.mark.parametrize("kind", ["studio", "story", "report"])
def test_schemas_are_valid_json_schema(kind):
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "hooks" / "jiangxin" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["hooks"] == ["hooks/jiangxin_hooks.py"]


def test_generated_pages_link_to_their_record_for_editing(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "# repo_url:\n# edit_uri:\n", "repo_url: https://git.example.org/union/site\nedit_uri: edit/main/content/\n"
        ),
        encoding="utf-8",
    )
    assert mkdocs_build(project).returncode == 0
    site = project / "site"
    assert 'href="https://git.example.org/union/site/edit/main/content/studios/hewang.yml"' in read(
        site, "studios/hewang"
    )
    assert 'href="https://git.example.org/union/site/edit/main/content/stories/renchangbo-mentoring.yml"' in read(
        site, "stories/renchangbo-mentoring"
    )
    assert 'href="https://git.example.org/union/site/edit/main/content/index.md"' in read(site, "")
