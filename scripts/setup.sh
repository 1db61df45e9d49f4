#!/usr/bin/env bash
# Install what the site needs on a fresh machine. Idempotent: quick when all is there.
#   bash scripts/setup.sh          Python packages and Pagefind (npm) for building the site
#   bash scripts/setup.sh --test   also test packages, Debian's chromium and Noto CJK fonts
set -euo pipefail
cd "$(dirname "$0")/.."

req=requirements.txt
[ "${1:-}" = "--test" ] && req=requirements-dev.txt
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$req"

missing=()
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${1:-}" = "--test" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ] || missing+=(fonts-noto-cjk)
  # The deploy recipe's test runs Debian's real nginx (with its brotli module) over a published site.
  [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || missing+=(libnginx-mod-http-brotli-static)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node packages exactly as package-lock.json pins them: Pagefind (the search index,
# needed by every build), Decap CMS and yaml (the form at /admin/, copied into every
# build), decap-server (scripts/cms.sh) and axe-core (accessibility tests). Reinstalled
# when one is missing or at another version.
stale=$(node -e '
  const lock = require("./package-lock.json").packages;
  for (const name of ["pagefind", "axe-core", "decap-cms", "yaml", "decap-server"]) {
    let have;
    try { have = require("./node_modules/" + name + "/package.json").version; } catch (e) {}
    if (have !== lock["node_modules/" + name].version) { console.log(name); break; }
  }')
if [ -n "$stale" ] || ! ls node_modules/@pagefind/*/bin/pagefind_extended* >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
fi
