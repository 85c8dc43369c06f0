#!/usr/bin/env bash
# Chaos: a replica serving a steady stream of rate-limited requests loses Redis and gets it back.
# Reports 5xx responses (there must be none under FX_RATE_LIMIT_FALLBACK=local), the slowest request
# (it must stay within FX_REDIS_TIMEOUT_MS + 50 ms), and how long shared limiting takes to resume.
# Everything runs on 127.0.0.1, bounded in time, and every process it starts is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18700}
redis_port=$((port + 1))
timeout_ms=${FX_REDIS_TIMEOUT_MS:-50}
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk redis-server redis-cli

swift build -c release --product fxrates >/dev/null
start_redis "$redis_port"
REDIS_URL="redis://127.0.0.1:$redis_port" FX_REDIS_TIMEOUT_MS=$timeout_ms FX_RATE_LIMIT_FALLBACK=local \
    FX_ANON_LIMITS="100000000/minute" FX_HOST=127.0.0.1 FX_PORT=$port FX_LOG_LEVEL=warning \
    .build/release/fxrates serve >"$work/serve.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/ready"

# 12 s of load at a modest rate on 16 connections; Redis goes away at 4 s and comes back at 8 s.
wrk -t2 -c16 -d12s --latency -s loadtest/latency-report.lua \
    "http://127.0.0.1:$port/v1/convert?from=USD&to=JPY&amount=100.00" >"$work/wrk.txt" &
wrk_pid=$!
pids+=("$wrk_pid")
sleep 4
kill -9 "$redis_pid"
sleep 4
start_redis "$redis_port"
restarted=$(date +%s%N)
until [ "$(redis-cli -p "$redis_port" dbsize)" -gt 0 ]; do
    [ $(( ($(date +%s%N) - restarted) / 1000000 )) -lt 10000 ] || break
    sleep 0.01
done
resumed_ms=$(( ($(date +%s%N) - restarted) / 1000000 ))
wait "$wrk_pid" || true

non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$work/wrk.txt")
total=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
echo "requests                 ${total}"
echo "non-2xx responses        ${non2xx:-0}   (no limit is reachable here, so any is a failure)"
grep -E "^(max|p99) latency" "$work/wrk.txt"
echo "limit (timeout + 50 ms)  $((timeout_ms + 50)).0 ms"
echo "shared limits resumed    ${resumed_ms} ms after Redis restarted"
