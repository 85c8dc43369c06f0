#!/usr/bin/env bash
# Starts the built server on a private loopback port, runs the raw-socket fuzzer (scripts/fuzz-http.py)
# against it for FX_FUZZ_SECONDS (45 by default; `make fuzz` runs 600), and stops the server (by PID)
# whatever happens. FX_FUZZ_SEED replays a run; the fuzzer prints the seed of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/private-server.sh
port=${FX_FUZZ_PORT:-18432}
# Short header and idle timeouts, so stalled inputs are settled quickly; limits high enough not to 429.
start_private_server "$port" "${FX_FUZZ_BINARY:-.build/debug/fxrates}" FX_HEADER_TIMEOUT_SECONDS=2 \
    FX_IDLE_TIMEOUT_SECONDS=5 FX_ANON_LIMITS=1000000000/minute
status=0
python3 scripts/fuzz-http.py --port "$port" --pid "$server" --seconds "${FX_FUZZ_SECONDS:-45}" \
    --header-timeout 2 ${FX_FUZZ_SEED:+--seed "$FX_FUZZ_SEED"} || status=$?
if [ "$status" -ne 0 ] || ! kill -0 "$server" 2>/dev/null; then
    echo "--- server log (last 50 lines)"
    tail -n 50 "$log"
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
