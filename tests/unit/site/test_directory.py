"""Directory facets: slugs, counts, static facet pages and reading time (pure), then the real build."""

from __future__ import annotations

import re

import pytest

from jiangxin.records import slugs
from jiangxin.records.model import Site, Story, Studio, freeze
from jiangxin.records.registry import SLUG_ID as ID
from jiangxin.site import directory, formatting, profiles
from jiangxin.site.context import BuildContext
from jiangxin.site.templates import make_env


def studio(sid: str, **data) -> Studio:
    return Studio(
        sid,
        f"content/studios/{sid}.yml",
        freeze({"name": f"测试工作室{sid}", "organization": "测试单位", "summary": "测试。", **data}),
    )


def story(sid: str, studio_id: str, **data) -> Story:
    return Story(
        sid,
        f"content/stories/{sid}.yml",
        freeze({"title": f"测试故事{sid}", "studio": studio_id, "summary": "测试。", "body": "正文。", **data}),
    )


# A synthetic site (clearly fake, never published) with honours, homophones and a hostile value.
FAKE = Site(
    studios=(
        studio(
            "a",
            level="provincial",
            county="测试县",
            industry="化工",
            leader={"name": "甲", "honors": ["测试工匠", "测试劳模"]},
        ),
        studio(
            "b", level="provincial", county="测试县", industry="华工", leader={"name": "乙", "honors": ["测试工匠"]}
        ),
        studio("c", county='"><script>alert(1)</script>', leader={"name": "丙"}),
    ),
    stories=(
        story("s1", "a", audiences=["小学", "公众"], themes=["工匠精神"]),
        story("s2", "b", audiences=["公众"]),
    ),
)


def facet(facets, key):
    return next(f for f in facets if f.key == key)


def members(option) -> set[str]:
    return {r.id for r in option.members}


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("无棣县", "wudixian"),
        ("阳信县", "yangxinxian"),
        ("化工", "huagong"),
        ("精密金属铸造", "jingmijinshuzhuzao"),
        ("职业院校", "zhiyeyuanxiao"),
        ("吕", "lv"),
        ("CNC 加工", "cnc-jiagong"),
        ("ＣＮＣ加工", "cnc-jiagong"),
        ("5G·通信", "5g-tongxin"),
    ],
)
def test_slug_is_pinyin(value, expected):
    assert slugs.slug(value) == expected


@pytest.mark.parametrize("value", ["——", "★", "a" * 200, "滨州" * 60, "Café 咖啡", "𠀀字"])
def test_slug_is_always_a_short_ascii_id(value):
    text = slugs.slug(value)
    assert ID.fullmatch(text), text
    assert len(text) <= slugs.MAX_SLUG
    assert slugs.slug(value) == text


def test_homophones_and_reserved_words_get_distinct_stable_slugs():
    slugs = directory.assign_slugs(["化工", "华工", "纺织", "unknown", "index", "未注明"])
    assert slugs["纺织"] == "fangzhi"
    assert slugs["未注明"] == "unknown"
    assert (
        slugs["化工"] != slugs["华工"] and slugs["化工"].startswith("huagong-") and slugs["华工"].startswith("huagong-")
    )
    assert slugs["unknown"] not in ("unknown", slugs["未注明"]) and slugs["index"] != "index"
    assert len(set(slugs.values())) == len(slugs)
    # Order of appearance never decides a URL.
    assert directory.assign_slugs(["华工", "未注明", "index", "unknown", "纺织", "化工"]) == slugs


def test_levels_keep_their_record_keys():
    assert directory.assign_slugs(["national", "county", "未注明"], "level") == {
        "national": "national",
        "county": "county",
        "未注明": "unknown",
    }


# ---------------------------------------------------------------- facets on the real content


def test_studio_facets_of_the_sample_content(real_site):
    facets = directory.studio_facets(real_site)
    county = {o.slug: members(o) for o in facet(facets, "county").options}
    assert county["wudixian"] == {"kongkongquan"}
    assert county["yangxinxian"] == {"dingshuli"}
    assert len(county["unknown"]) == len(real_site.studios) - 2
    industry = {o.label: members(o) for o in facet(facets, "industry").options}
    assert industry["化工"] == {"kongkongquan", "lubei-chemical"}
    assert list(industry)[0] == "化工" and list(industry)[-1] == "未注明"
    level = facet(facets, "level").options
    assert [(o.slug, o.label) for o in level][0] == ("national", "国家级")
    assert members(level[0]) == {"hewang"}


@pytest.mark.parametrize("key", ["level", "county", "industry"])
def test_every_studio_is_counted_under_each_facet(key, real_site):
    options = facet(directory.studio_facets(real_site), key).options
    assert set().union(*(members(o) for o in options)) == {s.id for s in real_site.studios}
    assert all(o.count > 0 for o in options)


def test_a_facet_where_no_record_says_anything_is_left_out(real_site):
    bare = Site(studios=(studio("x"), studio("y")))
    assert directory.studio_facets(bare) == []
    assert directory.facet_pages(BuildContext(make_env(), bare)) == []
    has_honors = any((s.get("leader") or {}).get("honors") for s in real_site.studios)
    assert any(f.key == "honor" for f in directory.studio_facets(real_site)) == has_honors


