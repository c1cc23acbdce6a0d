#!/usr/bin/env bash
# scripts/dockerd.sh start|stop — the Docker daemon the Compose deployment and its tests need.
# Debian's docker.io never starts it (scripts/install-deps.sh forbids it while installing).
#
# start: does nothing when a daemon already answers (`docker info`); otherwise starts
#        `dockerd` in the background (log: .k8ts/logs/dockerd.log, pid: .k8ts/dockerd.pid) and
#        waits up to 60 s for it to answer. Prints `started` or `running`.
# stop:  stops only a daemon this script started (the pid file), waiting up to 30 s; a daemon
#        someone else started is left alone.
# Needs root (the daemon does). Containers still running at stop are stopped by dockerd itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PID_FILE=.k8ts/dockerd.pid
LOG=.k8ts/logs/dockerd.log
die() { printf '[dockerd] error: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
  start)
    if docker info >/dev/null 2>&1; then echo running; exit 0; fi
    command -v dockerd >/dev/null || die "dockerd not found: scripts/install-deps.sh docker"
    [ "$(id -u)" -eq 0 ] || die "starting dockerd needs root"
    mkdir -p .k8ts/logs
    # setsid: the daemon must outlive this script and not get the caller's signals.
    setsid dockerd >"$LOG" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
    for _ in $(seq 1 240); do
      if docker info >/dev/null 2>&1; then echo started; exit 0; fi
      kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { tail -n 20 "$LOG" >&2; rm -f "$PID_FILE"; die "dockerd exited (log: $LOG)"; }
      sleep 0.25
    done
    tail -n 20 "$LOG" >&2
    die "dockerd did not answer within 60 s (log: $LOG)"
    ;;
  stop)
    [ -f "$PID_FILE" ] || exit 0
    pid=$(cat "$PID_FILE")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid" 2>/dev/null || true; }
    fi
    rm -f "$PID_FILE"
    ;;
  *) die "usage: scripts/dockerd.sh start|stop" ;;
esac
