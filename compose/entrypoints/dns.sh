#!/bin/bash
# Role `dns`: the cluster DNS; registers kube-system/kube-dns (ClusterIP 10.96.0.10) with this
# container's IP as its endpoint, reached from pods through kube-proxy's DNAT on every node.
set -euo pipefail
ROLE=dns; . "$(dirname "$0")/lib.sh"
wait_credentials
need_main dns/dist/main.js
wait_apiserver
ip=$(hostname -i | awk '{print $1}')
exec node "$ROOT/dns/dist/main.js" \
  --kubeconfig="$CRED/kubeconfigs/dns.kubeconfig" \
  --bind-address=0.0.0.0 \
  --port=53 \
  --advertise-address="$ip" \
  --cluster-ip=10.96.0.10 \
  --health-port=10054
