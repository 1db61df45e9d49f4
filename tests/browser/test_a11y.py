"""Accessible and China-ready, checked in real Chromium and on real builds.

* axe-core (npm, exact version in package.json; `bash scripts/setup.sh --test` runs
  `npm ci`) is injected into each page from node_modules and must report zero
  violations. Rules: axe's WCAG 2.0/2.1 level A and AA rules plus its best
  practices (AXE_TAGS); AAA and experimental rules are left out.
* `<html lang="zh-CN">`, sharing meta (Open Graph, Twitter card) escaped exactly once,
  ICP and public-security filing numbers in the footer when configured.
* The larger-text mode (适老化): a 大字 toggle in the header that persists in
  localStorage, applies before first paint, survives storage errors and Material's
  instant navigation, and never makes a phone page overflow.
"""

from __future__ import annotations

import functools
import http.server
import threading
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest
import yaml

from support.browser import (
    ARTIFACTS,
    PAGES,
    SIZES,
    STORAGE_KEY,
    assert_no_violations,
    axe_violations,
    describe,
    new_page,
    open_page,
)
from support.project import ROOT, copy_project, mkdocs_build

LARGE = "jx-large"
SITE_NAME = "匠心滨州"

# Hostile-ish text for the sharing-meta build: `&`, `<`, `>` and quotes must come out exactly once escaped.
STUDIO_NAME = '何旺 & <创新> "工作室"'
# A hand-written page's title may hold no angle bracket (the pages gate refuses it: Material's striptags
# would turn an encoded one into markup); `&` and quotes are escaped once. A record's name may (its page's
# title is escaped by the builders).
PAGE_TITLE = '研发 & 质量 "安全"'
PAGE_DESCRIPTION = "写给编辑的说明：R&D、AT&T 与 <不是标签"
ICP = "鲁ICP备00000000号-1"
POLICE = "鲁公网安备00000000000000号"


# ---------------------------------------------------------------- helpers


def open_search(page, query: str | None = None) -> None:
    """Open Material's search (the dialog on phones, the header box on desktops)."""
    page.locator("label.md-header__button[for=__search]:visible, input.md-search__input:visible").first.click()
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    if query:
        box.fill(query)
        box.press("End")  # Material reads the query on keyup
        page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(300)  # let the opening transition finish before colours are measured


def toggle(page):
    return page.get_by_role("button", name="大字")


def is_large(page) -> bool:
    return page.evaluate(f"document.documentElement.classList.contains({LARGE!r})")


def root_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def overflow(page, width: int) -> tuple[int, list[str]]:
    """The document's scroll width and up to five elements reaching past `width`."""
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > limit + 1 && el.getClientRects().length
                          && !el.closest(".md-sidebar, .md-search, .md-tabs"))
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.getAttribute("class") ? "." + el.getAttribute("class").trim().split(/\\s+/).join(".") : ""))""",
        width,
    )
    return page.evaluate("document.documentElement.scrollWidth"), wide


class Head(HTMLParser):
    """The <html lang>, every <meta> and the footer's text of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.meta: list[dict] = []
        self.canonical = None
        self._footer = 0
        self.footer = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta":
            self.meta.append(a)
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        if tag == "footer" or self._footer:
            self._footer += 1

    def handle_endtag(self, tag):
        if self._footer:
            self._footer -= 1

    def handle_data(self, data):
        if self._footer:
            self.footer += data

    def prop(self, name: str) -> list[str]:
        return [m.get("content") for m in self.meta if m.get("property") == name or m.get("name") == name]


def head_of(site: Path, url: str) -> Head:
    return Head((site / url / "index.html").read_text(encoding="utf-8"))


