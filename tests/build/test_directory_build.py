"""Directory facets in the real build: static facet pages, counts, links, out of search, reading time.
The pure half: tests/unit/site/test_directory.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiangxin.site import directory, formatting


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def card_links(html: str) -> set[str]:
    return set(
        re.findall(
            r'<li class="jx-card"[^>]*>\s*<a class="jx-card__link" href="(?:\.\./)+(studios|stories)/([a-z0-9-]+)/"',
            html,
        )
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("studios/county/wudixian", {"kongkongquan"}),
        ("studios/county/yangxinxian", {"dingshuli"}),
        ("studios/industry/huagong", {"kongkongquan", "lubei-chemical"}),
        ("studios/level/national", {"hewang"}),
    ],
)
def test_static_facet_page_lists_the_right_studios(built_site, url, expected):
    assert {sid for _, sid in card_links(read(built_site, url))} == expected


def test_every_facet_value_has_a_static_page_with_its_records(built_site, real_site):
    for f in (*directory.studio_facets(real_site), *directory.story_facets(real_site)):
        for option in f.options:
            html = read(built_site, option.url)
            assert f"<h1>{f.title(option)}</h1>" in html
            assert card_links(html) == {(f.section, r.id) for r in option.members}, option.url


def test_directory_links_each_value_with_its_count(built_site, real_site):
    html = read(built_site, "studios")
    assert '<h2 id="jx-browse">按级别、区县、行业浏览</h2>' in html
    for f in directory.studio_facets(real_site):
        for o in f.options:
            link = (
                f'<a class="jx-option" href="../{o.url}" data-jx-facet="{f.key}" data-jx-value="{o.slug}">'
                f'{o.label}<span class="jx-option__count">（<span data-jx-count>{o.count}</span>）</span></a>'
            )
            assert link in html
    assert '化工<span class="jx-option__count">（<span data-jx-count>2</span>）' in html
    assert 'data-jx-template="共 {n} 个">共 11 个</p>' in html


def test_stories_index_links_audiences_and_themes(built_site, real_site):
    html = read(built_site, "stories")
    assert (
        '<a class="jx-option" href="../stories/audience/xiaoxue/" data-jx-facet="audience" data-jx-value="xiaoxue">小学'
        in html
    )
    assert 'data-jx-template="共 {n} 篇">共 5 篇</p>' in html
    assert len(card_links(html)) == len(real_site.stories)


def test_facet_pages_stay_out_of_search(search_docs):
    assert not [
        loc for loc in search_docs if re.match(r"(studios|stories)/(level|county|industry|honor|audience|theme)/", loc)
    ]
    assert "studios/" in search_docs
    assert "按级别、区县、行业浏览" not in search_docs["studios/"]["text"]


def test_built_story_shows_reading_time(built_site, real_site):
    story_ = next(s for s in real_site.stories if s.id == "renchangbo-mentoring")
    expected = f"阅读{formatting.reading_time(story_.data)}"
    html = read(built_site, "stories/renchangbo-mentoring")
    assert expected in html, (
        "故事页没有显示阅读时间：请在 hooks/jiangxin/templates.py 的 make_env 里登记 "
        'env.filters["reading_time"] = formatting.reading_time'
    )
    assert expected in read(built_site, "stories")
