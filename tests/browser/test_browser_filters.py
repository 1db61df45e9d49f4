"""Directory and story filters in real headless Chromium: counts, keyboard, no-JS fallback, instant navigation, print.

The filters are progressive enhancement: without JavaScript each option is a
link to a static page; `jx-filters.js` turns the links into toggle buttons
(`aria-pressed`) that hide cards in place and update the counts.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from support.harness import QuietHandler
from support.project import ROOT, copy_project, mkdocs_build

CONTENT = ROOT / "content"
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT = 15_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ALL_STUDIOS = {p.stem for p in (CONTENT / "studios").glob("*.yml")}
STORIES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (CONTENT / "stories").glob("*.yml")}
STORY = "stories/renchangbo-mentoring/"

VISIBLE_CARDS = """root => [...root.querySelectorAll('.jx-card')]
    .filter(li => li.getClientRects().length > 0)
    .map(li => li.querySelector('a.jx-card__link').getAttribute('href').split('/').filter(Boolean).pop())"""


def new_page(browser, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    assert not page.js_errors, page.js_errors
    page.context.close()


@pytest.fixture
def nojs_page(browser):
    page = new_page(browser, java_script_enabled=False)
    yield page
    page.context.close()


def visible(page) -> set[str]:
    return set(page.eval_on_selector(".md-content", VISIBLE_CARDS))


def option(page, facet: str, label: str):
    """The toggle button of one option, found by its role and its name (label and count)."""
    return page.locator(f".jx-facet:has(#jx-facet-{facet})").get_by_role("button", name=re.compile(f"^{label}（"))


def count_of(page, facet: str, label: str) -> int:
    return int(option(page, facet, label).locator("[data-jx-count]").inner_text())


def filter_status(page):
    """The directory's live count (the search box has a status region of its own)."""
    return page.get_by_role("status").filter(has=page.locator("xpath=self::*[@data-jx-status]"))


def status(page) -> str:
    return filter_status(page).inner_text().strip()


# ---------------------------------------------------------------- studios, JavaScript on


def test_directory_filters_combine_with_counts(page, site_url):
    page.goto(site_url + "studios/")
    assert status(page) == f"共 {len(ALL_STUDIOS)} 个"
    assert visible(page) == ALL_STUDIOS
    assert count_of(page, "industry", "化工") == 2

    option(page, "industry", "化工").click()
    assert option(page, "industry", "化工").get_attribute("aria-pressed") == "true"
    assert visible(page) == {"kongkongquan", "lubei-chemical"}
    assert status(page) == "共 2 个"
    # Counts of the other facets now speak of 化工 studios only.
    assert count_of(page, "county", "无棣县") == 1
    assert count_of(page, "county", "阳信县") == 0
    assert count_of(page, "level", "国家级") == 0
    # …while the industry facet still counts its own options against the other facets.
    assert count_of(page, "industry", "新能源") == 1
    assert page.locator("section:has(#level-national)").is_hidden()

    option(page, "county", "无棣县").click()
    assert visible(page) == {"kongkongquan"}
    assert status(page) == "共 1 个"
    assert count_of(page, "industry", "化工") == 1
    assert parse_qs(urlsplit(page.url).query) == {"industry": ["huagong"], "county": ["wudixian"]}

    page.get_by_role("button", name="清除筛选").click()
    assert visible(page) == ALL_STUDIOS
    assert status(page) == f"共 {len(ALL_STUDIOS)} 个"
    assert page.locator('[aria-pressed="true"]').count() == 0
    assert count_of(page, "industry", "化工") == 2
    assert urlsplit(page.url).query == ""


def test_options_of_one_facet_are_alternatives(page, site_url):
    page.goto(site_url + "studios/")
    option(page, "industry", "化工").click()
    option(page, "industry", "新能源").click()
    assert visible(page) == {"kongkongquan", "lubei-chemical", "hewang"}
    assert status(page) == "共 3 个"
    option(page, "level", "国家级").click()
    assert visible(page) == {"hewang"}


def test_nothing_left_says_so(page, site_url):
    page.goto(site_url + "studios/")
    empty = page.locator("[data-jx-empty]")
    assert empty.is_hidden()
    option(page, "level", "国家级").click()
    option(page, "county", "无棣县").click()
    assert visible(page) == set()
    assert status(page) == "共 0 个"
    assert empty.is_visible()


def test_filters_work_from_the_keyboard(page, site_url):
    page.goto(site_url + "studios/")
    first = option(page, "industry", "化工")
    first.focus()
    page.keyboard.press("Space")
    assert first.get_attribute("aria-pressed") == "true"
    assert status(page) == "共 2 个"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.startswith("新能源")
    page.keyboard.press("Enter")
    assert status(page) == "共 3 个"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-pressed") == "false"
    assert visible(page) == {"hewang"}


