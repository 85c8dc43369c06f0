#!/usr/bin/env bash
# Throughput of /v1/convert against /health, measured in one run on a release build.
# Targets 127.0.0.1 only, runs for a bounded time, and stops the server it started by PID.
#
#   loadtest/bench-convert.sh            # 10 s per endpoint, 64 connections
#   DURATION=30s CONNECTIONS=128 loadtest/bench-convert.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
port=${PORT:-18481}
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk

swift build -c release --product fxrates >/dev/null
# Limits high enough that the benchmark measures serving, not refusing; checking them still costs.
FX_ANON_LIMITS=1000000000/minute FX_HOST=127.0.0.1 FX_PORT=$port .build/release/fxrates serve >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/health"

rps() {
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port$1" | tee /dev/stderr \
        | awk '/Requests\/sec/ {print $2}'
}
wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$port/health" >/dev/null  # warm-up
health=$(rps /health)
convert=$(rps "/v1/convert?from=USD&to=JPY&amount=100.00")
awk -v h="$health" -v c="$convert" 'BEGIN {
    printf "/health        %10.0f req/s\n/v1/convert    %10.0f req/s\nconvert/health %10.2f\n", h, c, c / h
}'
