#!/usr/bin/env bash
# fxrates against the bare Hummingbird app (loadtest/reference), side by side in one run of release builds,
# alternating twice: each ratio is taken within one round, where both sides ran back to back, and each goal
# keeps the better of the two rounds. A noisy machine moves both sides alike, so the ratios hold where
# absolute figures do not. Then the goals of the per-request work (issue 8), each PASS or FAIL:
#
#   throughput   fxrates /health ≥ 0.85× bare /health; embedded /v1/convert ≥ 0.60×; /v1/convert with
#                PostgreSQL + a Redis-shared limiter ≥ 0.45×; a year of history for every currency
#                ≥ 0.30× a fixed 120 KB body with base EUR, ≥ 0.10× with base USD
#   latency      p99 of fxrates /health and both /v1/convert rows ≤ 2× bare /health's p99
#   Redis        at most one Redis round trip per /v1/convert (commands clients sent, from MONITOR)
#   start        to the first 200 on /ready: embedded ≤ 1 s, from PostgreSQL ≤ 2 s, from a warm Redis copy ≤ 1 s
#   reloads      /v1/convert p99 while whole-history reloads run back to back ≤ 2× its steady p99,
#                and the CPU of one reload
#   memory       RSS after REQUESTS (1,000,000) requests on each fxrates process: embedded ≤ 48 MiB,
#                PostgreSQL + Redis ≤ 64 MiB
#
# Everything listens on 127.0.0.1, runs for a bounded time, and is stopped by PID on every exit path.
# It exits 1 when a goal is missed.
#
#   loadtest/bench-convert.sh                       # 8 s per row, 32 connections, 1,000,000 requests for RSS
#   DURATION=4s REQUESTS=0 loadtest/bench-convert.sh  # quicker, without the RSS phase
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-8s}
connections=${CONNECTIONS:-32}
threads=${THREADS:-1}
requests_for_rss=${REQUESTS:-1000000}
base_port=${BASE_PORT:-18480}
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk curl redis-server redis-cli psql

# One product per call: given several, swift build builds only the last.
for product in fxrates fxrates-reference; do swift build -c release --product "$product" >/dev/null; done
export FX_TEST_PG_PORT=$((base_port + 10))
redis_port=$((base_port + 11))
start_redis "$redis_port"
pg_cleanup() { scripts/test-postgres.sh stop >/dev/null 2>&1 || true; cleanup; }
trap pg_cleanup EXIT
eval "$(scripts/test-postgres.sh start 2>/dev/null)"
DATABASE_URL=$FX_TEST_DATABASE_URL FX_LOG_LEVEL=warning .build/release/fxrates migrate
DATABASE_URL=$FX_TEST_DATABASE_URL FX_LOG_LEVEL=warning .build/release/fxrates import ecb data/eurofxref-hist.zip
# The import leaves work PostgreSQL would otherwise do during the first round (autovacuum's first pass over
# 221,702 new rows a minute later, and the checkpoint of what they dirtied): done now, it measures nothing.
psql -q "$FX_TEST_DATABASE_URL" -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT'

# Limits high enough that the benchmark measures serving, not refusing; checking them still costs.
export FX_ANON_LIMITS=1000000000/minute FX_HOST=127.0.0.1
redis_url="redis://127.0.0.1:$redis_port"

# Starts fxrates serve on PORT with extra environment and waits for its first 200 on /ready; sets
# started_pid, and started_ms to the milliseconds that took.
start_fxrates() {  # PORT [NAME=VALUE...]
    local port=$1 started
    shift
    started=$(date +%s%N)
    env FX_PORT="$port" "$@" .build/release/fxrates serve >/dev/null 2>&1 &
    started_pid=$!
    pids+=("$started_pid")
    until curl -sf "http://127.0.0.1:$port/ready" >/dev/null; do
        kill -0 "$started_pid" 2>/dev/null || { echo "fxrates on $port exited" >&2; exit 1; }
        (( $(date +%s%N) - started < 30000000000 )) || { echo "fxrates on $port not ready in 30 s" >&2; exit 1; }
        sleep 0.01
    done
    started_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}

