#!/usr/bin/env bash
# Runs schemathesis, every check, against /openapi.json of the built server in two live configurations,
# each on a private loopback port, and stops what it starts (by PID) whatever happens:
#   1. the embedded default (no PostgreSQL, no Redis, anonymous callers);
#   2. PostgreSQL and Redis (started here on private ports, as run-swift-tests.sh does), migrated, the
#      bundled ECB history imported, FX_REQUIRE_API_KEY=true, and a key from `fxrates keys create` that
#      schemathesis sends with every request.
# Both must report no failure.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${FX_SCHEMATHESIS_PORT:-18431}
# Ports of their own, so that a Swift test run on the default ports can run beside it.
export FX_TEST_PG_PORT=${FX_SCHEMATHESIS_PG_PORT:-55434} FX_TEST_REDIS_PORT=${FX_SCHEMATHESIS_REDIS_PORT:-56381}
fxrates=.build/debug/fxrates
log=$(mktemp)
server=""

stop_services() {
    scripts/test-postgres.sh stop >/dev/null 2>&1 || true
    scripts/test-redis.sh stop >/dev/null 2>&1 || true
}
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    stop_services
    rm -f "$log"
}
trap cleanup EXIT

# Starts `fxrates serve` with the environment given as arguments and waits until it is ready.
start_server() {
    # Limits high enough to test the API itself; the 429 answers have tests of their own.
    env FX_ANON_LIMITS=1000000/minute FX_HOST=127.0.0.1 FX_PORT="$port" FX_LOG_LEVEL=warning "$@" \
        "$fxrates" serve >"$log" 2>&1 &
    server=$!
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$port/ready" >/dev/null && return 0
        kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
        sleep 0.1
    done
    echo "run-schemathesis: the server did not become ready" >&2
    cat "$log"
    exit 1
}

stop_server() {
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
}

run_schemathesis() {
    .venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" --url "http://127.0.0.1:$port" \
        --checks all --max-examples "${FX_SCHEMATHESIS_EXAMPLES:-200}" --no-color "$@"
}

echo "run-schemathesis: 1. the embedded default"
start_server
run_schemathesis
stop_server

echo "run-schemathesis: 2. PostgreSQL + Redis, an API key required"
stop_services
eval "$(scripts/test-postgres.sh start)"
redis_url=$(scripts/test-redis.sh start)
export DATABASE_URL=$FX_TEST_DATABASE_URL
FX_LOG_LEVEL=warning "$fxrates" migrate
FX_LOG_LEVEL=warning "$fxrates" import ecb data/eurofxref-hist.zip
key=$("$fxrates" keys create --tenant schemathesis --limits 1000000/minute)
start_server REDIS_URL="$redis_url" FX_REQUIRE_API_KEY=true
run_schemathesis --header "Authorization: Bearer $key"
