#!/usr/bin/env bash
# npm run compose:up — the multi-node cluster of docker-compose.yml, ready to use:
#   1. preflight: Docker present and answering, Compose present, the host port free (or ours);
#   2. builds what is missing: the repo (tsc -b), workload image tarballs (images/build.sh, once
#      it exists), the k8ts images (compose/images/build.sh: base only when missing);
#   3. preflight: a throwaway container with the node capabilities can make a bridge, use
#      iptables and write the cgroup hierarchy (fails fast instead of nodes crash-looping);
#   4. `up -d --scale node=$K8TS_NODES` (project $COMPOSE_PROJECT_NAME, default k8ts);
#   5. waits for the apiserver, writes .k8ts/compose/kubeconfig (https://127.0.0.1:6443, the
#      cluster CA from the credentials volume), then waits in cluster_ready (below).
# Environment: K8TS_NODES (2), K8TS_APISERVER_PORT (6443), K8TS_COMPOSE_WAIT_TIMEOUT (s, 240),
# K8TS_COMPOSE_FILES (extra -f files), K8TS_COMPOSE_SKIP_BUILD=1 (use the images as they are).
set -euo pipefail
cd "$(dirname "$0")/../.."
. compose/scripts/lib.sh
PORT=${K8TS_APISERVER_PORT:-6443}
TIMEOUT=${K8TS_COMPOSE_WAIT_TIMEOUT:-240}
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- 1. preflight ---------------------------------------------------------------------------
command -v docker >/dev/null 2>&1 || die "Docker is not installed: scripts/install-deps.sh docker (Debian's docker.io + docker-compose), then start dockerd"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer: start it (as root: dockerd >/var/log/dockerd.log 2>&1 &) and retry"
have_compose || die "Docker Compose is not installed: scripts/install-deps.sh docker"
# The host port: free, or held by this project's own apiserver (checked again right before up).
port_check() {
  local ours
  ours=$(service_ids apiserver 2>/dev/null | head -n1 || true)
  if [ -n "$ours" ] && [ "$(docker inspect -f '{{.State.Running}}' "$ours" 2>/dev/null)" = true ]; then return 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT on 127.0.0.1 is taken by another program (a local cluster from 'npm run up'? stop it with 'npm run down', or set K8TS_APISERVER_PORT)"
  fi
}
port_check

# ---- 2. build -------------------------------------------------------------------------------
if [ "${K8TS_COMPOSE_SKIP_BUILD:-0}" != 1 ]; then
  [ -d node_modules ] && [ -f apiserver/dist/main.js ] || bash scripts/install-deps.sh base
  npx --no-install tsc -b
  if [ -f images/build.sh ]; then bash images/build.sh; else say "images/build.sh not present yet: nodes start without workload images"; fi
  bash compose/images/build.sh
else
  docker image inspect k8ts/k8ts:dev k8ts/etcd:dev >/dev/null 2>&1 || die "images missing (unset K8TS_COMPOSE_SKIP_BUILD)"
fi
mkdir -p "$OUT_DIR" .k8ts/images

# ---- 3. capability preflight ------------------------------------------------------------------
# Once it passed for this daemon and this image, it is not run again (a stamp in $OUT_DIR).
probe_stamp="$OUT_DIR/.capabilities-ok"
probe_key="$(docker info -f '{{.ID}}' 2>/dev/null) $(docker image inspect -f '{{.Id}}' k8ts/k8ts:dev 2>/dev/null)"
probe='{ (echo 1 >/proc/sys/net/ipv4/ip_forward) 2>/dev/null || mount -o remount,rw /proc/sys; } && ip link add k8tsprobe0 type bridge && ip link del k8tsprobe0 && iptables -w -t nat -S >/dev/null && echo 1 >/proc/sys/net/ipv4/ip_forward && test -w /sys/fs/cgroup/memory -o -w /sys/fs/cgroup/cgroup.procs'
if [ "$(cat "$probe_stamp" 2>/dev/null)" = "$probe_key" ]; then :
elif ! err=$(docker run --rm --network none --entrypoint /bin/sh \
    --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw k8ts/k8ts:dev -c "$probe" 2>&1); then
  die "node containers lack the capabilities they need (bridge, iptables, /proc/sys, cgroups rw): $err
  Docker must allow cap_add ALL, seccomp/apparmor unconfined and a rw /sys/fs/cgroup (rootless Docker or a locked-down daemon cannot run nodes)"
else
  echo "$probe_key" >"$probe_stamp"
fi

# ---- 4. up ------------------------------------------------------------------------------------
port_check
say "starting $K8TS_NODES nodes (project $COMPOSE_PROJECT_NAME)"
compose_cmd up -d --remove-orphans --scale node="$K8TS_NODES" >"$OUT_DIR/up.log" 2>&1 || { tail -n 30 "$OUT_DIR/up.log" >&2; die "compose up failed (log: $OUT_DIR/up.log)"; }

# ---- 5. wait ----------------------------------------------------------------------------------
deadline=$(( $(date +%s) + TIMEOUT ))
until curl -fsk --max-time 2 -o /dev/null "https://127.0.0.1:$PORT/readyz"; do
  [ "$(date +%s)" -lt "$deadline" ] || die "the apiserver did not become ready within ${TIMEOUT}s (docker-compose logs apiserver)"
  sleep 0.25
done
tmp=$(mktemp "$OUT_DIR/.kubeconfig.XXXXXX")
docker exec "$(service_ids apiserver | head -n1)" cat /var/lib/k8ts/kubeconfigs/admin-host.kubeconfig >"$tmp"
chmod 0600 "$tmp"
# The published port may differ from the one init wrote (K8TS_APISERVER_PORT changed later).
sed -i "s#server: https://127.0.0.1:[0-9]*#server: https://127.0.0.1:$PORT#" "$tmp"
mv "$tmp" "$KUBECONFIG_OUT"
say "apiserver ready after $(elapsed) s; kubeconfig: $KUBECONFIG_OUT"

# ============================================================================================
# THE WAIT CONDITION. Ready means: $K8TS_NODES node containers running and $K8TS_NODES Node
# objects with condition Ready=True reported by a kubelet of this start: lastHeartbeatTime not
# older than this script (Node objects survive in etcd, with the Ready=True of the last run,
# until the controller-manager notices the silence 50 s later).
# ============================================================================================
since=$(date -u -d "@$(( ${t0%.*} - 1 ))" +%Y-%m-%dT%H:%M:%SZ)
cluster_ready() {
  local ids ready
  ids=$(docker ps -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --filter "label=com.docker.compose.service=node")
  [ "$(wc -w <<<"$ids")" -eq "$K8TS_NODES" ] || return 1
  ready=$(kubectl --kubeconfig "$KUBECONFIG_OUT" get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}{"\n"}{end}' 2>/dev/null \
    | awk -v since="$since" '$1 == "True" && $2 >= since' | wc -l)
  [ "$ready" -ge "$K8TS_NODES" ]
}

until cluster_ready; do
  [ "$(date +%s)" -lt "$deadline" ] || { compose_cmd ps >&2 || true; die "the cluster was not ready within ${TIMEOUT}s (see: docker-compose logs node)"; }
  sleep 0.5
done
say "cluster ready after $(elapsed) s: kubectl --kubeconfig $KUBECONFIG_OUT get nodes"
