#!/usr/bin/env bash
# fxrates against the bare Hummingbird app (loadtest/reference), side by side in one run of release builds,
# alternating twice and keeping the best of the two: a noisy machine moves both sides alike, so the ratios
# hold where absolute figures do not. Rows:
#
#   bare /health                       the reference for the rows below it
#   fxrates /health                    embedded default
#   fxrates /v1/convert                embedded default (limits in process)
#   fxrates /v1/convert, PG + Redis    one replica, rates from PostgreSQL, limits shared through Redis
#   bare /history                      a fixed 120 KB JSON body: the reference for the two rows below it
#   fxrates history, base EUR / USD    one year, every currency (USD needs a division per value)
#
# Also the p99 latency of each row and the RSS of each fxrates process at the end. Everything listens on
# 127.0.0.1, runs for a bounded time, and is stopped by PID on every exit path.
#
#   loadtest/bench-convert.sh                       # 8 s per row, 32 connections
#   DURATION=20s CONNECTIONS=64 loadtest/bench-convert.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-8s}
connections=${CONNECTIONS:-32}
threads=${THREADS:-1}
base_port=${BASE_PORT:-18480}
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk curl redis-server redis-cli

# One product per call: given several, swift build builds only the last.
for product in fxrates fxrates-reference; do swift build -c release --product "$product" >/dev/null; done
export FX_TEST_PG_PORT=$((base_port + 10))
start_redis $((base_port + 11))
pg_cleanup() { scripts/test-postgres.sh stop >/dev/null 2>&1 || true; cleanup; }
trap pg_cleanup EXIT
eval "$(scripts/test-postgres.sh start 2>/dev/null)"
DATABASE_URL=$FX_TEST_DATABASE_URL FX_LOG_LEVEL=warning .build/release/fxrates migrate
DATABASE_URL=$FX_TEST_DATABASE_URL FX_LOG_LEVEL=warning .build/release/fxrates import ecb data/eurofxref-hist.zip

bare=$((base_port)); embedded=$((base_port + 1)); shared=$((base_port + 2))
.build/release/fxrates-reference "$bare" >/dev/null 2>&1 &
pids+=($!)
# Limits high enough that the benchmark measures serving, not refusing; checking them still costs.
export FX_ANON_LIMITS=1000000000/minute FX_HOST=127.0.0.1
FX_PORT=$embedded .build/release/fxrates serve >/dev/null 2>&1 &
embedded_pid=$!
pids+=("$embedded_pid")
DATABASE_URL=$FX_TEST_DATABASE_URL REDIS_URL="redis://127.0.0.1:$((base_port + 11))" FX_PORT=$shared \
    .build/release/fxrates serve >/dev/null 2>&1 &
shared_pid=$!
pids+=("$shared_pid")
for port in "$bare" "$embedded" "$shared"; do wait_for "http://127.0.0.1:$port/health"; done
wait_for "http://127.0.0.1:$shared/ready"

history='/v1/rates/history?start=2025-01-01&end=2025-12-31'
rows=(
    "bare /health|$bare|/health"
    "fxrates /health|$embedded|/health"
    "fxrates /v1/convert|$embedded|/v1/convert?from=USD&to=JPY&amount=100.00"
    "fxrates /v1/convert, PG + Redis|$shared|/v1/convert?from=USD&to=JPY&amount=100.00"
    "bare /history (120 KB)|$bare|/history"
    "fxrates history, base EUR|$embedded|$history"
    "fxrates history, base USD|$embedded|$history&base=USD"
)

# "requests/s p99-ms" of one wrk run; wrk prints the p99 with its own unit (us, ms or s).
measure() {  # PORT PATH
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$1$2" | awk '
        /Requests\/sec/ { rps = $2 }
        $1 == "99%" { v = $2 + 0; p99 = ($2 ~ /us$/) ? v / 1000 : ($2 ~ /ms$/) ? v : v * 1000 }
        END { printf "%.0f %.2f\n", rps, p99 }'
}

for row in "${rows[@]}"; do IFS='|' read -r _ port path <<<"$row"; wrk -t1 -c4 -d1s "http://127.0.0.1:$port$path" >/dev/null; done
declare -A best_rps best_p99
for round in 1 2; do
    for row in "${rows[@]}"; do
        IFS='|' read -r name port path <<<"$row"
        read -r rps p99 <<<"$(measure "$port" "$path")"
        echo "round $round: $name: $rps req/s, p99 $p99 ms" >&2
        if (( rps > ${best_rps[$name]:-0} )); then best_rps[$name]=$rps; best_p99[$name]=$p99; fi
    done
done

rss() { awk '/^VmRSS/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$1/status"; }
printf '\n%-34s %12s %8s %10s\n' "best of 2 (wrk -c$connections, $duration)" "req/s" "ratio" "p99 ms"
for row in "${rows[@]}"; do
    IFS='|' read -r name _ _ <<<"$row"
    case "$name" in bare*) reference=${best_rps[$name]} ;; esac
    awk -v n="$name" -v r="${best_rps[$name]}" -v ref="$reference" -v p="${best_p99[$name]}" \
        'BEGIN { printf "%-34s %12d %8.3f %10.2f\n", n, r, r / ref, p }'
done
echo "RSS: embedded $(rss "$embedded_pid"), PostgreSQL + Redis $(rss "$shared_pid")"
