#!/usr/bin/env bash
# npm test [-- PATTERN ...]: install what is missing, build, then run every compiled test.
#
# - Unit and integration tests (*/dist/**/*.test.js outside test/e2e) run first, with
#   $K8TS_TEST_CONCURRENCY files at once (default 2, the machine's cores); they start their
#   own etcd on random ports, so no running cluster is needed.
# - End-to-end tests (test/e2e/**/dist/**/*.test.js, once they exist) run after, one file at a time.
# - The Compose suite (test/e2e-compose: builds the images, starts docker-compose.yml) runs
#   last. It installs Docker (install-deps set `docker`) and starts dockerd when none answers
#   (scripts/dockerd.sh), stopping it again afterwards. K8TS_COMPOSE_E2E=0 leaves it out.
# - A compiled test whose source .test.ts no longer exists (stale dist/) is skipped.
# - PATTERN arguments keep only the test files whose path contains one of them.
# - Each test fails after $K8TS_TEST_TIMEOUT_MS (default 300000) instead of hanging CI.
# Exits non-zero if any test fails or no test file is found.
set -euo pipefail
cd "$(dirname "$0")/.."
compose_e2e=${K8TS_COMPOSE_E2E:-1}
default_deps="base node images"
[ "$compose_e2e" = 1 ] && default_deps+=" docker"
# shellcheck disable=SC2086 # a space-separated list of package sets
bash scripts/install-deps.sh ${K8TS_TEST_DEPS:-${K8TS_DEPS:-$default_deps}}

# dist/x.test.js -> src/x.test.ts (rootDir src, outDir dist) or x.test.ts (rootDir .)
has_source() {
  local js=${1%.js}
  [ -f "${js/\/dist\//\/src\/}.ts" ] || [ -f "${js/\/dist\//\/}.ts" ]
}
matches() {
  [ $# -gt 1 ] || return 0
  local f=$1; shift
  for p in "$@"; do [[ "$f" == *"$p"* ]] && return 0; done
  return 1
}

if [ "$compose_e2e" = 1 ]; then npx --no-install tsc -p test/e2e-compose; fi

unit=() e2e=() compose=()
while IFS= read -r f; do
  f=${f#./}
  has_source "$f" || { echo "[test] skipping stale $f (no source)"; continue; }
  matches "$f" "$@" || continue
  if [[ "$f" == test/e2e-compose/* ]]; then
    [ "$compose_e2e" = 1 ] && compose+=("$f")
  elif [[ "$f" == test/e2e/* ]]; then e2e+=("$f")
  else unit+=("$f"); fi
done < <(find . -path ./node_modules -prune -o -path '*/node_modules' -prune -o \
              -path '*/dist/*' -name '*.test.js' -type f -print | sort)

total=$(( ${#unit[@]} + ${#e2e[@]} + ${#compose[@]} ))
if [ "$total" -eq 0 ]; then echo "[test] no test files found${*:+ matching $*}" >&2; exit 1; fi

timeout_ms=${K8TS_TEST_TIMEOUT_MS:-300000}
status=0
log=$(mktemp /tmp/k8ts-test.XXXXXX)
trap 'rm -f "$log"' EXIT

# Runs node --test on the given files; on failure, re-runs each failing FILE once, alone
# (timing-sensitive integration tests on a loaded 2-core machine). A file that passes on its
# re-run is reported as FLAKY (loudly, with its first failure kept in the output above); the
# run fails only if a file fails twice. K8TS_TEST_RETRY=0 disables the re-run.
run_files() { # concurrency file...
  local conc=$1; shift
  # --test-force-exit: a file whose tests all finished exits even if a handle lingers (a test
  # bug that would otherwise hang until the timeout and fail the run after every test passed)
  if node --test --test-reporter=spec --test-force-exit --test-concurrency="$conc" \
      --test-timeout="$timeout_ms" "$@" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    return 0
  fi
  [ "${K8TS_TEST_RETRY:-1}" = 1 ] || return 1
  local failed=() f
  mapfile -t failed < <(grep -oE '(test at |✖ )[^ ]*\.test\.js' "$log" | sed -E 's/^(test at |✖ )//' | sed -E "s#^$PWD/##" | sort -u)
  if [ ${#failed[@]} -eq 0 ]; then return 1; fi
  local rc=0
  for f in "${failed[@]}"; do
    [ -f "$f" ] || { rc=1; continue; }
    echo "[test] re-running $f once, alone"
    if node --test --test-reporter=spec --test-force-exit --test-timeout="$timeout_ms" "$f"; then
      echo "[test] FLAKY: $f failed, then passed alone (see its first failure above)" >&2
    else
      rc=1
    fi
  done
  return "$rc"
}

if [ ${#unit[@]} -gt 0 ]; then
  echo "[test] ${#unit[@]} unit/integration test files"
  run_files "${K8TS_TEST_CONCURRENCY:-2}" "${unit[@]}" || status=1
fi
if [ ${#e2e[@]} -gt 0 ]; then
  echo "[test] ${#e2e[@]} end-to-end test files"
  run_files 1 "${e2e[@]}" || status=1
fi
if [ ${#compose[@]} -gt 0 ]; then
  echo "[test] ${#compose[@]} Compose end-to-end test files"
  if bash scripts/dockerd.sh start; then
    run_files 1 "${compose[@]}" || status=1
  else
    echo "[test] cannot run the Compose suite: dockerd did not start" >&2; status=1
  fi
  bash scripts/dockerd.sh stop || true
fi
[ "$status" -eq 0 ] && echo "[test] all tests passed" || echo "[test] FAILED" >&2
exit "$status"
