#!/usr/bin/env bash
# Build the site from content/ and serve it at http://127.0.0.1:8000/ , rebuilding on every edit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
# --dirty: after the first build, only pages whose HTML changed are rendered again (hooks: on_files).
exec python3 -m mkdocs serve --dirty "$@"
