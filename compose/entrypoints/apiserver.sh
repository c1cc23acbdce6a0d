#!/bin/bash
# Role `apiserver`. Flags of apiserver/dist/main.js; product defaults are upstream's
# (toleration seconds 300, overridable through K8TS_DEFAULT_TOLERATION_SECONDS for tests).
set -euo pipefail
ROLE=apiserver; . "$(dirname "$0")/lib.sh"
wait_credentials
need_main apiserver/dist/main.js
ip=$(hostname -i | awk '{print $1}')
exec node "$ROOT/apiserver/dist/main.js" \
  --etcd-servers=http://etcd:2379 \
  --bind-address=0.0.0.0 \
  --secure-port=6443 \
  --advertise-address="$ip" \
  --tls-cert-file="$CRED/pki/apiserver.crt" \
  --tls-private-key-file="$CRED/pki/apiserver.key" \
  --client-ca-file="$CRED/pki/ca.crt" \
  --token-auth-file="$CRED/tokens.csv" \
  --kubelet-client-certificate="$CRED/pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$CRED/pki/apiserver-kubelet-client.key" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --service-node-port-range=30000-32767 \
  --default-not-ready-toleration-seconds="${K8TS_DEFAULT_TOLERATION_SECONDS:-300}" \
  --default-unreachable-toleration-seconds="${K8TS_DEFAULT_TOLERATION_SECONDS:-300}"
