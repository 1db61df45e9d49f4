"""Going live: Debian's real nginx with deploy/'s recipe over a site published by scripts/publish.py.

Every page kind loads in Chromium without one Content-Security-Policy violation, search works,
/admin/ starts; responses come compressed with the cache headers as written; a missing path
gets the 404 page. The full example (deploy/nginx.conf, HTTPS) passes `nginx -t`.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest

from support.browser import PAGES
from support.harness import BROTLI_MODULE, DEPLOY, NGINX, PLACEHOLDER, nginx

KINDS = [path for _, path, _ in PAGES] + [
    "stories/hewang-national-studio/",
    "studios/level/national/",
    "contribute/",
    "admin/",
]
# Collects CSP violations before any page script runs.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def live(published, tmp_path_factory):
    """(URL, project): the sample site published with publish.py and served by nginx on 127.0.0.1."""
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} 不存在：请先运行 bash scripts/setup.sh --test（会安装 Debian 的 nginx）")
    with nginx(published, tmp_path_factory.mktemp("nginx")) as url:
        yield url, published


def fetch(url: str, encoding: str = "br, gzip") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    encoding = headers.get("content-encoding")
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip" else body


def test_pages_come_compressed_with_short_caching_and_the_security_headers(live):
    url, project = live
    for path in ("", "studios/hewang/", "data/studios.json"):
        status, headers, body = fetch(url + path)
        assert status == 200, path
        assert headers.get("content-encoding") == "br" and headers.get("vary") == "Accept-Encoding", (path, headers)
        assert headers["cache-control"] == "no-cache"
        plain = (project / "site" / (path + "index.html" if path.endswith("/") or not path else path)).read_bytes()
        assert decoded(headers, body) == plain
        csp = headers["content-security-policy"]
        assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in csp and "unsafe-inline" not in csp
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"):
            assert directive in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["permissions-policy"].startswith("camera=()")
    status, headers, _ = fetch(url, encoding="gzip")
    assert headers.get("content-encoding") == "gzip"
    status, headers, _ = fetch(url, encoding="")
    assert "content-encoding" not in headers


def test_hashed_assets_and_search_chunks_are_cached_for_a_year(live):
    url, project = live
    site = project / "site"
    bundle = next(site.glob("assets/javascripts/bundle.*.min.js")).relative_to(site).as_posix()
    status, headers, _ = fetch(url + bundle)
    assert status == 200 and headers["cache-control"] == IMMUTABLE and headers["content-encoding"] == "br"
    assert headers["content-type"].startswith("application/javascript")
    chunk = next(site.glob("pagefind/index/*.pf_index")).relative_to(site).as_posix()
    status, headers, body = fetch(url + chunk)
    assert status == 200 and headers["cache-control"] == IMMUTABLE
    assert headers["content-type"] == "application/octet-stream" and "content-encoding" not in headers
    assert body == (site / chunk).read_bytes(), "Pagefind unpacks its own gzip: nginx must not touch it"
    scripts = [f"assets/javascripts/jx-{name}.js" for name in ("names", "search", "combobox")]
    for name in ("pagefind/pagefind.js", "pagefind/pagefind-entry.json", *scripts):
        status, headers, _ = fetch(url + name)
        assert status == 200 and headers["cache-control"] == "no-cache", name
    wasm = next(site.glob("pagefind/wasm.*.pagefind")).relative_to(site).as_posix()
    assert fetch(url + wasm)[1]["content-type"] == "application/octet-stream"
    decap_wasm = next(site.glob("admin/decap/*.wasm")).relative_to(site).as_posix()
    assert fetch(url + decap_wasm)[1]["content-type"] == "application/wasm"


def test_admin_has_its_own_policy_and_is_never_cached(live):
    url, _ = live
    status, headers, _ = fetch(url + "admin/")
    assert status == 200 and headers["cache-control"] == "no-store"
    assert headers["x-robots-tag"] == "noindex, nofollow"
    csp = headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp and "http://127.0.0.1:8081" in csp
    # Only the form may evaluate code (Decap's AJV compiles its config validators), never inline scripts.
    assert (
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'" in csp and "script-src 'self' 'unsafe-inline'" not in csp
    )
    page_csp = fetch(url)[1]["content-security-policy"]
    assert "127.0.0.1" not in page_csp and "unsafe-inline" not in page_csp and "'unsafe-eval'" not in page_csp


def test_a_missing_path_gets_the_404_page(live):
    url, project = live
    status, headers, body = fetch(url + "studios/no-such-studio/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert decoded(headers, body) == (project / "site" / "404.html").read_bytes()
    assert "content-security-policy" in headers


def test_every_page_kind_runs_without_a_csp_violation(live, browser):
    url, _ = live
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(WATCH)
    messages: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        for path in KINDS:
            response = page.goto(url + path, wait_until="load")
            assert response is not None and response.status == 200, path
            page.wait_for_timeout(300)
            violations = page.evaluate("window.__csp")
            assert not violations, f"{path}: {violations}"
        page.goto(url + "studios/no-such-studio/", wait_until="load")
        assert page.evaluate("window.__csp") == []
        assert not messages, messages
    finally:
        context.close()


def test_search_finds_and_opens_a_result_under_the_policy(live, browser):
    url, _ = live
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(WATCH)
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.locator("input.md-search__input").click()
        page.keyboard.type("烧碱")
        first = page.locator(".md-search-result__link").first
        first.wait_for(timeout=15_000)
        href = first.get_attribute("href")
        first.click()
        page.wait_for_load_state("load")
        assert page.url.rstrip("/").endswith(href.strip("./").rstrip("/").split("#")[0].split("/")[-1])
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_admin_starts_under_its_policy(live, browser):
    url, _ = live
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url + "admin/", wait_until="load")
        page.get_by_role("button", name="登录").wait_for(timeout=20_000)
        assert page.evaluate("window.__csp") == [] and not errors, (page.evaluate("window.__csp"), errors)
    finally:
        context.close()


def test_the_https_example_passes_nginx_t(tmp_path):
    if not shutil.which("openssl"):
        pytest.fail("openssl 不存在：请安装 Debian 的 openssl")
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jiangxin.example.cn",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    project = tmp_path / "srv"
    (project / "site").mkdir(parents=True)
    (project / "nginx-csp.conf").write_text("map $uri $jx_csp { default \"default-src 'self'\"; }\n", encoding="utf-8")
    deploy = project / "deploy"
    deploy.mkdir()
    for name in ("jiangxin-site.conf", "security-headers.conf", "brotli.conf"):
        (deploy / name).write_text((DEPLOY / name).read_text(encoding="utf-8").replace(PLACEHOLDER, str(project)))
    example = (DEPLOY / "nginx.conf").read_text(encoding="utf-8").replace(PLACEHOLDER, str(project))
    example = example.replace("/etc/nginx/certs/jiangxin.example.cn/fullchain.pem", str(cert))
    example = example.replace("/etc/nginx/certs/jiangxin.example.cn/privkey.pem", str(key))
    assert str(cert) in example and str(key) in example, "the certificate placeholders moved"
    (tmp_path / "site.conf").write_text(example, encoding="utf-8")
    main = tmp_path / "main.conf"
    main.write_text(
        (f"load_module {BROTLI_MODULE};\n" if BROTLI_MODULE.is_file() else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        + f"http {{ include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