def test_choice_in_the_address_is_restored(page, site_url):
    page.goto(site_url + "studios/?industry=huagong&county=wudixian&h=x")
    assert visible(page) == {"kongkongquan"}
    assert option(page, "county", "无棣县").get_attribute("aria-pressed") == "true"
    option(page, "county", "无棣县").click()
    # Other parameters (Material's search highlight ?h=) are kept.
    assert parse_qs(urlsplit(page.url).query) == {"h": ["x"], "industry": ["huagong"]}


def test_options_are_labelled_groups_and_hidden_controls_appear(page, site_url):
    page.goto(site_url + "studios/")
    for label in ("级别", "区县", "行业"):
        assert page.get_by_role("group", name=label).count() == 1
    assert page.locator(".jx-browse a[data-jx-facet]").count() == 0
    buttons = page.locator(".jx-browse button[data-jx-facet]")
    assert buttons.count() > 0 and buttons.count() == page.locator(".jx-browse .jx-option").count()
    assert filter_status(page).get_attribute("role") == "status"
    assert page.locator(".jx-browse__hint").is_visible()


# ---------------------------------------------------------------- JavaScript off


def test_without_javascript_static_facet_links_work(nojs_page, site_url):
    page = nojs_page
    page.goto(site_url + "studios/")
    assert visible(page) == ALL_STUDIOS
    assert page.locator(".jx-filter-bar").is_hidden()
    assert page.locator(".jx-browse button[data-jx-facet]").count() == 0

    page.get_by_role("link", name="化工（2）").click()
    assert urlsplit(page.url).path.endswith("/studios/industry/huagong/")
    assert page.locator("h1").inner_text() == "化工行业的创新工作室"
    assert visible(page) == {"kongkongquan", "lubei-chemical"}

    page.goto(site_url + "studios/")
    page.get_by_role("link", name="无棣县（1）").click()
    assert visible(page) == {"kongkongquan"}
    # The facet page links its siblings and the whole directory.
    page.get_by_role("link", name="阳信县（1）").click()
    assert visible(page) == {"dingshuli"}
    page.get_by_role("link", name=re.compile(r"^全部创新工作室")).click()
    assert visible(page) == ALL_STUDIOS

    page.get_by_role("link", name="国家级（1）").click()
    assert visible(page) == {"hewang"}


def test_without_javascript_stories_by_audience(nojs_page, site_url):
    page = nojs_page
    page.goto(site_url + "stories/")
    page.get_by_role("link", name=re.compile(r"^小学（")).click()
    assert urlsplit(page.url).path.endswith("/stories/audience/xiaoxue/")
    assert visible(page) == {sid for sid, s in STORIES.items() if "小学" in s.get("audiences", ())}


# ---------------------------------------------------------------- stories


def test_stories_filter_by_audience_and_theme(page, site_url):
    page.goto(site_url + "stories/")
    assert visible(page) == set(STORIES)
    option(page, "audience", "小学").click()
    primary = {sid for sid, s in STORIES.items() if "小学" in s.get("audiences", ())}
    assert primary and visible(page) == primary
    assert status(page) == f"共 {len(primary)} 篇"

    page.get_by_role("button", name="清除筛选").click()
    option(page, "audience", "职业院校").click()
    option(page, "theme", "工匠精神").click()
    both = {
        sid for sid, s in STORIES.items() if "职业院校" in s.get("audiences", ()) and "工匠精神" in s.get("themes", ())
    }
    assert visible(page) == both
    assert count_of(page, "theme", "创新") == len(
        {sid for sid, s in STORIES.items() if "职业院校" in s.get("audiences", ()) and "创新" in s.get("themes", ())}
    )


def test_story_cards_and_page_show_reading_time(page, site_url):
    page.goto(site_url + "stories/")
    assert page.locator(".jx-card__meta", has_text=re.compile(r"阅读约 \d+ 分钟")).count() == len(STORIES)
    page.goto(site_url + STORY)
    assert re.fullmatch(r"阅读约 \d+ 分钟", page.locator(".jx-reading-time").inner_text())


# ---------------------------------------------------------------- phone


