#!/usr/bin/env bash
# The whole test suite: lint, format and type checks, then loader units, real site builds, real headless Chromium.
#   bash scripts/test.sh              everything
#   bash scripts/test.sh -m unit      one tier only (markers: unit, build, browser); arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export NO_MKDOCS_2_WARNING=1
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
exec python3 -m pytest "$@"
