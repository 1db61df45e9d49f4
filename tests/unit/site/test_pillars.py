"""The four pillar pages, the people page and the home dashboard.

Unit tests render the builders with the real templates (no MkDocs); the build
tests check the same pages in a real `mkdocs build --strict`. Synthetic records
here are clearly fake and never published.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from jiangxin.content.loader import load_site
from jiangxin.records.model import Report, Site, Story, Studio, freeze
from jiangxin.records.registry import PILLAR, PILLARS
from jiangxin.site import aggregates, dashboard, pillars, sitegen
from jiangxin.site.context import BuildContext
from jiangxin.site.templates import make_env
from support.pages import between, section
from support.project import ROOT, load_real_site

ENV = make_env()
SOURCE = {"title": "测试用虚构来源"}
JOURNALISTS = ("张旭", "王欣欣", "宁雪")


def studio(sid: str, **data) -> Studio:
    return Studio(
        sid,
        f"content/studios/{sid}.yml",
        freeze(
            {
                "name": f"{sid}测试工作室",
                "organization": f"{sid}测试单位",
                "summary": "虚构。",
                "source": SOURCE,
                **data,
            }
        ),
    )


def fake_site(*studios: Studio, stories=(), reports=()) -> Site:
    return Site(tuple(sorted(studios, key=lambda s: s.id)), tuple(stories), tuple(reports))


def body(page) -> str:
    """The HTML body of a generated page (its front matter removed)."""
    return page.markdown.split("---\n", 2)[2]


def page_of(pillar: str, site: Site | None = None) -> str:
    """The pillar's page for `site` (the real content by default)."""
    return body(pillars.pillar_page(BuildContext(ENV, site or load_real_site()), PILLAR[pillar]))


def test_content_loads_cleanly():
    _, problems = load_site(ROOT / "content", ROOT)
    assert not problems


# ---------------------------------------------------------------- 难题攻关


def test_patents_are_listed_by_type_and_linked_to_their_studio():
    html = page_of("achievements")
    invention = between(html, "jx-kind-patent-invention", "jx-kind-patent-utility-model")
    assert "发明专利（1）" in invention
    assert '<span class="jx-figure__value">28项</span>' in invention
    assert 'href="../studios/dingshuli/#jx-achievements"' in invention
    assert "34项" not in invention
    utility = between(html, "jx-kind-patent-utility-model", "jx-kind-improvement")
    assert '<span class="jx-figure__value">34项</span>' in utility


def test_reported_figures_and_profile_sums_are_separate_sections():
    html = page_of("achievements")
    reported = section(html, "jx-reported")
    sums = section(html, "jx-sums")
    assert "官方报道" in reported and "介绍页合计" not in reported
    assert "摘自《建强阵地四维发力" in reported and "2025年" in reported
    for figure in ("<dd>1558项</dd>", "<dd>868项</dd>", "<dd>超11.15亿元</dd>"):
        assert figure in reported
        assert figure not in sums
    assert "介绍页合计" in sums and "不是全市数据" in sums
    assert "28项" not in reported and "1558" not in sums


def test_profile_sums_name_and_link_every_studio_they_come_from(real_site):
    sums = section(page_of("achievements"), "jx-sums")
    rows = re.findall(r"<li>(.*?)</li>", sums, re.S)
    assert len(rows) == len(aggregates.pillar_totals(real_site, "achievements"))
    for row in rows:
        assert re.search(r'href="\.\./studios/[a-z0-9-]+/#jx-achievements"', row), row
    invention = next(r for r in rows if "发明专利" in r)
    assert "28项" in invention and "studios/dingshuli/" in invention
    # 近五年 and 累计 are different periods: two sums, never one.
    assert any("提案建议（近五年）" in r and "近2000项" in r for r in rows)
    assert any("提案建议（累计）" in r and "近200项" in r for r in rows)
    assert not any("2200" in r for r in rows)
    benefit = next(r for r in rows if "经济效益" in r)
    assert "超1000万元" in benefit and "studios/lubei-chemical/" in benefit


def test_every_entry_links_its_studio(real_site):
    for pillar, anchor in ((p.key, p.anchor) for p in PILLARS):
        entries = section(page_of(pillar), "jx-entries")
        items = re.findall(r"<li>(.*?)</li>", entries, re.S)
        assert len(items) == len(aggregates.items(real_site, pillar)), pillar
        for item in items:
            assert re.search(rf'<p class="jx-from"[^>]*>来自：<a href="\.\./studios/[a-z0-9-]+/#{anchor}">', item), item