@pytest.mark.parametrize("path", ["studios/", "stories/"])
def test_phone_lists_fit_the_screen(browser, site_url, path):
    page = new_page(browser, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page.goto(site_url + path, wait_until="networkidle")
        page.locator(".jx-browse button").first.tap()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"phone-filters-{path.strip('/')}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        assert page.locator('.jx-browse [aria-pressed="true"]').count() == 1
        assert not page.js_errors, page.js_errors
    finally:
        page.context.close()


# ---------------------------------------------------------------- print


HIDDEN_IN_PRINT = [
    ".md-header",
    ".md-tabs",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".md-top",
]


@pytest.mark.parametrize(("path", "name"), [(STORY, "story"), ("studios/kongkongquan/", "studio")])
def test_print_view_is_only_the_article_with_its_source(page, site_url, path, name):
    page.goto(site_url + path, wait_until="networkidle")
    page.emulate_media(media="print")
    # Material eases link colours (transition: color 125ms): read them once the switch to print has settled.
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
    for selector in HIDDEN_IN_PRINT:
        for display in page.eval_on_selector_all(selector, "els => els.map(el => getComputedStyle(el).display)"):
            assert display == "none", f"{selector} 在打印时仍显示"
    source = page.locator(".jx-source")
    assert source.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.jx-source')).color") == "rgb(0, 0, 0)"
    # The source closes the article.
    assert page.evaluate(
        "document.querySelector('.jx-story, .jx-profile').lastElementChild.classList.contains('jx-source')"
    )
    size = float(page.evaluate("getComputedStyle(document.querySelector('.md-content__inner')).fontSize").rstrip("px"))
    assert 14 <= size <= 17, f"正文字号 {size}px，不在 11–12.5pt 之间"
    link = page.evaluate(
        "(s => [s.color, s.textDecorationLine])(getComputedStyle(document.querySelector('.jx-story a, .jx-profile a')))"
    )
    assert link == ["rgb(0, 0, 0)", "none"], "链接在打印时应是普通黑字"

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"print-{name}.pdf"), format="A4", prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in boxes), boxes
    if name == "story":
        assert len(boxes) == 1, f"故事打印成了 {len(boxes)} 页"
    page.screenshot(path=str(ARTIFACTS / f"print-{name}.png"), full_page=True)


# ---------------------------------------------------------------- instant navigation and honours


@pytest.fixture(scope="module")
def instant_site_url(tmp_path_factory):
    """The site built with Material's instant navigation on, and leaders with (test-only) honours."""
    project = copy_project(tmp_path_factory.mktemp("instant"))
    # Bind first: instant navigation only follows links listed in the sitemap, which needs site_url.
    handler = functools.partial(QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  features:\n" in text and not re.search(r"^site_url:", text, re.M)
    text = text.replace("  features:\n", "  features:\n    - navigation.instant\n", 1)
    config.write_text(f"site_url: {url}\n{text}", encoding="utf-8")
    for sid, honors in (("kongkongquan", ["测试荣誉甲", "测试荣誉乙"]), ("hewang", ["测试荣誉甲"])):
        record = project / "content" / "studios" / f"{sid}.yml"
        data = record.read_text(encoding="utf-8")
        name = yaml.safe_load(data)["leader"]["name"]
        honors_yaml = "".join(f"\n    - {h}" for h in honors)
        assert f"  name: {name}\n" in data
        record.write_text(
            data.replace(f"  name: {name}\n", f"  name: {name}\n  honors:{honors_yaml}\n", 1), encoding="utf-8"
        )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


def test_filters_survive_instant_navigation(page, instant_site_url):
    page.goto(instant_site_url)
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-tabs").get_by_role("link", name="创新工作室").click()
    page.wait_for_url(re.compile(r"/studios/$"))
    option(page, "industry", "化工").wait_for()
    assert page.evaluate("window.__sameDocument === true"), "没有走即时导航（整页重新加载了）"
    option(page, "industry", "化工").click()
    assert visible(page) == {"kongkongquan", "lubei-chemical"}

    # Away and back again: the new page is set up once, not twice (one click toggles once).
    page.locator(".md-tabs").get_by_role("link", name="工匠故事").click()
    page.wait_for_url(re.compile(r"/stories/$"))
    option(page, "audience", "小学").click()
    assert status(page) == f"共 {sum('小学' in s.get('audiences', ()) for s in STORIES.values())} 篇"
    page.locator(".md-tabs").get_by_role("link", name="创新工作室").click()
    page.wait_for_url(re.compile(r"/studios/$"))
    option(page, "county", "无棣县").click()
    assert option(page, "county", "无棣县").get_attribute("aria-pressed") == "true"
    assert visible(page) == {"kongkongquan"}
    assert page.evaluate("window.__sameDocument === true")


def test_leader_honour_filter(page, instant_site_url):
    page.goto(instant_site_url + "studios/")
    assert page.get_by_role("heading", name="按级别、区县、行业、领衔人荣誉浏览").is_visible()
    assert count_of(page, "honor", "测试荣誉甲") == 2
    option(page, "honor", "测试荣誉甲").click()
    assert visible(page) == {"kongkongquan", "hewang"}
    option(page, "industry", "化工").click()
    assert visible(page) == {"kongkongquan"}
    assert count_of(page, "honor", "测试荣誉乙") == 1
    assert count_of(page, "honor", "未注明") == 1  # lubei-chemical: 化工, no honours
