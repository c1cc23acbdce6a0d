#!/bin/bash
# Role `scheduler` (two replicas, leader-elected on kube-system/kube-scheduler).
# Flags as in the scheduler branch (kube-scheduler names; --secure-port is plain HTTP in k8ts).
set -euo pipefail
ROLE=scheduler; . "$(dirname "$0")/lib.sh"
wait_credentials
need_main scheduler/dist/main.js
wait_apiserver
exec node "$ROOT/scheduler/dist/main.js" \
  --kubeconfig="$CRED/kubeconfigs/scheduler.kubeconfig" \
  --leader-elect=true \
  --bind-address=0.0.0.0 \
  --secure-port=10259
