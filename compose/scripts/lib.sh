# Shared by compose/scripts/*.sh (sourced from the repo root).
COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-k8ts}
export COMPOSE_PROJECT_NAME
export K8TS_NODES=${K8TS_NODES:-2}
OUT_DIR=.k8ts/compose
KUBECONFIG_OUT=$OUT_DIR/kubeconfig
say() { printf '[compose] %s\n' "$*"; }
die() { printf '[compose] error: %s\n' "$*" >&2; exit 1; }
# Compose v1 (docker-compose) when present, else the v2 plugin. Extra -f files come from
# K8TS_COMPOSE_FILES (space separated, e.g. docker-compose.e2e.yml for the end-to-end suite).
compose_cmd() {
  local files=(-f docker-compose.yml) f
  for f in ${K8TS_COMPOSE_FILES:-}; do files+=(-f "$f"); done
  if command -v docker-compose >/dev/null 2>&1; then docker-compose "${files[@]}" "$@"
  else docker compose "${files[@]}" "$@"; fi
}
have_compose() { command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1; }
# Container IDs of a service by Compose's labels (v1 and v2 set them): much faster than
# `compose ps -q` (Compose v1 is a Python program that takes ~1 s to start).
service_ids() {
  docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --filter "label=com.docker.compose.service=$1"
}
