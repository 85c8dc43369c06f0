#!/usr/bin/env bash
# Starts the built server on a private loopback port, runs schemathesis against its /openapi.json,
# and stops the server (by PID) whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/private-server.sh
port=${FX_SCHEMATHESIS_PORT:-18431}
# Limits high enough to test the API itself; the 429 answers have tests of their own.
start_private_server "$port" .build/debug/fxrates FX_ANON_LIMITS=1000000/minute
.venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" --url "http://127.0.0.1:$port" \
    --max-examples "${FX_SCHEMATHESIS_EXAMPLES:-200}" --no-color
