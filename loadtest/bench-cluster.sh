#!/usr/bin/env bash
# Several replicas sharing one Redis behind HAProxy, all on 127.0.0.1: what each rate-limited /v1/convert
# costs Redis (CPU from INFO cpu, round trips from INFO commandstats) and the replicas' throughput, at each
# number of client connections, with checks batched (FX_REDIS_BATCH_SIZE=128) and not (1). /health, never
# limited, is measured once for scale. Bounded in time; every process it starts is stopped by PID on exit.
#
#   loadtest/bench-cluster.sh                                   # 3 replicas; 1, 32 and 256 connections; 10 s each
#   REPLICAS=1 CONNECTIONS="32" BATCH_SIZES="128" DURATION=20s loadtest/bench-cluster.sh
#   CSV=docs/scaling-points.csv loadtest/bench-cluster.sh       # also appends each row there (for plot-scaling.py)
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=${REPLICAS:-3}
duration=${DURATION:-10s}
connection_counts=${CONNECTIONS:-1 32 256}
batch_sizes=${BATCH_SIZES:-128 1}
csv=${CSV:-}
base_port=${BASE_PORT:-18600}
redis_port=$((base_port + 99))
proxy_port=$((base_port + 98))
convert="/v1/convert?from=USD&to=JPY&amount=100.00"
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk haproxy redis-server redis-cli

swift build -c release --product fxrates >/dev/null
start_redis "$redis_port"

replica_pids=()
start_replicas() {  # BATCH_SIZE
    replica_pids=()
    for i in $(seq 1 "$replicas"); do
        # Generous limits: the benchmark measures the cost of checking them, not of refusing.
        REDIS_URL="redis://127.0.0.1:$redis_port" FX_ANON_LIMITS="100000000/minute" FX_EXPECTED_REPLICAS="$replicas" \
            FX_REDIS_BATCH_SIZE="$1" FX_HOST=127.0.0.1 FX_PORT=$((base_port + i)) \
            .build/release/fxrates serve >/dev/null 2>&1 &
        replica_pids+=($!)
        pids+=($!)
    done
    for i in $(seq 1 "$replicas"); do wait_for "http://127.0.0.1:$((base_port + i))/ready"; done
}
stop_replicas() {
    for pid in "${replica_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${replica_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

backends=""
for i in $(seq 1 "$replicas"); do backends+="    server r$i 127.0.0.1:$((base_port + i))"$'\n'; done
start_haproxy "$proxy_port" "$backends"

# Calls of commands matching $1 in INFO commandstats. Redis also counts the commands a script runs inside
# (TIME, HMGET, …), so the round trips a replica makes are the EVALSHA and EVAL calls.
calls() { redis-cli -p "$redis_port" info commandstats | awk -F'[=,:]' -v want="$1" '$1 ~ want {n += $3} END {print n + 0}'; }
# Seconds of CPU Redis has used (user + system), for its cost per request: what sizes Redis for a fleet.
redis_cpu() { redis-cli -p "$redis_port" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }
# Seconds of CPU the replicas have used (user + system, from /proc), for what a request costs a replica.
replica_cpu() {
    local ticks=0 pid fields
    for pid in "${replica_pids[@]}"; do
        read -ra fields <"/proc/$pid/stat"
        ticks=$((ticks + fields[13] + fields[14]))
    done
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.6f", t / hz}'
}
load() { wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2" "http://127.0.0.1:$proxy_port$3"; }  # CONNECTIONS DURATION PATH

[ -z "$csv" ] || [ -s "$csv" ] || echo "replicas,batch,connections,convert_rps,health_rps,trips_per_request,redis_us_per_request,replica_us_per_request" >"$csv"
printf 'replicas %d behind HAProxy, one Redis; wrk for %s per row; release build\n' "$replicas" "$duration"
printf '%-6s %5s %10s %9s %11s %14s %16s\n' batch conns "convert/s" "/health" "trips/conv" "redis µs/conv" "replica µs/conv"
for batch in $batch_sizes; do
    start_replicas "$batch"
    wait_for "http://127.0.0.1:$proxy_port/health"
    load 32 2s "$convert" >/dev/null
    health=$(load 32 "$duration" /health | awk '/Requests\/sec/ {print $2}')
    for connections in $connection_counts; do
        trips_before=$(calls '^cmdstat_eval(sha)?$'); cpu_before=$(redis_cpu); replicas_before=$(replica_cpu)
        output=$(load "$connections" "$duration" "$convert")
        trips_after=$(calls '^cmdstat_eval(sha)?$'); cpu_after=$(redis_cpu); replicas_after=$(replica_cpu)
        awk -v r="$replicas" -v b="$batch" -v c="$connections" -v h="$health" -v t="$((trips_after - trips_before))" \
            -v cpu="$cpu_before $cpu_after $replicas_before $replicas_after" '
            /Requests\/sec/ {rate = $2} /requests in/ {n = $1}
            END {
                split(cpu, used, " ")
                printf "%d,%s,%d,%.0f,%.0f,%.3f,%.1f,%.1f\n", r, b, c, rate, h, t / n,
                    (used[2] - used[1]) * 1e6 / n, (used[4] - used[3]) * 1e6 / n
            }' <<<"$output" >"$work/row.csv"
        [ -z "$csv" ] || cat "$work/row.csv" >>"$csv"
        awk -F, '{printf "%-6s %5d %10.0f %9.0f %11.3f %14.1f %16.1f\n", $2, $3, $4, $5, $6, $7, $8}' "$work/row.csv"
    done
    stop_replicas
done
