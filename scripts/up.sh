#!/usr/bin/env bash
# npm run up [-- k8ts up options]: install what is missing, build, start the local cluster.
# Package sets for install-deps.sh come from $K8TS_DEPS (default "base node images": etcd,
# containerd/runc/iptables for the nodes, mmdebstrap and busybox for the workload images).
# The workload images (busybox, nginx) are built once into .k8ts/images (npm run images).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086 # a space-separated list of package sets
bash scripts/install-deps.sh ${K8TS_DEPS:-base node images}
nodes_wanted=1
for a in "$@"; do case "$a" in --nodes=0) nodes_wanted=0 ;; esac; done
prev=""
for a in "$@"; do if [ "$prev" = "--nodes" ] && [ "$a" = 0 ]; then nodes_wanted=0; fi; prev=$a; done
if [ "$nodes_wanted" = 1 ]; then bash images/build.sh; fi
exec node cli/dist/main.js up "$@"
