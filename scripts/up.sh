#!/usr/bin/env bash
# npm run up [-- k8ts up options]: install what is missing, build, start the local cluster.
# Package sets for install-deps.sh come from $K8TS_DEPS (default "base").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec node cli/dist/main.js up "$@"
