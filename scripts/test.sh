#!/usr/bin/env bash
# The whole test suite: loader units, real site builds, real headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export NO_MKDOCS_2_WARNING=1
exec python3 -m pytest "$@"