def serve(folder: Path):
    """An HTTP server for `folder` on a free port of 127.0.0.1 (the folder may be filled later)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even if it gains tags such as !ENV or !!python/name."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


# ---------------------------------------------------------------- a variant build


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    """The real project with everything the real config leaves off: site_url, a share
    image, filing numbers, instant navigation; plus a studio name and a hand-written
    page whose titles hold `&`, `<` and quotes. Built once; yields (site folder, URL).

    Material's instant navigation only follows links listed in sitemap.xml, which it
    matches by protocol and host but not port or path, so site_url is the test server's
    own address: the server is bound first and the site built for its port."""
    project = copy_project(tmp_path_factory.mktemp("a11y-variant"))
    server, url = serve(project / "site")
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    features = list(config["theme"].get("features") or [])
    features.append("navigation.instant")
    variant_config = {
        "INHERIT": "mkdocs.yml",
        "site_url": url,
        "theme": {"features": features},
        "extra": {"icp": ICP, "police_beian": POLICE, "share_image": "assets/images/jx-share.png"},
    }
    (project / "jx-variant.yml").write_text(yaml.safe_dump(variant_config, allow_unicode=True), encoding="utf-8")

    record = project / "content" / "studios" / "hewang.yml"
    lines = record.read_text(encoding="utf-8").splitlines()
    names = [i for i, line in enumerate(lines) if line.startswith("name:")]
    assert len(names) == 1, "hewang.yml has no single top-level name"
    lines[names[0]] = "name: " + yaml.safe_dump(STUDIO_NAME, allow_unicode=True).splitlines()[0]
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project / "content" / "jx-share-test.md").write_text(
        f"---\ntitle: {PAGE_TITLE}\ndescription: {PAGE_DESCRIPTION}\nimage: media/jx-share-test.png\n---\n\n# 分享测试\n\n正文。\n",
        encoding="utf-8",
    )
    try:
        result = mkdocs_build(project, "-f", "jx-variant.yml")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr
        yield project / "site", url
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- axe


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "path", "required"), PAGES, ids=[p[0] for p in PAGES])
def test_axe_finds_no_violation(browser, site_url, name, path, required, size):
    context, page = new_page(browser, size)
    try:
        open_page(page, site_url + path, required)
        assert_no_violations(page, f"{path or '首页'}（{size}）")
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", [None, "何旺"], ids=["empty", "results"])
def test_axe_finds_no_violation_with_search_open(browser, site_url, size, query):
    context, page = new_page(browser, size)
    try:
        open_page(page, site_url)
        open_search(page, query)
        assert_no_violations(page, f"首页打开搜索{f'并搜“{query}”' if query else ''}后（{size}）")
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_violation_in_large_text_mode(browser, site_url, size):
    context, page = new_page(browser, size, large=True)
    try:
        open_page(page, site_url + "studios/hewang/")
        assert is_large(page)
        assert_no_violations(page, f"大字模式的工作室页（{size}）")
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_violation_in_footer_with_filing_numbers(browser, variant, size):
    _, url = variant
    context, page = new_page(browser, size)
    try:
        open_page(page, url)
        assert page.locator(".md-copyright", has_text=ICP).is_visible()
        assert_no_violations(page, f"显示备案号的首页（{size}）")
    finally:
        context.close()


def test_axe_reports_a_known_violation(browser, site_url):
    """The check can fail: Material's own red on white (3.4:1) is caught."""
    context, page = new_page(browser, "desktop")
    try:
        open_page(page, site_url + "studios/")
        page.add_style_tag(content="body[data-md-color-primary] { --md-primary-fg-color: #ef5552; }")
        violations = axe_violations(page)
        assert "color-contrast" in {v["id"] for v in violations}, describe(violations)
        assert "3.4" in describe(violations)
    finally:
        context.close()


# ---------------------------------------------------------------- lang and sharing meta


