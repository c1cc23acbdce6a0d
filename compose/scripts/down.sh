#!/usr/bin/env bash
# npm run compose:down [-- --volumes]: stops and removes the Compose cluster's containers and
# network, and .k8ts/compose/kubeconfig. The named volumes (etcd data, credentials) are kept,
# so a later compose:up finds the same cluster; pass --volumes (-v) to wipe them too.
set -euo pipefail
cd "$(dirname "$0")/../.."
. compose/scripts/lib.sh
command -v docker >/dev/null 2>&1 || die "Docker is not installed"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer"
args=()
for a in "$@"; do
  case "$a" in
    -v|--volumes) args+=(--volumes) ;;
    *) die "unknown argument $a (only --volumes)" ;;
  esac
done
compose_cmd down --remove-orphans --timeout 20 "${args[@]}" >/dev/null 2>"$OUT_DIR.down.log" || { mkdir -p "$OUT_DIR"; cat "$OUT_DIR.down.log" >&2; die "compose down failed"; }
rm -f "$KUBECONFIG_OUT" "$OUT_DIR.down.log"
say "stopped${args:+ (volumes removed)}"
