#!/bin/bash
# Role `node`: one Kubernetes node per container (kind-style). Runs, supervised by this script:
#   containerd (own socket, namespace k8s.io, state on tmpfs) → kubelet (imports the workload
#   images of /var/lib/k8ts-images/*.tar in the background) → kube-proxy → pod-CIDR route syncer.
# If any of them exits, the others are stopped and the container exits non-zero (Docker's
# restart policy starts it again). On SIGTERM every process and pod container is stopped.
#
# Node name: node-<N>, N = this container's compose replica number (found by resolving the
# container names <project>_node_<N> (v1) / <project>-node-<N> (v2) to this IP), so the
# name and its token (made by init for node-1..K8TS_MAX_NODES) are stable across restarts.
# K8TS_NODE_NAME overrides it.
#
# Network safety first: before anything runs, the cluster pod CIDR and the service CIDR are
# `unreachable` here; the kubelet then routes the service CIDR to its bridge, the route syncer
# adds one route per other node's podCIDR via that node's container IP (host-gateway).
#
# THE PLACE TO ADJUST FLAGS of kubelet / kube-proxy: the two `start` lines below.
set -euo pipefail
ROLE=node; . "$(dirname "$0")/lib.sh"
CLUSTER_CIDR=10.244.0.0/16
SERVICE_CIDR=10.96.0.0/16
NS=k8s.io
SOCK=/run/containerd/containerd.sock
IMAGES_DIR=/var/lib/k8ts-images

