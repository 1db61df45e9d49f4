#!/usr/bin/env bash
# Try the browser form (/admin/) on this machine without a git host: decap-server (npm) edits this
# checkout's content/ directly, and the preview at http://127.0.0.1:8000/admin/ rebuilds on each save.
#   bash scripts/cms.sh          then open http://127.0.0.1:8000/admin/ and press 登录
# Saved records are plain file changes: review them with `git diff`, check with scripts/check.py, commit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
# The port the built form looks for (extra.cms.local_port in mkdocs.yml, else decap-server's 8081).
port=$(PYTHONPATH=hooks python3 - <<'PY'
import yaml
from jiangxin.site.admin_config import LOCAL_PORT
try:
    with open("mkdocs.yml", encoding="utf-8") as f:
        extra = (yaml.load(f, Loader=yaml.BaseLoader) or {}).get("extra") or {}
    print(int((extra.get("cms") or {}).get("local_port", LOCAL_PORT)))
except (OSError, ValueError, yaml.YAMLError, AttributeError):
    print(LOCAL_PORT)
PY
)
if [ ! -f node_modules/decap-server/dist/index.js ]; then
  echo "缺少本机编辑服务 decap-server：请在项目目录运行 npm ci --no-audit --no-fund" >&2
  exit 1
fi
PORT="$port" BIND_HOST=127.0.0.1 GIT_REPO_DIRECTORY="$PWD" LOG_LEVEL=warn node node_modules/decap-server/dist/index.js &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
echo "内容编辑：http://127.0.0.1:8000/admin/ （本机模式，保存即改动 content/ 里的文件；按 Ctrl+C 结束）"
python3 -m mkdocs serve --dirty "$@"