def test_honours_are_a_facet_when_leaders_have_them():
    honor = facet(directory.studio_facets(FAKE), "honor")
    assert [(o.label, members(o)) for o in honor.options] == [
        ("测试工匠", {"a", "b"}),
        ("测试劳模", {"a"}),
        ("未注明", {"c"}),
    ]
    assert directory.card_tokens(FAKE.studios, [honor])["a"] == {
        "honor": f"{honor.options[0].slug} {honor.options[1].slug}"
    }


def test_story_facets_order_audiences_as_schools_read_them(real_site):
    facets = directory.story_facets(real_site)
    audience = [o.label for o in facet(facets, "audience").options]
    assert audience == [
        a for a in directory.AUDIENCE_ORDER if any(a in (s.get("audiences") or ()) for s in real_site.stories)
    ]
    xiaoxue = next(o for o in facet(facets, "audience").options if o.label == "小学")
    assert xiaoxue.slug == "xiaoxue"
    assert members(xiaoxue) == {s.id for s in real_site.stories if "小学" in s.get("audiences")}


def test_card_tokens_are_the_slugs_of_each_value(real_site):
    tokens = directory.card_tokens(real_site.studios, directory.studio_facets(real_site))
    assert tokens["kongkongquan"]["county"] == "wudixian"
    assert tokens["kongkongquan"]["industry"] == "huagong"
    assert tokens["hewang"]["level"] == "national"
    assert tokens["hewang"]["county"] == "unknown"


# ---------------------------------------------------------------- pages (pure)


def test_facet_pages_one_per_value_never_empty_and_out_of_search(real_site):
    built = directory.facet_pages(BuildContext(make_env(), real_site))
    uris = [p.src_uri for p in built]
    assert len(uris) == len(set(uris))
    for expected in (
        "studios/level/national.md",
        "studios/county/wudixian.md",
        "studios/industry/huagong.md",
        "studios/county/unknown.md",
        "stories/audience/xiaoxue.md",
    ):
        assert expected in uris
    for page in built:
        assert page.markdown.startswith("---\nsearch:\n  exclude: true\ntitle: ")
        assert 'class="jx-card"' in page.markdown, page.src_uri
        assert page.record_path is None


def test_facet_page_titles_and_cards(real_site):
    page = next(
        p
        for p in directory.facet_pages(BuildContext(make_env(), real_site))
        if p.src_uri == "studios/county/wudixian.md"
    )
    assert 'title: "无棣县的创新工作室"' in page.markdown
    assert page.markdown.count('class="jx-card"') == 1
    assert 'href="../../../studios/kongkongquan/"' in page.markdown
    assert '<a class="jx-option" href="../../../studios/county/wudixian/" aria-current="page">' in page.markdown
    unknown = next(
        p
        for p in directory.facet_pages(BuildContext(make_env(), real_site))
        if p.src_uri == "studios/industry/unknown.md"
    )
    assert 'title: "行业未注明的创新工作室"' in unknown.markdown
    assert "这些记录里没有写明行业" in unknown.markdown


def test_hostile_values_are_escaped_and_slugged():
    env = make_env()
    html = directory.studios_index(BuildContext(env, FAKE)).markdown
    assert "<script>alert(1)</script>" not in html
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for value in re.findall(r'data-(?:level|county|industry|honor|jx-value)="([^"]*)"', html):
        assert all(ID.fullmatch(v) for v in value.split()), value
    for page in directory.facet_pages(BuildContext(env, FAKE)):
        assert ID.fullmatch(page.src_uri.rsplit("/", 1)[1][:-3]), page.src_uri
        assert "<script>" not in page.markdown


def test_directory_cards_carry_their_values(real_site):
    html = directory.studios_index(BuildContext(make_env(), real_site)).markdown
    assert "data-jx-filter" in html
    card = re.search(
        r'<li class="jx-card"[^>]*>\s*<a class="jx-card__link" href="../studios/kongkongquan/"', html
    ).group(0)
    assert 'data-level="unknown" data-county="wudixian" data-industry="huagong"' in card
    assert html.count("data-jx-item") == len(real_site.studios)
    # Home and profiles reuse the card templates without filters.
    home = profiles.home_blocks(BuildContext(make_env(), real_site))["featured-studios"]
    assert "data-jx-item" not in home and 'class="jx-card"' in home


# ---------------------------------------------------------------- reading time


@pytest.mark.parametrize(
    ("summary", "body", "minutes"),
    [
        ("", "", 1),
        ("字" * 100, "字" * 200, 1),
        ("字" * 100, "字" * 201, 2),
        ("", "## 标题\n\n**" + "字" * 598 + "**", 2),  # Markdown marks are not read
        ("", "word " * 300 + "字", 2),  # a Latin word reads like one character
    ],
)
def test_reading_minutes(summary, body, minutes):
    assert formatting.reading_minutes({"summary": summary, "body": body}) == minutes


def test_reading_time_text():
    assert formatting.reading_time({"summary": "字" * 650, "body": ""}) == "约 3 分钟"


def test_story_page_and_cards_show_reading_time_when_the_filter_is_registered(real_site):
    env = make_env()
    env.filters["reading_time"] = formatting.reading_time
    story_ = real_site.stories[0]
    text = profiles.story_page(BuildContext(env, real_site), story_).markdown
    assert f'<span class="jx-reading-time">阅读{formatting.reading_time(story_.data)}</span>' in text
    assert (
        f"阅读{formatting.reading_time(story_.data)}" in directory.stories_index(BuildContext(env, real_site)).markdown
    )


# ---------------------------------------------------------------- the real build
