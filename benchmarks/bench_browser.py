"""Browser-side measurements for benchmarks/bench.py: search speed, search result quality, edit-to-browser loop.

    python3 benchmarks/bench_browser.py search SITE_DIR QUERY [QUERY ...]   # prints JSON

Everything runs in Debian's headless Chromium (/usr/bin/chromium) through Playwright's sync API;
no browser is downloaded. Each function starts and stops its own server and browser, so the
functions can be called in any order in one benchmark run.

  search_timing  time from "search opened" to the first result link, on a throttled phone,
                 and the bytes the search downloads (raw, and gzip as a real server sends them)
  search_hits    the first result pages per query (to compare two search engines' answers)
  edit_loop      `mkdocs serve --livereload`: time from saving a record to the browser showing it

The search UI is driven only through Material's markup (header search toggle, `.md-search__input`,
`.md-search-result__list`), so it works for Material's own search (lunr in a web worker, index in
`search/search_index.json`) and for any UI that renders into the same markup (e.g. Pagefind under
`/pagefind/`).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import _project  # noqa: F401  (tests/ on the import path)
from support.harness import CHROMIUM, CHROMIUM_ARGS, free_port, serve  # the server and browser flags the tests use

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

SEARCH_INPUT = "input.md-search__input"
RESULT_LINK = ".md-search-result__list .md-search-result__item a, .md-search-result__list li a"

# URLs that count as "downloaded because of search": Pagefind's bundle, Material's index, its
# worker, and the lunr language files the worker imports (assets/javascripts/lunr/...).
SEARCH_URL = re.compile(r"^/pagefind/|^/jx-names/|search_index\.json|/workers/search|/javascripts/lunr/")


# ---------------------------------------------------------------- browser


@contextlib.contextmanager
def chromium() -> Iterator:
    """Headless system Chromium; closed (with Playwright's driver) on exit, whatever happened."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} not found: run `bash scripts/setup.sh` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright  # imported late: bench.py --help needs no browser

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser, viewport: dict):
    """A fresh context (empty cache, like a first visit) and its page; close the context when done."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    return context, context.new_page()


# ---------------------------------------------------------------- driving the search UI


def _open_search_and_type(page, query: str) -> None:
    """Open the header search the way a visitor does, then type `query`.

    `fill` fires `input`; pressing End afterwards fires `keyup` too, so UIs that listen to
    either (Material reads the query on keyup) start searching.
    """
    field = page.locator(SEARCH_INPUT).first
    button = page.locator('label.md-header__button[for="__search"]').filter(visible=True)
    if button.count():  # phone: the magnifier button in the header (hidden on desktop)
        button.first.click(timeout=10_000)
    elif field.is_visible():  # desktop: the field sits in the header; clicking it opens the search
        field.click(timeout=10_000)
    else:  # no visible toggle (e.g. a customised header): flip Material's checkbox directly
        page.evaluate("""() => { const box = document.getElementById('__search');
            if (box && !box.checked) { box.checked = true; box.dispatchEvent(new Event('change')); } }""")
    field.fill(query)
    field.press("End")


def _page_state(page) -> str:
    """What the search UI shows now, for error messages."""
    try:
        state = page.evaluate("""() => {
            const q = s => document.querySelector(s);
            return {input: q('input.md-search__input')?.value, open: q('#__search')?.checked,
                    meta: q('.md-search-result__meta')?.innerText,
                    list: (q('.md-search-result__list')?.innerHTML || '').slice(0, 500)}; }""")
    except Exception as exc:  # the page itself may be gone
        return f"(page state unavailable: {exc})"
    return json.dumps(state, ensure_ascii=False)


# search_hits' wait: the list has results, or the meta line shows Material's "no results" text
# (`search.result.none` from <script id="__config">). Each query runs on a fresh page, so a
# non-empty list cannot be a previous query's; a UI that leaves the meta line empty or at the
# placeholder while listing results still counts as settled.
_SETTLED = """() => {
    const t = JSON.parse(document.getElementById('__config')?.textContent || '{}').translations || {};
    const meta = (document.querySelector('.md-search-result__meta')?.innerText || '').trim();
    const list = document.querySelector('.md-search-result__list');
    if (list && list.getAttribute('aria-busy') === 'true') return false;  // jx-search.js: still rendering
    if (list && list.children.length > 0) return true;
    return !!meta && meta !== t['search.result.placeholder'] && meta === t['search.result.none'];
}"""

# search_timing's wait: 'results' once a result link exists, 'none' on the "no results" message.
_RESULT_OR_NONE = """(sel) => {
    if (document.querySelector(sel)) return 'results';
    const t = JSON.parse(document.getElementById('__config')?.textContent || '{}').translations || {};
    const meta = (document.querySelector('.md-search-result__meta')?.innerText || '').trim();
    return meta && meta === t['search.result.none'] ? 'none' : false;
}"""

# Result links as paths relative to the site root (Material's __config.base is relative to the
# page), so they depend neither on the port nor on where the site is mounted.
_RESULT_PATHS = r"""(sel) => {
    const config = JSON.parse(document.getElementById('__config')?.textContent || '{}');
    const root = new URL((config.base || '.').replace(/\/?$/, '/'), location.href).pathname;
    return [...document.querySelectorAll(sel)].map(a => {
        const path = new URL(a.href, location.href).pathname;   // drops ?h= and #fragment
        return path.startsWith(root) ? path.slice(root.length) : path.replace(/^\//, '');
    });
}"""


# ---------------------------------------------------------------- 1. search timing


def search_timing(
    site_dir: Path, query: str, cpu_slowdown: float = 4.0, timeout: float = 60, no_worker: bool = False
) -> dict:
    """Time from opening the search on the home page to the first result link, on a throttled phone.

    Returns {query, cpu_slowdown, first_result_s, results_shown, meta, first_href, first_path,
    search_requests, search_raw_kib, search_gzip_kib, search_urls,
    page_requests, page_raw_kib, page_gzip_kib,
    other_after_requests, other_after_raw_kib, other_after_urls, failed_urls}.

    first_result_s is measured inside the page (performance.now() before the click, a
    MutationObserver when the first result link is inserted), so Python/CDP latency does not count.
    The local server has no network delay: download time is not in first_result_s; the bytes are
    reported separately (gzip = what a compressing server would send).
    CPU throttling (Emulation.setCPUThrottlingRate) slows the page's main thread only; Chromium
    does not throttle web workers, so work done in a worker (Material's lunr) runs at full speed.
    no_worker=True hides `Worker` from the page, so a search that can run without one (Pagefind
    falls back to the main thread) is throttled in full; Material's search needs its worker.
    """
    with serve(site_dir) as base, chromium() as browser:
        context, page = _new_page(browser, PHONE)
        try:
            phase = ["page"]
            responses: list[tuple[str, object]] = []
            problems: list[str] = []
            # Context-level so requests made by web workers (importScripts) are seen too.
            context.on("response", lambda r: responses.append((phase[0], r)))
            page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
            page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
            if no_worker:
                page.add_init_script("delete window.Worker; window.Worker = undefined;")

            page.goto(base, wait_until="load", timeout=timeout * 1000)
            phase[0] = "search"
            t0 = page.evaluate(
                """(sel) => {
                const mark = window.__benchSearch = {t1: null};
                const seen = () => { if (mark.t1 === null && document.querySelector(sel)) {
                    mark.t1 = performance.now(); observer.disconnect(); } };
                const observer = new MutationObserver(seen);
                observer.observe(document.documentElement, {childList: true, subtree: true});
                return mark.t0 = performance.now();
            }""",
                RESULT_LINK,
            )
            _open_search_and_type(page, query)
            try:
                outcome = page.wait_for_function(
                    _RESULT_OR_NONE, arg=RESULT_LINK, timeout=timeout * 1000, polling="raf"
                ).json_value()
            except Exception as exc:
                raise RuntimeError(
                    f"search {query!r}: no result link within {timeout:g} s on {base}; "
                    f"page shows {_page_state(page)}; {problems[-5:]}"
                ) from exc
            if outcome == "none":  # fail fast instead of waiting for the timeout
                raise RuntimeError(
                    f"search {query!r} found nothing on {base}: pick a query with results; "
                    f"page shows {_page_state(page)}"
                )
            # The observer may run one microtask after Playwright saw the node; wait for it.
            page.wait_for_function("() => window.__benchSearch.t1 !== null", timeout=5000)
            t1 = page.evaluate("() => window.__benchSearch.t1")
            shown = page.evaluate("""() => ({
                items: document.querySelectorAll('.md-search-result__list > li').length,
                meta: (document.querySelector('.md-search-result__meta')?.innerText || '').trim(),
                href: document.querySelector('.md-search-result__list li a')?.getAttribute('href')})""")
            first_path = (page.evaluate(_RESULT_PATHS, RESULT_LINK) or [None])[0]
            _wait_network_quiet(page, responses)
            totals = _count_bytes(responses)
            return {
                "query": query,
                "cpu_slowdown": cpu_slowdown,
                "first_result_s": (t1 - t0) / 1000,
                "results_shown": shown["items"],
                "meta": shown["meta"],
                "first_href": shown["href"],
                "first_path": first_path,
                **totals,
            }
        finally:
            context.close()


def _wait_network_quiet(page, responses: list, quiet: float = 0.5, limit: float = 5.0) -> None:
    """Let late downloads (e.g. Pagefind fragments of further results) land before counting."""
    end = time.monotonic() + limit
    seen = -1
    while time.monotonic() < end and seen != len(responses):
        seen = len(responses)
        # Not time.sleep: the sync API only delivers events while Playwright is waiting.
        page.wait_for_timeout(quiet * 1000)


def _count_bytes(responses: list) -> dict:
    """Sum raw and gzip-9 body sizes: search downloads (any time) vs. the rest of the home page."""
    from urllib.parse import urlsplit

    sums = {k: [0, 0, 0] for k in ("search", "page", "after")}  # requests, raw, gzip
    urls = []
    failed = []
    for phase, response in responses:
        path = urlsplit(response.url).path
        if response.status >= 400:  # e.g. a stale 404 probe: listed, not counted as a download
            failed.append(f"{response.status} {path}")
            continue
        kind = "search" if SEARCH_URL.search(path) else ("page" if phase == "page" else "after")
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            body = b""
        sums[kind][0] += 1
        sums[kind][1] += len(body)
        sums[kind][2] += len(gzip.compress(body, 9))
        urls.append((kind, path))
    kib = 1024
    return {
        "search_requests": sums["search"][0],
        "search_raw_kib": sums["search"][1] / kib,
        "search_gzip_kib": sums["search"][2] / kib,
        "search_urls": [u for k, u in urls if k == "search"],
        "page_requests": sums["page"][0],
        "page_raw_kib": sums["page"][1] / kib,
        "page_gzip_kib": sums["page"][2] / kib,
        "other_after_requests": sums["after"][0],
        "other_after_raw_kib": sums["after"][1] / kib,
        "other_after_urls": [u for k, u in urls if k == "after"],
        "failed_urls": failed,
    }


# ---------------------------------------------------------------- 1b. as a reader types

# Page-side clocks: every keydown and compositionend, the first result link and each render of
# the name suggestions (jx-combobox.js sets data-query on the listbox when it shows a query's list).
_TYPING_CLOCK = """(sel) => {
    const m = window.__benchTyping = {keys: [], commit: null, result: null, names: {}};
    const input = document.querySelector('input.md-search__input');
    input.addEventListener('keydown', () => m.keys.push(performance.now()), true);
    input.addEventListener('compositionend', () => { m.commit = performance.now(); }, true);
    const seen = () => {
        const now = performance.now();
        if (m.result === null && document.querySelector(sel)) m.result = now;
        const box = document.getElementById('jx-suggest');
        if (box && box.querySelector('[role=option]')) {
            const q = box.getAttribute('data-query');
            if (!(q in m.names)) m.names[q] = now;
        }
    };
    new MutationObserver(seen).observe(document.documentElement, {childList: true, subtree: true, attributes: true});
}"""


def typing_timing(
    site_dir: Path,
    query: str,
    cpu_slowdown: float = 4.0,
    ime: str | None = None,
    no_worker: bool = False,
    key_delay: float = 0.15,
    timeout: float = 60,
) -> dict:
    """Time from the end of typing to the first name suggestion and to the first full-text result.

    Phone viewport, CPU slowed. The search box is opened (which fetches the names index and
    starts loading Pagefind), then the query is typed a key every `key_delay` seconds; with
    `ime` (the pinyin a reader composes, e.g. "jishugongguan") the letters go into an IME
    composition (Chrome DevTools' Input.imeSetComposition) and `query` is committed at the end,
    as on a phone. "End of typing" is the last keydown, or the commit. Returns {query,
    name_s (None without a suggestion), name_first_path, fulltext_s (None without a result),
    first_path, names_requests, names_gzip_kib, search_requests, search_gzip_kib, ...}.
    """
    with serve(site_dir) as base, chromium() as browser:
        context, page = _new_page(browser, PHONE)
        try:
            responses: list[tuple[str, object]] = []
            context.on("response", lambda r: responses.append(("search", r)))
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
            if no_worker:
                page.add_init_script("delete window.Worker; window.Worker = undefined;")
            page.goto(base, wait_until="load", timeout=timeout * 1000)
            page.evaluate(_TYPING_CLOCK, RESULT_LINK)
            responses.clear()  # count what the query costs from here, the fetches on opening included
            button = page.locator('label.md-header__button[for="__search"]').filter(visible=True)
            button.first.click(timeout=10_000)
            field = page.locator(SEARCH_INPUT).first
            field.wait_for(state="visible")
            if ime:
                typed = ""
                for letter in ime:
                    typed += letter
                    cdp.send(
                        "Input.imeSetComposition",
                        {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)},
                    )
                    page.wait_for_timeout(key_delay * 1000)
                cdp.send("Input.insertText", {"text": query})
            else:
                field.type(query, delay=key_delay * 1000)
            end_key = "commit" if ime else "keys"
            # Until a suggestion for the whole query or a full-text result, then up to 3 s for the other.
            got = "(q) => { const m = window.__benchTyping; return q in m.names || m.result !== null; }"
            both = "(q) => { const m = window.__benchTyping; return q in m.names && m.result !== null; }"
            page.wait_for_function(got, arg=query, timeout=timeout * 1000, polling=50)
            with contextlib.suppress(Exception):  # a name query may find no page text, a topic no name
                page.wait_for_function(both, arg=query, timeout=3000, polling=50)
            mark = page.evaluate("() => window.__benchTyping")
            end = mark["commit"] if end_key == "commit" else (mark["keys"] or [0])[-1]
            first = page.evaluate(_RESULT_PATHS, RESULT_LINK) or [None]
            name_first = page.evaluate(
                "() => document.querySelector('#jx-suggest [role=option]')?.dataset.href || null"
            )
            _wait_network_quiet(page, responses)
            totals = _count_bytes(responses)
            names = [r for _, r in responses if "/jx-names/" in r.url and r.status < 400]
            return {
                "query": query,
                "ime": ime,
                "no_worker": no_worker,
                "name_s": (mark["names"][query] - end) / 1000 if query in mark["names"] else None,
                "name_first_path": name_first and re.sub(r"^https?://[^/]+/", "", name_first),
                "fulltext_s": (mark["result"] - end) / 1000 if mark["result"] is not None else None,
                "first_path": first[0],
                "names_requests": len(names),
                "names_gzip_kib": sum(len(gzip.compress(r.body(), 9)) for r in names) / 1024,
                **totals,
            }
        finally:
            context.close()


def name_hits(site_dir: Path, queries: list[str], timeout: float = 30) -> dict[str, list[str]]:
    """The name suggestions per query, as site-relative paths; [] when the search settles without any."""
    hits: dict[str, list[str]] = {}
    with serve(site_dir) as base, chromium() as browser:
        for query in queries:
            context, page = _new_page(browser, DESKTOP)
            try:
                page.goto(base, wait_until="load", timeout=timeout * 1000)
                _open_search_and_type(page, query)
                page.wait_for_function(_SETTLED, timeout=timeout * 1000, polling=50)
                page.wait_for_timeout(300)
                hrefs = page.eval_on_selector_all("#jx-suggest [role=option]", "els => els.map(e => e.dataset.href)")
                hits[query] = [re.sub(r"^https?://[^/]+/", "", h) for h in hrefs]
            finally:
                context.close()
    return hits


# ---------------------------------------------------------------- 2. search hits


def search_hits(site_dir: Path, queries: list[str], top: int = 5, timeout: float = 60) -> dict[str, list[str]]:
    """The first `top` result pages per query, as site-relative paths ('studios/hewang/').

    Desktop viewport, no throttling. Paths lose `?h=` and `#fragment` and are deduplicated in
    order (Material lists sections of one page under it). An empty list means "no results".
    """
    hits: dict[str, list[str]] = {}
    with serve(site_dir) as base, chromium() as browser:
        for query in queries:
            context, page = _new_page(browser, DESKTOP)
            try:
                page.goto(base, wait_until="load", timeout=timeout * 1000)
                _open_search_and_type(page, query)
                try:
                    page.wait_for_function(_SETTLED, timeout=timeout * 1000, polling=50)
                except Exception as exc:
                    raise RuntimeError(
                        f"search {query!r}: results did not settle within {timeout:g} s; page shows {_page_state(page)}"
                    ) from exc
                page.wait_for_timeout(300)  # a debounced UI may still replace the first answer
                page.wait_for_function(_SETTLED, timeout=timeout * 1000, polling=50)
                paths = page.evaluate(_RESULT_PATHS, RESULT_LINK)
                hits[query] = list(dict.fromkeys(paths))[:top]
            finally:
                context.close()
    return hits


# ---------------------------------------------------------------- 3. edit loop


def _wait_http_ok(url: str, timeout: float, proc: subprocess.Popen, log: Path) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:g} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def edit_loop(
    project_dir: Path,
    record: Path,
    page_path: str,
    marker: str,
    edit: Callable[[str], str],
    timeout: float = 60,
    dirty: bool = False,
    start_timeout: float = 600,
) -> dict:
    """Save an edit to `record` while `mkdocs serve --livereload` runs; time until the open page shows it.

    `edit` turns the record's text into the edited text; `marker` must appear in the page
    (document.body.innerText) only after the edit. Then the original text is written back and
    the time until the marker is gone is measured too. The record is restored in any case.

    Returns {edit_to_browser_s, revert_to_browser_s, build_s: [seconds of each build mkdocs
    logged, the first being the initial build], dirty, port}.
    `start_timeout` bounds the initial build (minutes at 10x city scale); `timeout` each edit.
    """
    project_dir = Path(project_dir)
    record = project_dir / record  # an absolute `record` stays as it is
    original = record.read_text(encoding="utf-8")
    edited = edit(original)
    if edited == original:
        raise ValueError("edit() did not change the record")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{page_path.lstrip('/')}"
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"]
    if dirty:
        # As scripts/serve.sh runs it (the hook keeps MkDocs' dirty-build warning from aborting strict mode).
        command += ["--dirty"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    fd, log_name = tempfile.mkstemp(prefix="bench-serve-", suffix=".log")
    log = Path(log_name)
    proc = None
    try:
        with os.fdopen(fd, "wb") as log_file:
            # Own session: the whole process group (mkdocs and anything it spawns) can be stopped.
            proc = subprocess.Popen(
                command,
                cwd=project_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_http_ok(url, start_timeout, proc, log)
        with chromium() as browser:
            context, page = _new_page(browser, DESKTOP)
            try:
                page.goto(url, wait_until="load", timeout=timeout * 1000)
                has_marker = "(m) => !!document.body && document.body.innerText.includes(m)"
                if page.evaluate(has_marker, marker):
                    raise ValueError(f"marker {marker!r} is already on {url} before the edit")
                lacks_marker = "(m) => !!document.body && !document.body.innerText.includes(m)"
                times = {}
                for name, text, condition in (
                    ("edit_to_browser_s", edited, has_marker),
                    ("revert_to_browser_s", original, lacks_marker),
                ):
                    t0 = time.perf_counter()
                    record.write_text(text, encoding="utf-8")
                    try:
                        # Survives livereload's page reload; 50 ms polling keeps the error small.
                        page.wait_for_function(condition, arg=marker, timeout=timeout * 1000, polling=50)
                    except Exception as exc:
                        raise RuntimeError(
                            f"{name}: browser did not update within {timeout:g} s; mkdocs serve log:\n{_tail(log)}"
                        ) from exc
                    times[name] = time.perf_counter() - t0
            finally:
                context.close()
        builds = [float(s) for s in re.findall(r"Documentation built in ([\d.]+) seconds", _tail(log, 10**6))]
        return {**times, "build_s": builds, "dirty": dirty, "port": port}
    finally:
        if proc is not None:
            _stop(proc)
        # After stopping serve, so restoring does not trigger one more rebuild.
        if record.read_text(encoding="utf-8") != original:
            record.write_text(original, encoding="utf-8")
        log.unlink(missing_ok=True)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the serve process group, SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


# ---------------------------------------------------------------- manual use


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "search":
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    site, queries = Path(argv[1]), argv[2:]
    result = {"timing": search_timing(site, queries[0]), "hits": search_hits(site, queries)}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
