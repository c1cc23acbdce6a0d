#!/usr/bin/env bash
# Installs what k8ts needs on a Debian 12 machine, then its npm dependencies, then builds it.
#
# Usage: scripts/install-deps.sh [--no-build] [SET ...]
#   SET is one or more package sets below (default: $K8TS_DEPS, else "base"); "all" = every set.
#
# Contract:
# - Idempotent and quiet when everything is present: no apt-get, no npm, only an
#   incremental `tsc -b` (a no-op when nothing changed).
# - apt-get update runs at most once, and only when a package is missing.
# - Daemons shipped by the packages (etcd, containerd, docker) are never started by the
#   install: a temporary policy-rc.d denies it when the machine has none. k8ts starts its own.
# - Not root and something missing: fails at once, naming the packages to install.
# - npm ci runs when node_modules is missing or was installed from another package-lock.json
#   (a hash stamp in node_modules/); `npm install` when there is no lockfile.
set -euo pipefail

cd "$(dirname "$0")/.."

# ---- package sets: later issues add a set or extend one -------------------------------------
declare -A SETS=(
  [base]="etcd-server openssl curl ca-certificates"
  [node]="containerd runc iptables iproute2 containernetworking-plugins busybox-static"
  [images]="mmdebstrap"
  [docker]="docker.io docker-compose"
)
ORDER=(base node images docker)

say() { printf '[deps] %s\n' "$*"; }
die() { printf '[deps] error: %s\n' "$*" >&2; exit 1; }

build=1
sets=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg" ;;
    *) sets+=("$arg") ;;
  esac
done
if [ ${#sets[@]} -eq 0 ]; then read -r -a sets <<<"${K8TS_DEPS:-base}"; fi
if [ "${sets[*]}" = "all" ]; then sets=("${ORDER[@]}"); fi

# ---- Debian packages --------------------------------------------------------------------------
wanted=()
for s in "${sets[@]}"; do
  [ -n "${SETS[$s]+x}" ] || die "unknown package set '$s' (known: ${ORDER[*]} all)"
  read -r -a pkgs <<<"${SETS[$s]}"
  wanted+=("${pkgs[@]}")
done

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}; run as root or install them: sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null || die "apt-get not found: k8ts expects Debian 12 (missing: ${missing[*]})"
  say "installing Debian packages: ${missing[*]}"
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  cleanup_policy() { if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup_policy EXIT
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp /tmp/k8ts-apt.XXXXXX)
  if ! apt-get update -q >"$log" 2>&1; then tail -n 20 "$log" >&2; die "apt-get update failed (log: $log)"; fi
  if ! apt-get install -y -q "${missing[@]}" >>"$log" 2>&1; then tail -n 30 "$log" >&2; die "apt-get install failed (log: $log)"; fi
  rm -f "$log"
  cleanup_policy
  trap - EXIT
  say "installed ${missing[*]}"
else
  say "Debian packages present (${sets[*]})"
fi

# ---- npm dependencies ---------------------------------------------------------------------------
command -v npm >/dev/null || die "npm not found: install Node.js >= 20.18"
stamp_file=node_modules/.k8ts-deps-stamp
# The lockfile is the source of truth (npm ci itself checks it against the package.json files);
# without one, the package.json files are hashed instead.
deps_stamp() { { if [ -f package-lock.json ]; then cat package-lock.json; else cat package.json ./*/package.json; fi; } | sha256sum | cut -d' ' -f1; }
if [ ! -d node_modules ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$(deps_stamp)" ]; then
  npm_log=$(mktemp /tmp/k8ts-npm.XXXXXX)
  if [ -f package-lock.json ]; then
    say "npm ci"
    if ! npm ci --no-audit --no-fund --loglevel=error >"$npm_log" 2>&1; then
      grep -v -e '^npm error *$' -e '^npm error   ' -e '^npm error \[' "$npm_log" | head -n 15 >&2
      die "npm ci failed (full log: $npm_log). If package-lock.json is out of sync with a package.json, run 'npm install' and commit package-lock.json."
    fi
  else
    say "npm install (no package-lock.json)"
    if ! npm install --no-audit --no-fund --loglevel=error >"$npm_log" 2>&1; then
      tail -n 15 "$npm_log" >&2
      die "npm install failed (full log: $npm_log)"
    fi
  fi
  rm -f "$npm_log"
  deps_stamp >"$stamp_file"
else
  say "node_modules up to date"
fi

# ---- build --------------------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  say "building (tsc -b)"
  npx --no-install tsc -b
  # The `k8ts` bin: npm skips linking it when cli/dist did not exist yet at install time.
  if [ -f cli/dist/main.js ]; then
    chmod +x cli/dist/main.js
    [ -e node_modules/.bin/k8ts ] || { mkdir -p node_modules/.bin && ln -sf ../@k8ts/cli/dist/main.js node_modules/.bin/k8ts; }
  fi
fi
say "done"
