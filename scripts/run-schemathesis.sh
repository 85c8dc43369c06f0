#!/usr/bin/env bash
# Starts the built server on a private loopback port, runs schemathesis against its /openapi.json,
# and stops the server (by PID) whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${FX_SCHEMATHESIS_PORT:-18431}
log=$(mktemp)
# Limits high enough to test the API itself; the 429 answers have tests of their own.
FX_ANON_LIMITS=1000000/minute FX_HOST=127.0.0.1 FX_PORT=$port FX_LOG_LEVEL=warning .build/debug/fxrates serve >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
done
.venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" --url "http://127.0.0.1:$port" \
    --max-examples "${FX_SCHEMATHESIS_EXAMPLES:-200}" --no-color