def test_entries_with_years_are_indexed_by_year_newest_first():
    site = fake_site(
        studio(
            "fake-a",
            achievements=[
                {"type": "project", "title": "虚构项目甲", "year": 2023},
                {"type": "project", "title": "虚构项目乙", "year": 2025},
                {"type": "improvement", "title": "虚构成果丙"},
            ],
        )
    )
    html = page_of("achievements", site)
    years = section(html, "jx-entries").split('id="jx-years"')[1].split("</ul>")[0]
    assert years.index("2025年") < years.index("2023年")
    assert "虚构成果丙" not in years
    projects = between(html, "jx-kind-project", "jx-kind-improvement")
    assert projects.index("虚构项目乙") < projects.index("虚构项目甲")
    assert "（2025年）" in projects
    assert "记录均未注明年份" not in html


def test_sums_add_like_with_like_and_keep_the_approximation():
    site = fake_site(
        studio(
            "fake-a",
            achievements=[
                {
                    "type": "patent",
                    "patent_type": "invention",
                    "title": "专利甲",
                    "count": {"value": 30, "unit": "项", "approx": "余"},
                }
            ],
        ),
        studio(
            "fake-b",
            achievements=[
                {"type": "patent", "patent_type": "invention", "title": "专利乙", "count": {"value": 5, "unit": "项"}},
                {
                    "type": "patent",
                    "patent_type": "invention",
                    "title": "专利丙",
                    "count": {"value": 7, "unit": "项", "period": "每年"},
                },
                {"type": "funding", "title": "资金甲", "amount": {"value": 12.5, "unit": "万元", "label": "获批资金"}},
            ],
        ),
    )
    totals = {t.label: t for t in aggregates.pillar_totals(site, "achievements")}
    assert totals["发明专利"].text == "35余项"
    assert [s.id for s in totals["发明专利"].studios] == ["fake-a", "fake-b"]
    assert totals["发明专利（每年）"].text == "7项"
    assert totals["资金支持：获批资金"].text == "12.5万元"
    html = section(page_of("achievements", site), "jx-sums")
    assert "35余项" in html and 'href="../studios/fake-a/#jx-achievements"' in html


def test_a_pillar_without_entries_says_so_in_one_line():
    site = fake_site(studio("fake-a"))
    html = page_of("competitions", site)
    assert html.count("还没有技能比拼的记录") == 1
    for absent in ('id="jx-sums"', 'id="jx-entries"', '<ul class="jx-items">', 'href="#jx-sums"'):
        assert absent not in html
    assert "还没有收录官方报道的全市数据" in html


def test_pillar_page_escapes_record_values():
    site = fake_site(
        studio(
            "fake-a",
            name="<script>alert(1)</script>",
            talent=[{"type": "mentoring", "title": "<b>x</b>", "count": {"value": 1, "unit": "<i>名</i>"}}],
        )
    )
    html = page_of("talent", site)
    assert "<script>" not in html and "<b>x</b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---------------------------------------------------------------- 人才成长, 技能比拼, 铸魂育人


def test_talent_sums_each_promotion_grade_apart():
    html = page_of("talent")
    sums = section(html, "jx-sums")
    senior = next(r for r in re.findall(r"<li>(.*?)</li>", sums, re.S) if "高级技师" in r)
    assert "晋升为高级技师（近年来）" in senior and "849人" in senior
    assert 'href="../studios/bohai-piston/#jx-talent"' in senior
    assert "1464" not in html  # 技师 and 高级技师 are never one number
    reported = section(html, "jx-reported")
    assert "<dd>超20万人次</dd>" in reported and "849" not in reported


def test_competitions_show_participants_and_that_the_report_has_no_figure():
    html = page_of("competitions")
    assert "2025年的官方报道没有单列技能比拼的全市数字。" in section(html, "jx-reported")
    entry = section(html, "jx-entries")
    assert "“提技赋能 聚力跃升”主题系列技能竞赛" in entry
    assert '每年参赛<span class="jx-figure__value">近1000人次</span>' in entry


def test_outreach_totals_by_audience_type():
    html = page_of("outreach")
    audiences = section(html, "jx-sums").split('id="jx-audiences"')[1]
    rows = dict(re.findall(r'<span class="jx-sums__label">(.*?)</span>(.*?)</li>', audiences, re.S))
    assert set(rows) == {"校园", "基层一线"}
    assert "500人次" in rows["校园"] and 'href="../studios/gaoqiang/#jx-outreach"' in rows["校园"]
    assert "700人次" in rows["基层一线"] and 'href="../studios/wangjingfeng/#jx-outreach"' in rows["基层一线"]
    assert "wangjingfeng" not in rows["校园"]
    assert "<dd>超5万人次</dd>" in section(html, "jx-reported")


