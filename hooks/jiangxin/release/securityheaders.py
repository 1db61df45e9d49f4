"""The Content-Security-Policy of a built site, computed from what its pages contain, for nginx.

Readers' pages may run only the site's own script files and the inline scripts the build
emitted (Material's and ours, allowed by their SHA-256). Only scripts the templates write are
hashed: `publish.py` refuses a site holding any other (`unknown_scripts`) before writing a policy,
so a script smuggled into a page does not get itself allowed. /admin/ gets its own, looser policy:
Decap CMS injects its styles and talks to the git host. `publish.py` writes the result as an
nginx `map` (`nginx-csp.conf`); `deploy/security-headers.conf` sends it with the other headers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from pathlib import Path

from jiangxin.checks import built_policy
from jiangxin.checks.file_policy import FORM_FOLDER
from jiangxin.problems import Problem

# The form's folder: its own, looser policy (content may publish nothing there, see file_policy).
ADMIN = FORM_FOLDER
SITE = {
    "default-src": ["'self'"],
    # Pagefind compiles its WebAssembly search engine in the page.
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
ADMIN_POLICY = {
    **SITE,
    # Decap CMS (React with emotion) writes <style> elements at run time.
    "style-src": ["'self'", "'unsafe-inline'"],
    # Uploaded photos are previewed from blob: URLs.
    "img-src": ["'self'", "data:", "blob:"],
    "worker-src": ["'self'", "blob:"],
}


def inline_scripts(page_html: str) -> list[str]:
    """The inline scripts of one page, exactly as the browser hashes them."""
    return [script for _, script in built_policy.inline_scripts(page_html)]


def unknown_scripts(site: Path, allowed: Sequence[re.Pattern[str]]) -> list[Problem]:
    """Every inline script in the built `site` that no template writes (see built_policy), by page."""
    found = []
    for path in sorted(site.rglob("*.html")):
        found += built_policy.unknown_scripts(_read(path), allowed, path.relative_to(site).as_posix())
    return found


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def digest(script: str) -> str:
    """The CSP source that allows this inline script: 'sha256-…'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def site_hashes(site: Path, admin: bool = False) -> set[str]:
    """Hashes of the inline scripts of every page outside /admin/ (or only in it)."""
    found: set[str] = set()
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).as_posix().startswith(ADMIN) != admin:
            continue
        found.update(digest(s) for s in inline_scripts(_read(path)))
    return found


def git_host_origins(site: Path) -> list[str]:
    """Origins the form talks to: the configured git host (api_root, base_url) and the local decap-server."""
    try:
        config = json.loads((site / ADMIN / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    urls = [config.get("backend", {}).get(k, "") for k in ("api_root", "base_url", "proxy_url")]
    local = config.get("local_backend")
    if isinstance(local, dict):
        urls.append(local.get("url", ""))
    origins = []
    for url in urls:
        parts = urllib.parse.urlsplit(str(url))
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    # The local mode (scripts/cms.sh) is reached as 127.0.0.1 or localhost, whichever the editor typed.
    origins += [o.replace("//127.0.0.1", "//localhost") for o in origins if "//127.0.0.1" in o]
    return sorted(set(origins))


def render(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def policies(site: Path, also: Iterable[str] = ()) -> tuple[str, str]:
    """(site policy, /admin/ policy) for the built `site`; `also`: hashes to keep allowing (the last release's)."""
    scripts = sorted(site_hashes(site) | set(also))
    site_policy = {**SITE, "script-src": SITE["script-src"] + scripts}
    hosts = git_host_origins(site)
    admin_scripts = sorted(site_hashes(site, admin=True))
    admin = {
        **ADMIN_POLICY,
        # Decap validates its configuration with AJV, which compiles validators with `new Function`.
        "script-src": ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'", *admin_scripts],
        "connect-src": ["'self'", *hosts],
        "img-src": ADMIN_POLICY["img-src"] + hosts,
        "form-action": ["'self'", *hosts],
    }
    return render(site_policy), render(admin)


def nginx_map(site_policy: str, admin_policy: str) -> str:
    """The `map` that gives `$jx_csp` per request (include it in nginx's `http` block)."""

    def quoted(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return (
        "# Generated by scripts/publish.py from the published site: do not edit.\n"
        "map $uri $jx_csp {\n"
        f"    default {quoted(site_policy)};\n"
        f"    ~^/{ADMIN} {quoted(admin_policy)};\n"
        "}\n"
    )


def hashes_in(nginx_conf: str) -> set[str]:
    """The script hashes a generated map allows on readers' pages (empty for none or a foreign file)."""
    for line in nginx_conf.splitlines():
        if line.strip().startswith("default "):
            return {word.strip('";') for word in line.split() if word.strip('";').startswith("'sha256-")}
    return set()
