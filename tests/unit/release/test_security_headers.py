"""The CSP computed from a built site, the precompressed files, and what publish.py does with both."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import brotli

from jiangxin.release import precompress, securityheaders


def page(*scripts: str) -> str:
    return "<!doctype html><html><head>" + "".join(scripts) + "</head><body><p>x</p></body></html>"


def test_only_scripts_the_browser_runs_are_hashed():
    html = page(
        "<script>alert(1)</script>",
        '<script type="module">import "./a.js";</script>',
        '<script id="__config" type="application/json">{"a": 1}</script>',
        '<script src="a.js"></script>',
        "<script>if (a < b && c) {}</script>",
    )
    assert securityheaders.inline_scripts(html) == ["alert(1)", 'import "./a.js";', "if (a < b && c) {}"]
    # The value browsers compute for alert(1) (CSP Level 3 examples use the same digest).
    assert securityheaders.digest("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "studios" / "a").mkdir(parents=True)
    (root / "admin").mkdir()
    (root / "index.html").write_text(page("<script>one()</script>"), encoding="utf-8")
    (root / "studios" / "a" / "index.html").write_text(page("<script>one()</script><script>two()</script>"))
    (root / "admin" / "index.html").write_text(page('<script src="jx-init.js"></script><script>adm()</script>'))
    config = {
        "backend": {"name": "forgejo", "api_root": "https://git.example.cn/api/v1"},
        "local_backend": {"url": "http://127.0.0.1:8123/api/v1"},
    }
    (root / "admin" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return root


def test_the_site_policy_allows_exactly_the_sites_inline_scripts(tmp_path):
    root = site(tmp_path)
    site_policy, admin_policy = securityheaders.policies(root)
    one, two, adm = (securityheaders.digest(s) for s in ("one()", "two()", "adm()"))
    script_src = next(d for d in site_policy.split("; ") if d.startswith("script-src "))
    assert script_src == f"script-src 'self' 'wasm-unsafe-eval' {' '.join(sorted([one, two]))}"
    assert adm not in site_policy and "unsafe-inline" not in site_policy and "frame-ancestors 'none'" in site_policy
    assert adm in admin_policy and one not in admin_policy
    connect = next(d for d in admin_policy.split("; ") if d.startswith("connect-src "))
    assert connect == "connect-src 'self' http://127.0.0.1:8123 http://localhost:8123 https://git.example.cn"
    kept = securityheaders.policies(root, also={"'sha256-old'"})[0]
    assert "'sha256-old'" in kept


def test_the_nginx_map_quotes_and_reads_back(tmp_path):
    text = securityheaders.nginx_map("script-src 'self' 'sha256-a+b/c='", 'x "quoted"')
    assert text.splitlines()[1] == "map $uri $jx_csp {"
    assert '~^/admin/ "x \\"quoted\\"";' in text
    assert securityheaders.hashes_in(text) == {"'sha256-a+b/c='"}
    assert securityheaders.hashes_in("") == set()


def test_precompressed_copies_are_exact_and_reproducible(tmp_path):
    root = site(tmp_path)
    big = "<p>" + "匠心滨州 " * 400 + "</p>"
    (root / "big.html").write_text(big, encoding="utf-8")
    (root / "small.css").write_text("a{}", encoding="utf-8")
    (root / "pagefind").mkdir()
    (root / "pagefind" / "x.pf_fragment").write_bytes(gzip.compress(b"{}" * 500))
    files, before, after = precompress.compress_tree(root)
    assert files == 1 and before == len(big.encode()) and after < before / 5
    assert gzip.decompress((root / "big.html.gz").read_bytes()) == big.encode()
    assert brotli.decompress((root / "big.html.br").read_bytes()) == big.encode()
    assert not (root / "small.css.gz").exists(), "below the size where compressing pays"
    assert not list((root / "pagefind").glob("*.gz")), "Pagefind's chunks are gzip data already"
    first = (root / "big.html.gz").read_bytes()
    precompress.compress_tree(root)
    assert (root / "big.html.gz").read_bytes() == first, "no timestamp in the gzip header"
