"""The content policy leaves the sample site's own scripts running: search opens and answers in Chromium."""

from __future__ import annotations


def test_the_sample_site_still_runs_its_own_scripts(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ("", "contribute/"):
            page.goto(site_url + path)
            # Material's bundle opens search on "/", jx-search.js queries Pagefind.
            page.keyboard.press("/")
            page.wait_for_function("() => document.activeElement?.classList.contains('md-search__input')")
            assert page.is_checked("#__search")
            page.keyboard.type("烧碱")
            page.locator(".md-search-result__item > a.md-search-result__link").first.wait_for()
        assert errors == [] and dialogs == []
    finally:
        context.close()
