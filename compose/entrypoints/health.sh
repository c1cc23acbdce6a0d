#!/bin/bash
# Docker healthcheck of every role: `health.sh <role>`; exit 0 when healthy.
# node: containerd answers, and kubelet (once merged) and kube-proxy answer their /healthz.
set -u
ROOT=${K8TS_ROOT:-/opt/k8ts}
get() { curl -fsS -o /dev/null --max-time 2 "$@"; }
case "${1:-}" in
  apiserver) get -k https://127.0.0.1:6443/readyz ;;
  scheduler) get http://127.0.0.1:10259/healthz ;;
  controller-manager) get http://127.0.0.1:10257/healthz ;;
  dns) get http://127.0.0.1:10054/readyz ;;
  node)
    ctr -a /run/containerd/containerd.sock version >/dev/null 2>&1 || exit 1
    if [ -f "$ROOT/kubelet/dist/main.js" ]; then get http://127.0.0.1:10248/healthz || exit 1; fi
    get http://127.0.0.1:10256/healthz ;;
  *) echo "usage: health.sh apiserver|scheduler|controller-manager|dns|node" >&2; exit 2 ;;
esac
