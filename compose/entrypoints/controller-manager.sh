#!/bin/bash
# Role `controller-manager` (two replicas, leader-elected on kube-system/kube-controller-manager).
# --node-monitor-grace-period: upstream 50s, K8TS_NODE_MONITOR_GRACE_PERIOD for tests.
set -euo pipefail
ROLE=controller-manager; . "$(dirname "$0")/lib.sh"
wait_credentials
need_main controller-manager/dist/main.js
wait_apiserver
exec node "$ROOT/controller-manager/dist/main.js" \
  --kubeconfig="$CRED/kubeconfigs/controller-manager.kubeconfig" \
  --leader-elect=true \
  --bind-address=0.0.0.0 \
  --port=10257 \
  --allocate-node-cidrs=true \
  --cluster-cidr=10.244.0.0/16 \
  --node-cidr-mask-size=24 \
  --node-monitor-grace-period="${K8TS_NODE_MONITOR_GRACE_PERIOD:-50s}"
