"""The built site in real headless Chromium: search, self-hosting, phone layout.

Search is Material's dialog over a Pagefind index (jx-search.js), its box a
combobox (jx-combobox.js) with name suggestions (jx-names.js): the query is
read on `input` (after an IME commits), Pagefind fetches only the index chunks
the query needs from `pagefind/`, and hits are rendered into Material's
`.md-search-result__list`. Pagefind segments Chinese at build time
and the browser segments the query (Intl.Segmenter), so a name may be split
differently on each side; the queries below hold the results to the standard
Material + jieba + our user dictionary met before the switch.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml

from jiangxin.site import namesindex
from support.project import ROOT
from support.search_queries import LEADER_NAMES, NAME_SUGGESTIONS, NOTHING, ORGANIZATIONS, TERMS, TWO_WORDS

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
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    context.set_default_timeout(TIMEOUT)
    yield context.new_page()
    context.close()


def search(page, site_url: str, query: str) -> list[str]:
    """Type `query` into the site's search on the home page; site paths of the hits, best first.

    Only one link per result page is returned (the page itself, not its sections),
    without a query string or a fragment.
    """
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        """() => {
            const config = JSON.parse(document.getElementById("__config").textContent);
            const meta = document.querySelector(".md-search-result__meta");
            const list = document.querySelector(".md-search-result__list");
            if (!meta || meta.textContent.trim() === config.translations["search.result.placeholder"])
                return false;
            if (list.getAttribute("aria-busy") === "true") return false;  // results still coming in
            return list.children.length > 0
                || meta.textContent.trim() === config.translations["search.result.none"];
        }""",
        timeout=TIMEOUT,
    )
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link",
        "links => links.map(a => a.href)",
    )
    paths = []
    for href in hrefs:
        assert href.startswith(site_url), f"search result outside the site: {href}"
        paths.append(urlsplit(href).path[len(urlsplit(site_url).path) :])
    return paths


# ---------------------------------------------------------------- search


@pytest.mark.parametrize("expected", [page for query, page in TERMS if query == "烧碱"])
def test_search_term_inside_a_project_title_finds_studio_and_story(page, site_url, expected):
    """烧碱 sits inside the project title 海水淡化浓盐水资源化及液体盐制烧碱产业化."""
    assert "烧碱" in record("studios", "kongkongquan")["achievements"][0]["title"]
    results = search(page, site_url, "烧碱")
    assert expected in results, f"搜索“烧碱”的结果里没有 {expected}：{results}"
    page.locator(".md-search-result__list mark", has_text="烧碱").first.wait_for()


@pytest.mark.parametrize(("query", "studio"), LEADER_NAMES)
def test_search_leader_name_finds_studio_first(page, site_url, query, studio):
    assert record("studios", studio)["leader"]["name"] == query
    results = search(page, site_url, query)
    assert f"studios/{studio}/" in results[:3], f"搜索“{query}”的前三条结果里没有 studios/{studio}/：{results}"
    assert results[0] in pages_about(studio), f"搜索“{query}”的第一条结果 {results[0]!r} 与 {studio} 无关：{results}"


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


@pytest.mark.parametrize(("query", "studio"), ORGANIZATIONS)
def test_search_organization_name_finds_studio(page, site_url, query, studio):
    assert query in record("studios", studio)["organization"] + record("studios", studio)["name"]
    results = search(page, site_url, query)
    assert f"studios/{studio}/" in results[:3], f"搜索“{query}”的前三条结果里没有 studios/{studio}/：{results}"


@pytest.mark.parametrize(("query", "expected"), TERMS)
def test_search_terms_of_the_records_find_their_pages(page, site_url, query, expected):
    kind, slug = expected.strip("/").split("/")
    assert query in yaml.safe_dump(record(kind, slug), allow_unicode=True)
    results = search(page, site_url, query)
    assert expected in results[:5], f"搜索“{query}”的前五条结果里没有 {expected}：{results}"


def test_search_without_hits_says_so(page, site_url):
    assert search(page, site_url, "鲸鱼潜水艇") == []
    config = page.evaluate("JSON.parse(document.getElementById('__config').textContent)")
    assert page.inner_text(".md-search-result__meta").strip() == config["translations"]["search.result.none"]


def test_search_opens_from_the_keyboard_and_closes_with_escape(page, site_url):
    page.goto(site_url + STUDIO)
    page.keyboard.press("/")
    page.wait_for_function("() => document.activeElement?.classList.contains('md-search__input')")
    assert page.is_checked("#__search")
    page.keyboard.type("何旺")
    page.locator(".md-search-result__item").first.wait_for()
    page.locator("#jx-suggest [role=option]").first.wait_for()
    count = page.locator("#jx-suggest [role=option]").count()
    # The combobox: arrows move through the suggestions with the focus in the box, then on to the results.
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    for _ in range(count):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")


SETTLED_WIDTH = """async el => {
  // Material's search dialog changes size through CSS transitions, some with a delay and no frames in
  // between: wait until no animation runs inside the dialog (at most 20 rounds), then read the width.
  const dialog = el.closest(".md-search") || document.body;
  const frame = () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  for (let round = 0; round < 20; round++) {
    await frame();
    const running = document.getAnimations().filter(a => a.effect && dialog.contains(a.effect.target));
    if (!running.length) break;
    await Promise.all(running.map(a => a.finished.catch(() => null)));
  }
  return el.getBoundingClientRect().width;
}"""


def test_search_on_a_phone_opens_from_the_header_button(phone_page, site_url):
    page = phone_page
    page.goto(site_url + STORY)
    page.locator("label.md-header__button[for='__search']").click()
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.fill("高强")
    first = page.locator(".md-search-result__item a").first
    first.wait_for()
    # Material opens the search dialog with transitions: read the width once they are over.
    width = first.evaluate(SETTLED_WIDTH)
    assert width <= PHONE["width"]
    first.click()
    page.wait_for_url("**/studios/gaoqiang/")


def test_search_shows_record_text_as_text(browser, tmp_path):
    """A payload in a record reaches the index as text; the results dialog must not run it."""
    from support.harness import serve
    from support.project import copy_project, mkdocs_build

    project = copy_project(tmp_path / "p")
    studio = project / "content" / "studios" / "hewang.yml"
    payload = '独特词语<img src=x onerror="window.jxPwned=1">和<b>粗体</b>'
    text = studio.read_text(encoding="utf-8")
    studio.write_text(
        text.replace("\nsummary: ", f"\nsummary: '{payload}'\n_old_summary: ", 1).replace(
            "\n_old_summary: ", "\n# ", 1
        ),
        encoding="utf-8",
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(project / "site") as url:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        assert search(page, url, "独特词语")[0] == STUDIO
        page.wait_for_timeout(300)
        excerpt = page.locator(".md-search-result__item p").first
        assert "<img" in excerpt.inner_text() or "独特词语" in excerpt.inner_text()
        assert page.locator(".md-search-result__list img, .md-search-result__list b").count() == 0
        assert page.evaluate("window.jxPwned") is None and not dialogs
        context.close()


def test_search_in_parts_finds_what_one_bundle_finds(browser, built_site, site_url, page, tmp_path, monkeypatch):
    """A large site is indexed in parts merged in the browser (searchindex.BATCH): the same pages, the same hits."""
    import json

    from support.harness import serve
    from support.project import copy_project, mkdocs_build

    whole = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = whole["languages"]["zh-cn"]["page_count"]
    batch = -(-indexed // 3)  # three parts, as a city of ten times the sample's size has nine
    monkeypatch.setenv("JX_PAGEFIND_BATCH", str(batch))
    project = copy_project(tmp_path / "p")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    out = project / "site" / "pagefind"
    names = json.loads((out / "jx-parts.json").read_text(encoding="utf-8"))
    entries = [out / "pagefind-entry.json", *(out / name / "pagefind-entry.json" for name in names)]
    counts = [json.loads(e.read_text(encoding="utf-8"))["languages"]["zh-cn"]["page_count"] for e in entries]
    # Only pages that mark their body are dealt to the parts (posters and facet lists would make a fourth).
    assert len(counts) == 3 and max(counts) - min(counts) <= 1, counts
    assert sum(counts) == indexed, (counts, indexed)
    assert not list(out.glob("part-*/pagefind.js")), "a merged part carries its own copy of Pagefind's code"
    queries = [query for query, _ in LEADER_NAMES] + ["烧碱"]
    with serve(project / "site") as url:
        parts_context = browser.new_context(locale="zh-CN")
        parts_page = parts_context.new_page()
        parts_page.set_default_timeout(TIMEOUT)
        for query in queries:
            one, merged = search(page, site_url, query), search(parts_page, url, query)
            # The same pages; the order may differ, since each part scores by its own statistics (BM25).
            assert set(merged) == set(one), f"“{query}”：分部分索引 {merged}，整体索引 {one}"
            assert one[0] in merged[:3], f"“{query}”：分部分索引 {merged}，整体索引 {one}"
        parts_context.close()


# ---------------------------------------------------------------- name suggestions (jx-names/)


def suggest(page, site_url: str, query: str) -> list[str]:
    """Type `query`; site paths of the name suggestions, best first ([] once the search settled without any)."""
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.wait_for_function(
        """() => {
            if (document.querySelector('#jx-suggest [role=option]')) return true;
            const list = document.querySelector('.md-search-result__list');
            const meta = document.querySelector('.md-search-result__meta').textContent.trim();
            const t = JSON.parse(document.getElementById('__config').textContent).translations;
            return list.getAttribute('aria-busy') !== 'true' && meta !== t['search.result.placeholder'];
        }""",
        timeout=TIMEOUT,
    )
    page.wait_for_timeout(100)  # a later shard may still add a better suggestion
    hrefs = page.eval_on_selector_all("#jx-suggest [role=option]", "els => els.map(e => e.dataset.href)")
    return [
        urlsplit(h).path[len(urlsplit(site_url).path) :] + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "")
        for h in hrefs
    ]


@pytest.mark.parametrize(("query", "expected"), NAME_SUGGESTIONS)
def test_name_suggestion_comes_first(page, site_url, query, expected):
    """Pinyin, initials, Chinese + pinyin, a wrong character: the names index suggests the page first."""
    found = suggest(page, site_url, query)
    assert found and found[0] == expected, f"输入“{query}”，第一个名称建议应是 {expected}：{found}"


def test_name_suggestion_needs_no_pagefind(page, site_url):
    page.route("**/pagefind/**", lambda route: route.abort())
    assert suggest(page, site_url, "hw")[0] == STUDIO


@pytest.mark.parametrize("query", NOTHING)
def test_query_without_match_suggests_and_finds_nothing(page, site_url, query):
    assert search(page, site_url, query) == []
    assert page.locator("#jx-suggest [role=option]").count() == 0
    assert page.get_attribute("input.md-search__input", "aria-expanded") == "false"


@pytest.mark.parametrize(("query", "expected"), TWO_WORDS)
def test_name_and_topic_find_the_page(page, site_url, query, expected):
    results = search(page, site_url, query)
    assert expected in results[:3], f"搜索“{query}”的前三条结果里没有 {expected}：{results}"


def test_suggestions_follow_the_combobox_pattern(page, site_url):
    assert suggest(page, site_url, "何w")[0] == STUDIO
    box = page.locator("input.md-search__input")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox" and listbox.is_visible()
    count = listbox.locator("[role=option]").count()
    page.wait_for_function(
        "(n) => document.getElementById('jx-suggest-status').textContent.includes(String(n))", arg=count
    )
    assert page.get_attribute("#jx-suggest-status", "aria-live") == "polite"
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and not listbox.is_visible()
    assert page.is_checked("#__search"), "the first Escape closes the list, not the search"
    box.press("Backspace")
    box.type("w")
    page.locator("#jx-suggest [role=option]").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/" + STUDIO)


def test_suggestions_wait_for_the_ime_to_commit(page, site_url):
    """While pinyin is being composed nothing is searched; the committed characters are."""
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/jx-names/index.json'))"
    )
    cdp = page.context.new_cdp_session(page)
    typed = ""
    for letter in "hewang":
        typed += letter
        cdp.send("Input.imeSetComposition", {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)})
        page.wait_for_timeout(80)
        assert page.locator("#jx-suggest [role=option]").count() == 0, f"searched while composing “{typed}”"
    assert page.get_attribute(".md-search-result__list", "aria-busy") is None
    cdp.send("Input.insertText", {"text": "何旺"})
    page.locator("#jx-suggest [role=option]").first.wait_for()
    assert box.input_value() == "何旺"
    assert suggest_paths(page, site_url)[0] == STUDIO


def test_the_browser_reads_the_published_patterns_as_python_does(page, site_url):
    """jx-names.js builds its RegExps from index.json: each code point and token falls as namesindex.py has it."""
    sample = "何旺hewang 任长博 ｈｗ2024年 𠀀丁A1 b-2 孔孔泉、渤海 zhang3"
    page.goto(site_url)
    found = page.evaluate(
        """async (sample) => {
            const index = await (await fetch('jx-names/index.json')).json();
            const han = new RegExp(index.han, 'u'), token = new RegExp(index.token, 'gu');
            const flips = [];  // code points where membership of the Han class changes
            for (let c = 0, inside = false; c <= 0x10ffff; c++) {
                if (c === 0xd800) c = 0xe000;
                if (han.test(String.fromCodePoint(c)) !== inside) { inside = !inside; flips.push(c); }
            }
            return { flips, tokens: sample.match(token) };
        }""",
        sample,
    )
    flips, inside = [], False
    for c in (*range(0xD800), *range(0xE000, 0x110000)):
        if bool(namesindex.HAN.fullmatch(chr(c))) != inside:
            inside = not inside
            flips.append(c)
    assert found["flips"] == flips
    assert found["tokens"] == namesindex.TOKEN.findall(sample)


def suggest_paths(page, site_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("#jx-suggest [role=option]", "els => els.map(e => e.dataset.href)")
    return [urlsplit(h).path[len(urlsplit(site_url).path) :] for h in hrefs]


# ---------------------------------------------------------------- excerpts


def test_excerpt_starts_at_a_boundary_and_marks_whole_words(page, site_url):
    results = search(page, site_url, "烧碱")
    title = record("stories", "kongkongquan-caustic-soda")["title"]
    item = page.locator(".md-search-result__item", has=page.locator(f"a[href$='{STORY}']")).first
    excerpt = item.locator("p").inner_text().strip()
    assert STORY in results
    assert not excerpt.startswith(title) and title not in excerpt, f"摘要重复了标题：{excerpt}"
    marks = item.locator("mark").all_inner_texts()
    assert "烧碱" in marks, f"“烧碱”应整词标出：{marks}"
    assert "烧" not in marks and "碱" not in marks
    story = record("stories", "kongkongquan-caustic-soda")
    text = "。".join([story["summary"], story["body"]])
    start = excerpt.lstrip("…")[:8]
    at = text.find(start)
    assert excerpt.startswith("…") or at == 0 or text[at - 1] in "。；：，\n“", f"摘要不是从句首开始：{excerpt}"


def test_excerpt_reads_headings_as_phrases(page, site_url):
    search(page, site_url, "何旺")
    texts = page.locator(".md-search-result__item p").all_inner_texts()
    assert texts and not any("国家级新能源" in t for t in texts), texts
    assert not any(". " in t for t in texts), texts


# ---------------------------------------------------------------- self-hosting


@pytest.mark.parametrize("path", PAGES)
def test_page_contacts_only_its_own_origin(page, site_url, path):
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site_url))
    requested, failed, bad = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.status >= 400 and bad.append(f"{response.url} {response.status}"))
    page.goto(site_url + path, wait_until="networkidle")
    assert not [url for url in requested if "/pagefind/" in url], "the search bundle loads with every page"
    assert not [url for url in requested if "/jx-names/" in url], "the names index loads with every page"
    # Then a search: the bundle and its index chunks come from the same host.
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("工作室")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_load_state("networkidle")

    assert requested[0] == site_url + path
    assert any(url.endswith("/pagefind/pagefind.js") for url in requested), requested
    assert any(url.endswith(".pf_fragment") for url in requested), requested
    assert any("/jx-names/" in url for url in requested), requested
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
