#!/usr/bin/env bash
# npm run down [-- --state-dir DIR]: stop everything `npm run up` started (data is kept).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f cli/dist/main.js ]; then
  if [ $# -eq 0 ] && [ ! -d .k8ts/run ] && [ -z "${K8TS_STATE_DIR:-}" ]; then echo "nothing to stop (k8ts was never started here)"; exit 0; fi
  bash scripts/install-deps.sh
fi
exec node cli/dist/main.js down "$@"
