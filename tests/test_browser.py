"""The built site in real headless Chromium: search, self-hosting, phone layout.

Material's search runs in a web worker that downloads `search/search_index.json`
and renders hits into `.md-search-result__list`. The search box is read on
`keyup` (and when the worker becomes ready), not on `input`, so after filling
the box the tests press a key, as a person typing with an IME would.

Material segments a Chinese query in the browser by matching its pieces against
the tokens in the index (`segment()` in the search worker), so which words jieba
put in the index at build time decides what a query finds.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT = 15_000
PHONE = {"width": 390, "height": 844}

STUDIO = "studios/hewang/"
STORY = "stories/kongkongquan-caustic-soda/"
PAGES = ["", "studios/", "stories/", STUDIO, STORY]
# Pages that list every studio or every featured record; a hit there is never "unrelated".
LISTINGS = {"", "studios/", "stories/", "people/", "achievements/", "talent/", "competitions/", "outreach/", "data/"}


def record(kind: str, slug: str) -> dict:
    return yaml.safe_load((CONTENT / kind / f"{slug}.yml").read_text(encoding="utf-8"))


def pages_about(studio_slug: str) -> set[str]:
    """The studio's profile and every story whose record names that studio."""
    stories = {
        f"stories/{path.stem}/"
        for path in (CONTENT / "stories").glob("*.yml")
        if yaml.safe_load(path.read_text(encoding="utf-8")).get("studio") == studio_slug
    }
    return {f"studios/{studio_slug}/"} | stories


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
    )
    context.set_default_timeout(TIMEOUT)
    yield context.new_page()
    context.close()


def search(page, site_url: str, query: str) -> list[str]:
    """Type `query` into Material's search on the home page; site paths of the hits, best first.

    Only one link per result page is returned (the page itself, not its sections),
    without the `?h=` highlight parameter or a fragment.
    """
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function(
        """() => {
            const config = JSON.parse(document.getElementById("__config").textContent);
            const meta = document.querySelector(".md-search-result__meta");
            const list = document.querySelector(".md-search-result__list");
            if (!meta || meta.textContent.trim() === config.translations["search.result.placeholder"])
                return false;
            return list.children.length > 0
                || meta.textContent.trim() === config.translations["search.result.none"];
        }""",
        timeout=TIMEOUT,
    )
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "links => links.map(a => a.href)",
    )
    paths = []
    for href in hrefs:
        assert href.startswith(site_url), f"search result outside the site: {href}"
        paths.append(urlsplit(href).path[len(urlsplit(site_url).path):])
    return paths


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("expected", ["studios/kongkongquan/", "stories/kongkongquan-caustic-soda/"])
def test_search_term_inside_a_project_title_finds_studio_and_story(page, site_url, expected):
    """烧碱 sits inside the project title 海水淡化浓盐水资源化及液体盐制烧碱产业化."""
    assert "烧碱" in record("studios", "kongkongquan")["achievements"][0]["title"]
    results = search(page, site_url, "烧碱")
    assert expected in results, f"搜索“烧碱”的结果里没有 {expected}：{results}"
    page.locator(".md-search-result__list mark", has_text="烧碱").first.wait_for()


@pytest.mark.parametrize(
    ("query", "studio"),
    [
        ("任长博", "renchangbo"),
        ("高强", "gaoqiang"),
        ("何旺", "hewang"),
        ("孔孔泉", "kongkongquan"),
        ("丁树立", "dingshuli"),
        ("吴立国", "wuliguo"),
        ("王井峰", "wangjingfeng"),
    ],
)
def test_search_leader_name_finds_studio_first(page, site_url, query, studio):
    assert record("studios", studio)["leader"]["name"] == query
    results = search(page, site_url, query)
    assert f"studios/{studio}/" in results[:3], f"搜索“{query}”的前三条结果里没有 studios/{studio}/：{results}"
    assert results[0] in pages_about(studio), (
        f"搜索“{query}”的第一条结果 {results[0]!r} 与 {studio} 无关：{results}"
    )


@pytest.mark.parametrize(
    ("query", "studio"),
    [
        ("任长博", "renchangbo"),
        ("高强", "gaoqiang"),
        ("何旺", "hewang"),
        ("丁树立", "dingshuli"),
        ("王井峰", "wangjingfeng"),
    ],
)
def test_search_leader_name_lists_no_unrelated_page(page, site_url, query, studio):
    results = search(page, site_url, query)
    unrelated = [path for path in results if path not in pages_about(studio) | LISTINGS]
    assert not unrelated, f"搜索“{query}”列出了无关页面：{unrelated}"


@pytest.mark.parametrize(
    ("query", "studio"),
    [
        ("魏桥", "weiqiao-textile"),
        ("鲁北化工", "lubei-chemical"),
        ("山东省十里香芝麻制品股份有限公司", "renchangbo"),
        ("十里香", "renchangbo"),
        ("京博", "jingbo-alliance"),
        ("京博", "wuliguo"),
    ],
)
def test_search_organization_name_finds_studio(page, site_url, query, studio):
    assert query in record("studios", studio)["organization"] + record("studios", studio)["name"]
    results = search(page, site_url, query)
    assert f"studios/{studio}/" in results[:3], f"搜索“{query}”的前三条结果里没有 studios/{studio}/：{results}"


# ---------------------------------------------------------------- self-hosting


@pytest.mark.parametrize("path", PAGES)
def test_page_contacts_only_its_own_origin(page, site_url, path):
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site_url))
    requested, failed, bad = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and bad.append(f"{response.url} {response.status}"))
    page.goto(site_url + path, wait_until="networkidle")
    # The search worker and its index load after the page; wait for them too.
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')?.textContent.trim()")
    page.wait_for_load_state("networkidle")

    assert requested[0] == site_url + path
    assert any(url.endswith("search/search_index.json") for url in requested), requested
    foreign = [url for url in requested if not url.startswith(origin)]
    assert not foreign, f"{path or '首页'} 请求了其他主机：{foreign}"
    assert not failed, f"{path or '首页'} 有失败的请求：{failed}"
    assert not bad, f"{path or '首页'} 有错误响应：{bad}"
    lang = page.get_attribute("html", "lang")
    assert lang and lang.startswith("zh"), f"<html lang={lang!r}>"


# ---------------------------------------------------------------- phone layout


@pytest.mark.parametrize(("name", "path"), [("home", ""), ("studio-hewang", STUDIO), ("story-kongkongquan", STORY)])
def test_phone_layout_has_no_horizontal_overflow(phone_page, site_url, name, path):
    page = phone_page
    page.goto(site_url + path, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)

    # With is_mobile, Chromium widens the layout viewport (and zooms out) to fit wide
    # content, so innerWidth alone would hide an overflow: compare with the phone width.
    width = PHONE["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > limit + 1 && el.getClientRects().length)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.getAttribute("class") ? "." + el.getAttribute("class").trim().split(" ").filter(Boolean).join(".") : ""))""",
        width,
    )
    assert scroll_width <= width + 1 and inner_width == width, (
        f"{path or '首页'} 在手机上横向溢出：scrollWidth={scroll_width}，innerWidth={inner_width}，超出的元素：{wide}"
    )
    assert page.locator("h1").first.is_visible()