def test_every_page_says_zh_cn(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    wrong = [(p.relative_to(built_site).as_posix(), Head(p.read_text(encoding="utf-8")).lang) for p in pages]
    wrong = [(p, lang) for p, lang in wrong if lang != "zh-CN"]
    assert not wrong, f"这些页面的 <html lang> 不是 zh-CN：{wrong[:10]}"


@pytest.mark.parametrize("url", ["", "studios/", "studios/hewang/", "stories/renchangbo-mentoring/", "contribute/"])
def test_sharing_meta_on_real_pages(built_site, url):
    head = head_of(built_site, url)
    assert head.prop("og:site_name") == [SITE_NAME]
    assert head.prop("og:locale") == ["zh_CN"]
    assert head.prop("og:type") == ["website" if url == "" else "article"]
    assert head.prop("twitter:card") == ["summary"]
    (title,) = head.prop("og:title")
    (description,) = head.prop("og:description")
    assert title and description and "&amp;" not in title + description
    if url == "":
        assert title == SITE_NAME
    # Absolute URLs need site_url; Material prints the canonical link exactly then.
    if head.canonical is None:
        assert head.prop("og:url") == [] and head.prop("og:image") == []
    else:
        assert head.prop("og:url") == [head.canonical]


def test_sharing_meta_escapes_generated_and_hand_written_titles_once(variant):
    site, url = variant
    studio = head_of(site, "studios/hewang/")
    assert studio.prop("og:title") == [STUDIO_NAME]
    assert studio.prop("og:url") == [url + "studios/hewang/"]
    assert studio.prop("og:image") == [url + "assets/images/jx-share.png"]
    raw = (site / "studios/hewang/index.html").read_text(encoding="utf-8")
    assert f'<meta property="og:title" content="{markupsafe.escape(STUDIO_NAME)}">' in raw
    assert "&amp;amp;" not in raw and "&amp;lt;" not in raw

    page = head_of(site, "jx-share-test/")
    assert page.prop("og:title") == [PAGE_TITLE]
    assert page.prop("og:description") == [PAGE_DESCRIPTION]
    assert page.prop("og:image") == [url + "media/jx-share-test.png"]
    assert page.prop("og:url") == [url + "jx-share-test/"]
    home = head_of(site, "")
    assert home.prop("og:title") == [SITE_NAME] and home.prop("og:type") == ["website"]


def test_filing_numbers_in_every_footer_when_configured(variant, built_site):
    site, _ = variant
    for url in ("", "studios/hewang/", "jx-share-test/"):
        footer = " ".join(head_of(site, url).footer.split())
        assert ICP in footer and POLICE in footer, f"{url or '首页'} 的页脚：{footer!r}"
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    extra = config.get("extra") or {}
    raw = (built_site / "index.html").read_text(encoding="utf-8")
    if not extra.get("icp"):
        assert "jx-icp" not in raw and "beian.miit.gov.cn" not in raw
    if not extra.get("police_beian"):
        assert "jx-police" not in raw


# ---------------------------------------------------------------- larger text (适老化)


def test_large_text_toggle_by_keyboard_persists_across_pages_and_visits(browser, site_url):
    context, page = new_page(browser, "phone")
    try:
        open_page(page, site_url + "studios/")
        button = toggle(page)
        assert button.is_visible() and button.get_attribute("aria-pressed") == "false"
        normal = root_px(page)
        body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")

        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-pressed") == "true" and is_large(page)
        assert root_px(page) >= normal * 1.25
        larger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
        assert larger >= 20 and larger >= body * 1.25, (body, larger)
        assert page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") == "large"

        open_page(page, site_url + "studios/hewang/")  # another page
        assert is_large(page) and toggle(page).get_attribute("aria-pressed") == "true"
        other = context.new_page()  # a later visit in the same browser
        open_page(other, site_url)
        assert is_large(other) and toggle(other).get_attribute("aria-pressed") == "true"

        toggle(page).focus()
        page.keyboard.press("Space")
        assert not is_large(page) and toggle(page).get_attribute("aria-pressed") == "false"
        assert root_px(page) == normal
        page.reload(wait_until="networkidle")
        assert not is_large(page)
    finally:
        context.close()


def test_large_text_applies_before_first_paint(browser, site_url):
    context, page = new_page(browser, "phone", large=True)
    try:
        # Record the class at the moment <body> is parsed, i.e. before anything is painted.
        page.add_init_script(
            """window.__jxAtBody = null;
            new MutationObserver((_, observer) => {
                if (document.body) {
                    window.__jxAtBody = document.documentElement.classList.contains("jx-large");
                    observer.disconnect();
                }
            }).observe(document, {childList: true, subtree: true});"""
        )
        open_page(page, site_url + "stories/renchangbo-mentoring/")
        assert page.evaluate("window.__jxAtBody") is True
    finally:
        context.close()


def test_large_text_toggle_works_when_storage_is_blocked(browser, site_url):
    context, page = new_page(browser, "desktop")
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{error}\n{error.stack}"))
    try:
        page.add_init_script(
            """Object.defineProperty(window, "localStorage", {configurable: true,
                get() { throw new DOMException("blocked", "SecurityError"); }});"""
        )
        open_page(page, site_url + "studios/hewang/")
        assert not is_large(page)
        toggle(page).click()
        assert is_large(page) and toggle(page).get_attribute("aria-pressed") == "true"
        toggle(page).click()
        assert not is_large(page)
        ours = [e for e in errors if "jx-textsize" in e or "jx-large" in e]
        assert not ours, ours
    finally:
        context.close()


def test_large_text_without_javascript_hides_the_toggle(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", **SIZES["phone"])
    try:
        page = context.new_page()
        page.goto(site_url + "studios/hewang/")
        assert page.locator("[data-jx-textsize]").count() == 1
        assert not page.locator("[data-jx-textsize]").is_visible()
    finally:
        context.close()


def test_large_text_survives_instant_navigation(browser, variant):
    _, url = variant
    context, page = new_page(browser, "desktop")
    try:
        open_page(page, url)
        toggle(page).click()
        assert is_large(page)
        page.evaluate("window.__jxSamePage = true")
        page.locator(".md-tabs__link", has_text="创新工作室").click()
        page.wait_for_url("**/studios/")
        page.locator("h1").first.wait_for()
        assert page.evaluate("window.__jxSamePage") is True, "instant navigation did not take over"
        assert is_large(page) and toggle(page).get_attribute("aria-pressed") == "true"
        toggle(page).click()
        assert not is_large(page) and toggle(page).get_attribute("aria-pressed") == "false"
    finally:
        context.close()


@pytest.mark.parametrize(("name", "path", "required"), PAGES, ids=[p[0] for p in PAGES])
def test_large_text_on_a_phone_neither_overflows_nor_overlaps(browser, site_url, name, path, required):
    context, page = new_page(browser, "phone", large=True)
    try:
        open_page(page, site_url + path, required)
        assert is_large(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"phone-large-{name}.png"), full_page=True)
        width = SIZES["phone"]["viewport"]["width"]
        scroll_width, wide = overflow(page, width)
        assert scroll_width <= width + 1 and page.evaluate("window.innerWidth") == width, (
            f"{path or '首页'} 大字模式在手机上横向溢出：scrollWidth={scroll_width}，超出的元素：{wide}"
        )
        # Header controls: all inside the screen, none on top of another.
        boxes = page.evaluate(
            """() => [...document.querySelectorAll(".md-header__inner > *")]
                .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
                .map(el => { const r = el.getBoundingClientRect();
                             return {name: el.className || el.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })
                .filter(b => b.right - b.left > 0)"""
        )
        for box in boxes:
            assert box["left"] >= 0 and box["right"] <= width + 0.5, f"页眉元素超出屏幕：{box}"
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = (
                    a["right"] <= b["left"] + 0.5
                    or b["right"] <= a["left"] + 0.5
                    or a["bottom"] <= b["top"]
                    or b["bottom"] <= a["top"]
                )
                assert apart, f"页眉元素重叠：{a} 与 {b}"
        button = toggle(page).bounding_box()
        assert button["width"] >= 44 and button["height"] >= 44, f"大字按钮太小，不便点按：{button}"
    finally:
        context.close()