def test_every_talk_shows_date_audience_place_speaker_and_reach():
    site = fake_site(
        studio(
            "fake-a",
            outreach=[
                {
                    "title": "虚构宣讲甲",
                    "date": "2025-05-01",
                    "audiences": ["企业", "社区"],
                    "place": "虚构礼堂",
                    "speaker": "测试员甲",
                    "reach": {"value": 30, "unit": "人次"},
                },
                {"title": "虚构宣讲乙", "year": 2024},
            ],
        )
    )
    html = page_of("outreach", site)
    first = section(html, "jx-entries").split("<strong>虚构宣讲甲</strong>")[1].split("</li>")[0]
    for fact in ('<time datetime="2025-05-01">2025-05-01</time>', "企业、社区", "虚构礼堂", "测试员甲", "30人次"):
        assert fact in first
    second = section(html, "jx-entries").split("<strong>虚构宣讲乙</strong>")[1].split("</li>")[0]
    assert "2024年" in second and "<dt>对象</dt><dd>未注明</dd>" in second
    audiences = [a for a, _, _ in aggregates.audience_totals(site)]
    assert audiences == ["企业", "社区", "未注明"]


# ---------------------------------------------------------------- 劳模工匠


def test_people_page_lists_every_leader_and_story_person_with_links(real_site):
    html = body(pillars.people_pages(BuildContext(ENV, real_site))[0])
    cards = re.findall(r'<li class="jx-person-card">(.*?)</ul>\s*</li>', html, re.S)
    names = [re.search(r'<strong class="jx-person">(.*?)</strong>', c).group(1) for c in cards]
    expected = {s.leader for s in real_site.studios if s.leader} | {
        s.get("person")["name"] for s in real_site.stories if s.get("person")
    }
    assert sorted(names) == sorted(expected)
    assert len(names) == len(set(names))
    gaoqiang = cards[names.index("高强")]
    assert '领衔：<a href="../studios/gaoqiang/">高强工匠人才创新工作室</a>' in gaoqiang
    assert 'href="../stories/gaoqiang-campus-talks/"' in gaoqiang
    assert "山东鲁北企业集团" in gaoqiang
    for journalist in JOURNALISTS:
        assert journalist not in html


def test_people_merge_roles_and_keep_namesakes_apart():
    a = studio(
        "fake-a",
        leader={"name": "测试员甲", "honors": ["虚构荣誉一"]},
        outreach=[{"title": "虚构宣讲", "speaker": "测试员乙"}],
    )
    b = studio("fake-b", leader={"name": "测试员乙"})
    story = Story(
        "fake-story",
        "content/stories/fake-story.yml",
        freeze(
            {
                "title": "虚构故事",
                "studio": "fake-a",
                "summary": "虚构。",
                "body": "虚构。",
                "source": SOURCE,
                "person": {"name": "测试员甲", "honors": ["虚构荣誉二"]},
            }
        ),
    )
    people = aggregates.people(fake_site(a, b, stories=[story]))
    assert [(p.name, p.organization) for p in people] == [
        ("测试员甲", "fake-a测试单位"),
        ("测试员乙", "fake-a测试单位"),
        ("测试员乙", "fake-b测试单位"),
    ]
    assert people[0].honors == ("虚构荣誉一", "虚构荣誉二")
    assert people[0].stories == (story,)
    html = body(pillars.people_pages(BuildContext(ENV, fake_site(a, b, stories=[story])))[0])
    assert "荣誉称号：虚构荣誉一、虚构荣誉二" in html
    assert '宣讲：<a href="../studios/fake-a/#jx-outreach">虚构宣讲</a>' in html


# ---------------------------------------------------------------- home dashboard


def test_home_blocks_are_registered_and_cover_the_markers(real_site):
    blocks = sitegen.home_blocks(BuildContext(ENV, real_site))
    markers = set(re.findall(r"<!--\s*jx:([a-z-]+)\s*-->", (ROOT / "content" / "index.md").read_text(encoding="utf-8")))
    assert {"pillars", "dashboard", "charts"} <= markers <= set(blocks)
    uris = [p.src_uri for p in sitegen.all_pages(BuildContext(ENV, real_site))]
    for uri in (
        "achievements/index.md",
        "talent/index.md",
        "competitions/index.md",
        "outreach/index.md",
        "people/index.md",
    ):
        assert uris.count(uri) == 1, uri


def test_home_links_the_pillars_and_people(real_site):
    html = dashboard.home_blocks(BuildContext(ENV, real_site))["pillars"]
    for url, title in (
        ("achievements/", "难题攻关"),
        ("talent/", "人才成长"),
        ("competitions/", "技能比拼"),
        ("outreach/", "铸魂育人"),
        ("people/", "劳模工匠"),
    ):
        assert re.search(rf'href="{url}">\s*<span class="jx-card__title">{title}</span>', html), url