bare=$((base_port)); embedded=$((base_port + 1)); shared=$((base_port + 2))
from_postgres=$((base_port + 3)); from_redis=$((base_port + 4))
.build/release/fxrates-reference "$bare" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$bare/health"
start_fxrates "$embedded"
embedded_pid=$started_pid start_embedded_ms=$started_ms
# From PostgreSQL alone (no Redis copy to read), then the replica the rows measure, which fills the Redis
# copy, then one more that starts from that warm copy.
start_fxrates "$from_postgres" DATABASE_URL="$FX_TEST_DATABASE_URL"
start_postgres_ms=$started_ms
kill "$started_pid"
start_fxrates "$shared" DATABASE_URL="$FX_TEST_DATABASE_URL" REDIS_URL="$redis_url"
shared_pid=$started_pid
start_fxrates "$from_redis" DATABASE_URL="$FX_TEST_DATABASE_URL" REDIS_URL="$redis_url"
start_redis_ms=$started_ms
kill "$started_pid"

convert='/v1/convert?from=USD&to=JPY&amount=100.00'
history='/v1/rates/history?start=2025-01-01&end=2025-12-31'
rows=(
    "bare /health|$bare|/health"
    "fxrates /health|$embedded|/health|0.85"
    "fxrates /v1/convert|$embedded|$convert|0.60"
    "fxrates /v1/convert, PG + Redis|$shared|$convert|0.45"
    "bare /history (120 KB)|$bare|/history"
    "fxrates history, base EUR|$embedded|$history|0.30"
    "fxrates history, base USD|$embedded|$history&base=USD|0.10"
)

# "requests/s p99-ms" of one wrk run; wrk prints the p99 with its own unit (us, ms or s).
measure() {  # PORT PATH
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$1$2" | awk '
        /Requests\/sec/ { rps = $2 }
        $1 == "99%" { v = $2 + 0; p99 = ($2 ~ /us$/) ? v / 1000 : ($2 ~ /ms$/) ? v : v * 1000 }
        END { printf "%.0f %.2f\n", rps, p99 }'
}

failures=0
verdict() {  # OK(1/0) TEXT
    if (( $1 )); then printf '  PASS  %s\n' "$2"; else printf '  FAIL  %s\n' "$2"; failures=$((failures + 1)); fi
}

for row in "${rows[@]}"; do IFS='|' read -r _ port path _ <<<"$row"; wrk -t1 -c4 -d1s "http://127.0.0.1:$port$path" >/dev/null; done
# Each round measures every row back to back, so a row and its bare reference share the round's conditions:
# ratios are taken within a round, and each goal keeps the better of the two rounds.
declare -A rps_of p99_of
for round in 1 2; do
    for row in "${rows[@]}"; do
        IFS='|' read -r name port path _ <<<"$row"
        read -r rps p99 <<<"$(measure "$port" "$path")"
        echo "round $round: $name: $rps req/s, p99 $p99 ms" >&2
        rps_of["$round|$name"]=$rps
        p99_of["$round|$name"]=$p99
    done
done

# At most one Redis round trip per request: the commands clients sent (MONITOR marks those a script runs
# inside Redis with "lua") during a short burst of conversions.
redis-cli -p "$redis_port" monitor >"$work/monitor" &
monitor=$!
pids+=("$monitor")
sleep 0.2
sent=$(wrk -t1 -c4 -d1s "http://127.0.0.1:$shared$convert" | awk '/requests in/ { print $1 }')
sleep 0.2
kill "$monitor"
per_request=$(awk -v n="$sent" '/^[0-9.]+ \[[0-9]+ [0-9.]+:[0-9]+\]/ { trips++ } END { printf "%.3f", trips / n }' "$work/monitor")

