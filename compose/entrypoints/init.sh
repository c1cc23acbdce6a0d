#!/bin/bash
# Role `init` (one-shot): creates or completes the credentials in the `credentials` volume,
# then writes the .ready marker the other roles wait for. Idempotent (keeps existing CA/tokens).
set -euo pipefail
ROLE=init; . "$(dirname "$0")/lib.sh"
node "$ROOT/cli/dist/compose/compose-init-main.js"
touch "$CRED/.ready"