ip=$(ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1 | head -n1)
[ -n "$ip" ] || die "no IPv4 address on eth0"
name=${K8TS_NODE_NAME:-}
if [ -z "$name" ]; then
  # Docker's embedded DNS does not answer a container's PTR query for its own address, so try
  # the replica names forward: <project>_node_<N> (Compose v1) and <project>-node-<N> (v2).
  project=${K8TS_COMPOSE_PROJECT:-k8ts}
  for _ in $(seq 1 20); do
    n=$(node -e '
      const [ip, project, max] = process.argv.slice(1);
      const dns = require("dns").promises;
      (async () => {
        for (let i = 1; i <= Number(max); i++) {
          for (const c of [`${project}_node_${i}`, `${project}-node-${i}`]) {
            const a = await dns.resolve4(c).catch(() => []);
            if (a.includes(ip)) { console.log(i); return; }
          }
        }
      })();' "$ip" "$project" "${K8TS_MAX_NODES:-16}" || true)
    [ -n "$n" ] && break
    sleep 0.5
  done
  [ -n "$n" ] || die "cannot find this container ($ip) among ${project}_node_1..${K8TS_MAX_NODES:-16} (Compose project name not '$project'? set COMPOSE_PROJECT_NAME=k8ts, or K8TS_NODE_NAME)"
  name=node-$n
fi
export K8TS_NODE_NAME=$name
ROLE=$name
log "node $name, IP $ip"

# Docker mounts /proc/sys read-only (only the CLI's systempaths=unconfined lifts it, Compose
# cannot): remount it rw — the kubelet and kube-proxy set per-netns sysctls.
if ! (echo 1 >/proc/sys/net/ipv4/ip_forward) 2>/dev/null; then
  mount -o remount,rw /proc/sys || die "cannot make /proc/sys writable (needs CAP_SYS_ADMIN, AppArmor unconfined)"
fi

# ---- network guards (before any process that could send to a cluster address) -------------
ip route replace unreachable "$CLUSTER_CIDR"
ip route replace unreachable "$SERVICE_CIDR"
echo 1 >/proc/sys/net/ipv4/ip_forward

wait_credentials
kubeconfig="$CRED/kubeconfigs/node-$name.kubeconfig"
[ -f "$kubeconfig" ] || die "no credentials for $name in $CRED/kubeconfigs (raise K8TS_MAX_NODES and re-run init)"

pids=()
names=()
start() { local what=$1; shift; "$@" & pids+=($!); names+=("$what"); log "started $what (pid $!)"; }

stop_all() {
  trap - TERM INT
  log "stopping"
  # Processes in reverse start order, containerd last (it must clean its tasks' cgroups).
  local i
  for (( i=${#pids[@]}-1; i>=1; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for (( i=${#pids[@]}-1; i>=1; i-- )); do wait "${pids[$i]}" 2>/dev/null || true; done
  if [ -S "$SOCK" ]; then
    for t in $(ctr -a "$SOCK" -n "$NS" tasks ls -q 2>/dev/null); do
      ctr -a "$SOCK" -n "$NS" tasks kill -s KILL "$t" >/dev/null 2>&1 || true
    done
    sleep 0.5
    for t in $(ctr -a "$SOCK" -n "$NS" tasks ls -q 2>/dev/null); do ctr -a "$SOCK" -n "$NS" tasks delete -f "$t" >/dev/null 2>&1 || true; done
    for c in $(ctr -a "$SOCK" -n "$NS" containers ls -q 2>/dev/null); do ctr -a "$SOCK" -n "$NS" containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  [ ${#pids[@]} -gt 0 ] && { kill -TERM "${pids[0]}" 2>/dev/null || true; wait "${pids[0]}" 2>/dev/null || true; }
}
trap 'stop_all; exit 0' TERM INT

# ---- containerd ------------------------------------------------------------------------------
# Kept running by a restart loop (2 s between attempts) instead of taking the node down: while
# containerd is down or cannot start, the kubelet keeps running and reports the Node
# Ready=False "container runtime is down: ..." (and recovers when containerd is back), rather
# than the container crash-looping without a word in the cluster.
mkdir -p /run/containerd /var/lib/containerd
containerd_loop() {
  local cpid=
  trap '[ -n "$cpid" ] && kill -TERM "$cpid" 2>/dev/null; [ -n "$cpid" ] && wait "$cpid" 2>/dev/null; exit 0' TERM INT
  while :; do
    containerd --log-level warn --address "$SOCK" --root /var/lib/containerd --state /run/containerd/state &
    cpid=$!
    wait "$cpid" && code=0 || code=$?
    cpid=
    log "error: containerd exited (status $code); restarting it in 2 s (the node reports NotReady meanwhile)"
    sleep 2
  done
}
start containerd containerd_loop
for _ in $(seq 1 100); do ctr -a "$SOCK" version >/dev/null 2>&1 && break; sleep 0.1; done
ctr -a "$SOCK" version >/dev/null 2>&1 || log "error: containerd does not answer yet; starting the kubelet anyway (it reports the node NotReady until containerd answers)"

# ---- workload images (busybox, nginx ...) ------------------------------------------------------
# Not imported here: the kubelet imports $IMAGES_DIR/*.tar in the background once it runs
# (--image-archive-dir), so the node turns Ready without waiting for the unpack, and a pod that
# needs an image meanwhile waits for the import instead of failing.
shopt -s nullglob
tars=("$IMAGES_DIR"/*.tar)
[ ${#tars[@]} -gt 0 ] || log "warning: no image tarballs in $IMAGES_DIR (run npm run images on the host)"

# ---- kubelet, kube-proxy, routes -----------------------------------------------------------
wait_apiserver
if [ -f "$ROOT/kubelet/dist/main.js" ]; then
  start kubelet node "$ROOT/kubelet/dist/main.js" \
    --kubeconfig="$kubeconfig" \
    --hostname-override="$name" \
    --node-ip="$ip" \
    --root-dir=/var/lib/kubelet \
    --container-runtime-endpoint="unix://$SOCK" \
    --containerd-namespace="$NS" \
    --port=10250 \
    --tls-cert-file="$CRED/pki/kubelets/$name.crt" \
    --tls-private-key-file="$CRED/pki/kubelets/$name.key" \
    --client-ca-file="$CRED/pki/ca.crt" \
    --healthz-port=10248 \
    --cluster-dns=10.96.0.10 \
    --cluster-domain=cluster.local \
    --cluster-cidr="$CLUSTER_CIDR" \
    --service-cidr="$SERVICE_CIDR" \
    --image-archive-dir="$IMAGES_DIR"
else
  log "warning: kubelet/dist/main.js not in the image (kubelet not merged yet): node runs containerd only"
fi
start kube-proxy node "$ROOT/kube-proxy/dist/main.js" \
  --kubeconfig="$CRED/kubeconfigs/kube-proxy.kubeconfig" \
  --hostname-override="$name" \
  --cluster-cidr="$CLUSTER_CIDR" \
  --healthz-bind-address=0.0.0.0:10256
start pod-cidr-routes node "$ROOT/kubelet/dist/network/pod-cidr-routes-main.js" \
  --kubeconfig="$kubeconfig" \
  --node-name="$name" \
  --cluster-cidr="$CLUSTER_CIDR"

set +e
wait -n
code=$?
set -e
log "a supervised process exited (status $code); stopping the node"
stop_all
exit 1