# Whole-history reloads back to back on the shared replica (each "rates:*" invalidation reloads all of it)
# against its steady p99; and the CPU of one reload, from the process's CPU time over 20 idle reloads.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
read -r _ steady_p99 <<<"$(measure "$shared" "$convert")"
# One publisher, every 50 ms, on one connection: a process started per publish would load the machine too.
redis-cli -p "$redis_port" -r -1 -i 0.05 publish fxrates:invalidate 'rates:*' >/dev/null &
reloader=$!
pids+=("$reloader")
read -r _ reloading_p99 <<<"$(measure "$shared" "$convert")"
kill "$reloader"
sleep 1
ticks=$(cpu_ticks "$shared_pid")
for _ in $(seq 20); do redis-cli -p "$redis_port" publish fxrates:invalidate 'rates:*' >/dev/null; sleep 0.25; done
reload_ms=$(awk -v a="$ticks" -v b="$(cpu_ticks "$shared_pid")" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f", (b - a) * 1000 / hz / 20 }')

# RSS after a million requests on each fxrates process: conversions and a share of year-long histories.
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
drive() {  # PORT REQUESTS
    local total=0 done_now
    while (( total < $2 )); do
        done_now=$(wrk -t1 -c"$connections" -d5s "http://127.0.0.1:$1$convert" | awk '/requests in/ { print $1 }')
        total=$((total + done_now))
        total=$((total + $(wrk -t1 -c"$connections" -d1s "http://127.0.0.1:$1$history" | awk '/requests in/ { print $1 }')))
    done
    echo "$total"
}
if (( requests_for_rss > 0 )); then
    served_embedded=$(drive "$embedded" "$requests_for_rss")
    served_shared=$(drive "$shared" "$requests_for_rss")
fi

# Per row and round: requests/s and p99, each with its ratio to the bare row above it in the same round.
printf '\n%-32s %s\n' "wrk -c$connections, $duration per row" \
    "  round 1: req/s  ratio  p99 ms  ratio   round 2: req/s  ratio  p99 ms  ratio    goal"
declare -A best_ratio best_p99_ratio
for row in "${rows[@]}"; do
    IFS='|' read -r name _ _ goal <<<"$row"
    case "$name" in bare*) reference=$name ;; esac
    line=$(printf '%-32s' "$name")
    for round in 1 2; do
        read -r ratio p99_ratio <<<"$(awk -v r="${rps_of["$round|$name"]}" -v ref="${rps_of["$round|$reference"]}" \
            -v p="${p99_of["$round|$name"]}" -v rp="${p99_of["$round|$reference"]}" 'BEGIN { printf "%.3f %.2f", r / ref, p / rp }')"
        line+=$(printf '  %14d %6.3f %7.2f %6.2f ' "${rps_of["$round|$name"]}" "$ratio" "${p99_of["$round|$name"]}" "$p99_ratio")
        awk -v a="$ratio" -v b="${best_ratio[$name]:-0}" 'BEGIN { exit !(a > b) }' && best_ratio[$name]=$ratio
        awk -v a="$p99_ratio" -v b="${best_p99_ratio[$name]:-}" 'BEGIN { exit !(b == "" || a < b) }' \
            && best_p99_ratio[$name]=$p99_ratio
    done
    echo "$line   ${goal:--}"
done
echo
echo "goals (the better round of each)"
for row in "${rows[@]}"; do
    IFS='|' read -r name _ _ goal <<<"$row"
    [[ $name == bare* ]] && continue
    verdict "$(awk -v r="${best_ratio[$name]}" -v g="$goal" 'BEGIN { print (r >= g) }')" "$name: ${best_ratio[$name]}× ≥ ${goal}×"
    # The p99 goal is for the rows against bare /health; a history's latency follows its throughput.
    [[ $name == *history* ]] && continue
    verdict "$(awk -v r="${best_p99_ratio[$name]}" 'BEGIN { print (r <= 2) }')" \
        "$name: p99 ${best_p99_ratio[$name]}× bare /health's ≤ 2×"
done
verdict "$(awk -v x="$per_request" 'BEGIN { print (x <= 1.0) }')" "Redis round trips per /v1/convert: $per_request ≤ 1"
verdict $(( start_embedded_ms <= 1000 )) "start to ready, embedded: ${start_embedded_ms} ms ≤ 1000 ms"
verdict $(( start_postgres_ms <= 2000 )) "start to ready, from PostgreSQL: ${start_postgres_ms} ms ≤ 2000 ms"
verdict $(( start_redis_ms <= 1000 )) "start to ready, from a warm Redis copy: ${start_redis_ms} ms ≤ 1000 ms"
verdict "$(awk -v a="$reloading_p99" -v s="$steady_p99" 'BEGIN { print (a <= 2 * s) }')" \
    "/v1/convert p99 during reloads: $reloading_p99 ms ≤ 2 × steady $steady_p99 ms"
verdict $(( reload_ms <= 50 )) "CPU of one whole-history reload (Redis copy): ${reload_ms} ms ≤ 50 ms"
if (( requests_for_rss > 0 )); then
    verdict "$(awk -v m="$(rss_mib "$embedded_pid")" 'BEGIN { print (m <= 48) }')" \
        "RSS, embedded, after $served_embedded requests: $(rss_mib "$embedded_pid") MiB ≤ 48 MiB"
    verdict "$(awk -v m="$(rss_mib "$shared_pid")" 'BEGIN { print (m <= 64) }')" \
        "RSS, PostgreSQL + Redis, after $served_shared requests: $(rss_mib "$shared_pid") MiB ≤ 64 MiB"
else
    echo "  RSS now: embedded $(rss_mib "$embedded_pid") MiB, PostgreSQL + Redis $(rss_mib "$shared_pid") MiB (REQUESTS=0: no RSS goal)"
fi
(( failures == 0 )) || { echo "$failures goal(s) missed"; exit 1; }
echo "every goal met"
