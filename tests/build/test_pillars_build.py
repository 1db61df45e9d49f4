"""The four pillar pages, the people page and the home dashboard in the real build: pages and links resolve,
the right figures, search. Rendered in-process: tests/unit/site/test_pillars.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from support.pages import between, section

JOURNALISTS = ("张旭", "王欣欣", "宁雪")


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def content_of(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.mark.parametrize("url", ["achievements", "talent", "competitions", "outreach", "people"])
def test_built_pages_exist_and_every_link_resolves(built_site, url):
    html = read(built_site, url)
    parser = _Links()
    parser.feed(content_of(html))
    assert parser.hrefs
    for href in parser.hrefs:
        if href.startswith("#"):
            assert f'id="{href[1:]}"' in html, href
            continue
        target = urlsplit(urljoin(f"http://x/{url}/", href))
        assert target.netloc == "x", href
        path = built_site / target.path.lstrip("/") / "index.html"
        assert path.is_file(), href
        if target.fragment:
            assert f'id="{target.fragment}"' in path.read_text(encoding="utf-8"), href


def test_built_pillar_pages_show_the_right_figures(built_site):
    achievements = content_of(read(built_site, "achievements"))
    assert "<h1>难题攻关</h1>" in achievements
    invention = between(achievements, "jx-kind-patent-invention", "jx-kind-patent-utility-model")
    assert "28项" in invention and 'href="../studios/dingshuli/#jx-achievements"' in invention
    assert "<dd>1558项</dd>" in section(achievements, "jx-reported") and "官方报道" in section(
        achievements, "jx-reported"
    )
    talent = section(content_of(read(built_site, "talent")), "jx-sums")
    assert re.search(r"晋升为高级技师（近年来）</span>\s*<span class=\"jx-sums__value\">849人</span>", talent)
    outreach = section(content_of(read(built_site, "outreach")), "jx-sums")
    assert re.search(r">校园</span>.*?500人次.*?studios/gaoqiang/", outreach, re.S)
    assert re.search(r">基层一线</span>.*?700人次.*?studios/wangjingfeng/", outreach, re.S)
    people = content_of(read(built_site, "people"))
    assert '<strong class="jx-person">丁树立</strong>' in people
    assert not any(j in people for j in JOURNALISTS)


def test_search_finds_people_by_name_but_leaves_repeated_links_to_the_profiles(search_docs):
    docs = {url: [doc["title"], doc["text"]] for url, doc in search_docs.items()}
    people = " ".join(docs["people/"])
    assert "任长博" in people and "丁树立" in people
    # Organizations and studio links repeat the profiles; they would push the profile down the results.
    assert "山东省十里香芝麻制品股份有限公司" not in people
    for pillar in ("achievements/", "talent/", "competitions/", "outreach/"):
        text = " ".join(docs[pillar])
        assert "来自：" not in text, pillar
    achievements = " ".join(docs["achievements/"])
    assert "海水淡化浓盐水资源化" in achievements and "孔孔泉劳模和工匠人才创新工作室" not in achievements


def test_built_home_has_dashboard_charts_and_pillar_links(built_site):
    html = read(built_site, "")
    assert "<!-- jx:" not in html
    for url in ("achievements/", "talent/", "competitions/", "outreach/", "people/"):
        assert f'href="{url}"' in html, url
    assert html.count('<svg class="jx-chart"') == 4
    assert html.count('<table class="jx-chart-table">') == 4
    assert "jx-compare__side--reported" in html and "jx-compare__side--profiles" in html
    for ref in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert not re.match(r"(https?:)?//", ref), ref
