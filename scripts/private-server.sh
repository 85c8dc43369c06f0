# Sourced by the scripts that test a running server (run-schemathesis.sh, run-fuzz.sh).
# start_private_server PORT BINARY [VARIABLE=value...]: starts `BINARY serve` on 127.0.0.1:PORT with
# those settings, stops it by PID on exit whatever happens, and returns once /health answers.
# Sets $server (its PID) and $log (its output).
start_private_server() {
    local port=$1 binary=$2
    shift 2
    log=$(mktemp)
    env "$@" FX_HOST=127.0.0.1 FX_PORT="$port" FX_LOG_LEVEL=warning "$binary" serve >"$log" 2>&1 &
    server=$!
    # `|| true`: under set -e a failing command would end the trap before the rest.
    trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null && return 0
        kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
        sleep 0.1
    done
    echo "$binary serve did not answer /health on port $port within 10 s" >&2
    exit 1
}