def test_dashboard_puts_reported_and_profile_figures_side_by_side_never_mixed(real_site):
    html = dashboard.home_blocks(BuildContext(ENV, real_site))["dashboard"]
    assert "以下为官方报道的全市数据，摘自《建强阵地四维发力" in html
    sides = re.findall(
        r'<div class="jx-compare__side jx-compare__side--(\w+)">(.*?)</div>\s*(?=<div class="jx-compare__side|</div>)',
        html,
        re.S,
    )
    reported = " ".join(s for kind, s in sides if kind == "reported")
    profiles = " ".join(s for kind, s in sides if kind == "profiles")
    assert len(sides) == 2 * len(dashboard.rows(real_site))
    for figure in ("1家", "23家", "95家", "120家", "1558项", "868项", "超11.15亿元", "超5万人次"):
        assert f"<dd>{figure}</dd>" in reported and f"<dd>{figure}</dd>" not in profiles
    for figure in ("28项", "849人", "近1000人次", "1200人次", "11个"):
        assert f"<dd>{figure}</dd>" in profiles and f"<dd>{figure}</dd>" not in reported
    tags = len(dashboard.rows(real_site))
    assert (
        reported.count('jx-tag--reported">官方报道</span>')
        == profiles.count('jx-tag--profiles">介绍页合计</span>')
        == tags
    )


def test_charts_are_hidden_svg_with_a_captioned_table_of_the_same_numbers(real_site):
    html = dashboard.home_blocks(BuildContext(ENV, real_site))["charts"]
    boxes = html.split('<div class="jx-chart-box">')[1:]
    titles = [re.search(r"<caption>(.*?)</caption>", b).group(1) for b in boxes]
    assert titles == [
        "全市创新工作室按级别（官方报道，2025年）",
        "已发布的工作室介绍页按级别",
        "已发布的工作室介绍页按区县",
        "已发布的工作室介绍页按行业",
    ]
    for box in boxes:
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", box, re.S).group(0))
        assert svg.get("aria-hidden") == "true"
        values = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "jx-chart__value"]
        cells = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', box)
        assert len(values) == len(cells) > 0
        assert [re.sub(r"\D", "", v) for v in values] == [v for _, v in cells]
        assert re.search(r'<div class="jx-sr-only">\s*<table class="jx-chart-table">\s*<caption>', box)
    reported = dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', boxes[0]))
    assert reported == {"国家级": "1", "省级": "23", "市级": "95", "县级": "120"}
    industry = dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', boxes[3]))
    assert industry["化工"] == "2" and sum(map(int, industry.values())) == len(real_site.studios)


def test_dashboard_without_a_report_shows_only_profile_sums():
    site = fake_site(
        studio(
            "fake-a",
            level="provincial",
            talent=[{"type": "training", "title": "虚构培训", "count": {"value": 9, "unit": "人"}}],
        )
    )
    blocks = dashboard.home_blocks(BuildContext(ENV, site))
    assert "还没有收录官方报道的全市数据" in blocks["dashboard"]
    assert "jx-compare__side--reported" not in blocks["dashboard"]
    assert "<dd>9人</dd>" in blocks["dashboard"]
    assert "官方报道" not in blocks["charts"]
    assert "已发布的工作室介绍页按级别" in blocks["charts"]


def test_report_years_come_from_the_latest_report(real_site):
    old = Report(
        "2024",
        "content/reports/2024.yml",
        freeze(
            {
                "year": 2024,
                "title": "虚构",
                "source": SOURCE,
                "figures": [
                    {
                        "metric": "patents",
                        "label": "虚构专利",
                        "value": 1,
                        "unit": "项",
                        "period": "2024年",
                        "group": "achievements",
                    }
                ],
            }
        ),
    )
    site = fake_site(studio("fake-a"), reports=[old, *real_site.reports])
    assert "<dd>1558项</dd>" in page_of("achievements", site)
    assert "虚构专利" not in page_of("achievements", site)


# ---------------------------------------------------------------- real build


def test_entries_per_year_chart_appears_only_when_entries_have_years(tmp_path, real_site):

    from jiangxin.content.loader import load_site as load
    from jiangxin.site import dashboard
    from jiangxin.site.aggregates import entries_per_year
    from support import synth

    sample = real_site
    assert entries_per_year(sample) == []
    assert not [c for c in dashboard.charts(sample) if "按年份" in c.title]

    content = tmp_path / "content"
    synth.write(content, 6, 0)
    site, problems = load(content, tmp_path)
    assert problems == []
    per_year = entries_per_year(site)
    # Each synthetic studio has 3 dated projects, 1 competition (2025) and 1 dated talk (2025).
    assert sum(n for _, n in per_year) == 6 * 5
    chart = next(c for c in dashboard.charts(site) if "按年份" in c.title)
    assert [label for label, _ in chart.rows] == [f"{y}年" for y, _ in per_year]
    assert "<svg" in chart.svg
