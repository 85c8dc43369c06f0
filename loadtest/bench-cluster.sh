#!/usr/bin/env bash
# Several replicas sharing one Redis behind HAProxy, all on 127.0.0.1: throughput of /v1/convert (rate
# limited through Redis) against /health (never limited) in one run, and Redis commands per request from
# INFO commandstats. Bounded in time; every process it starts is stopped by PID on exit.
#
#   loadtest/bench-cluster.sh                       # 3 replicas, 10 s per endpoint
#   REPLICAS=1 DURATION=20s loadtest/bench-cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=${REPLICAS:-3}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
base_port=${BASE_PORT:-18600}
redis_port=$((base_port + 99))
proxy_port=$((base_port + 98))
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk haproxy redis-server redis-cli

swift build -c release --product fxrates >/dev/null
start_redis "$redis_port"

backends=""
for i in $(seq 1 "$replicas"); do
    port=$((base_port + i))
    # Generous limits: the benchmark measures the cost of checking them, not of refusing.
    REDIS_URL="redis://127.0.0.1:$redis_port" FX_ANON_LIMITS="100000000/minute" FX_EXPECTED_REPLICAS="$replicas" \
        FX_HOST=127.0.0.1 FX_PORT=$port .build/release/fxrates serve >/dev/null 2>&1 &
    pids+=($!)
    backends+="    server r$i 127.0.0.1:$port"$'\n'
done
for i in $(seq 1 "$replicas"); do wait_for "http://127.0.0.1:$((base_port + i))/ready"; done

cat >"$work/haproxy.cfg" <<CFG
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend api
    bind 127.0.0.1:$proxy_port
    default_backend replicas
backend replicas
    balance roundrobin
$backends
CFG
haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$proxy_port/health"

# Calls of commands matching $1 in INFO commandstats. Redis also counts the commands a script runs inside
# (TIME, HMGET, …), so the round trips a replica makes are the EVALSHA and EVAL calls.
calls() { redis-cli -p "$redis_port" info commandstats | awk -F'[=,:]' -v want="$1" '$1 ~ want {n += $3} END {print n + 0}'; }
# Seconds of CPU Redis has used (user + system), for its cost per request: what sizes Redis for a fleet.
redis_cpu() { redis-cli -p "$redis_port" info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }
rps() { wrk -t2 -c"$connections" -d"$duration" "http://127.0.0.1:$proxy_port$1" | awk '/Requests\/sec/ {print $2}'; }

wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$proxy_port/v1/convert?from=USD&to=JPY&amount=100.00" >/dev/null
health=$(rps /health)
before=$(calls '^cmdstat_'); before_trips=$(calls '^cmdstat_eval(sha)?$'); before_cpu=$(redis_cpu)
convert_output=$(wrk -t2 -c"$connections" -d"$duration" "http://127.0.0.1:$proxy_port/v1/convert?from=USD&to=JPY&amount=100.00")
after=$(calls '^cmdstat_'); after_trips=$(calls '^cmdstat_eval(sha)?$'); after_cpu=$(redis_cpu)
convert=$(awk '/Requests\/sec/ {print $2}' <<<"$convert_output")
convert_requests=$(awk '/requests in/ {print $1}' <<<"$convert_output")
awk -v h="$health" -v c="$convert" -v n="$convert_requests" -v d="$((after - before))" -v t="$((after_trips - before_trips))" \
    -v r="$replicas" -v cpu="$before_cpu $after_cpu" 'BEGIN {
    split(cpu, used, " ")
    printf "replicas                  %d (behind HAProxy, one Redis)\n", r
    printf "/health                   %10.0f req/s\n", h
    printf "/v1/convert               %10.0f req/s\n", c
    printf "convert/health            %10.2f\n", c / h
    printf "redis round trips/convert %10.3f (%d EVALSHA/EVAL for %d requests)\n", t / n, t, n
    printf "redis commands/convert    %10.3f (commandstats, script-internal calls included)\n", d / n
    printf "redis CPU/convert         %10.1f µs (INFO cpu, user + sys)\n", (used[2] - used[1]) * 1e6 / n
}'
