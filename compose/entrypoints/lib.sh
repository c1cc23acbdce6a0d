# Shared helpers of the role entrypoints (sourced). Credentials live in the `credentials`
# volume at $CRED (written by init.sh); the repo is at $K8TS_ROOT (/opt/k8ts).
CRED=${K8TS_CREDENTIALS_DIR:-/var/lib/k8ts}
ROOT=${K8TS_ROOT:-/opt/k8ts}
log() { printf '[%s] %s\n' "${ROLE:-k8ts}" "$*" >&2; }
die() { log "error: $*"; exit 1; }
# Waits (up to $2 s, default 120) until init has finished writing the credentials.
wait_credentials() {
  local limit=${1:-120} i=0
  until [ -f "$CRED/.ready" ]; do
    i=$((i + 1)); [ "$i" -le "$limit" ] || die "credentials not ready in $CRED after ${limit}s (did the init service fail?)"
    sleep 1
  done
}
# A compiled entry point, or a clear message (the component may not be merged yet).
# Missing: say so and idle (the healthcheck reports the service unhealthy) instead of crash-looping.
need_main() {
  [ -f "$ROOT/$1" ] && return 0
  log "error: $ROOT/$1 is missing from the image (component not built or not merged yet); idling"
  exec sleep infinity
}
# Waits until the apiserver answers /readyz (anonymous is allowed there), so a role's processes
# do not compete for the CPU with the apiserver's own start, when they could only retry. Gives
# up after $1 s (default 120) and returns anyway: every component retries by itself. Then
# sleeps K8TS_START_DELAY_SECONDS (default 0; the standby replicas use it).
wait_apiserver() {
  local limit=${1:-120} start=$SECONDS
  until curl -fsk --max-time 1 -o /dev/null "${K8TS_APISERVER_URL:-https://apiserver:6443}/readyz"; do
    if [ $((SECONDS - start)) -ge "$limit" ]; then log "apiserver not ready after ${limit}s; starting anyway"; break; fi
    sleep 0.3
  done
  local delay=${K8TS_START_DELAY_SECONDS:-0}
  [[ "$delay" =~ ^[0-9]+$ ]] || { log "ignoring K8TS_START_DELAY_SECONDS=$delay (want whole seconds)"; delay=0; }
  sleep "$delay"
}
