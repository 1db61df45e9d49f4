#!/usr/bin/env bash
# Install what the site needs on a fresh machine. Idempotent: quick when all is there.
#   bash scripts/setup.sh          Python packages for building the site
#   bash scripts/setup.sh --test   also test packages, Debian's chromium and Noto CJK fonts,
#                                  and axe-core from npm (package-lock.json) for the accessibility tests
set -euo pipefail
cd "$(dirname "$0")/.."

req=requirements.txt
[ "${1:-}" = "--test" ] && req=requirements-dev.txt
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$req"

if [ "${1:-}" = "--test" ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ] || missing+=(fonts-noto-cjk)
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi

  # axe-core, pinned in package-lock.json; reinstalled when missing or at another version.
  want=$(node -p 'require("./package-lock.json").packages["node_modules/axe-core"].version')
  have=$(node -p 'require("./node_modules/axe-core/package.json").version' 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
