#!/usr/bin/env bash
# Redis CPU per request on a Redis Cluster: PRIMARIES primaries (no replicas) made with redis-server
# --cluster-enabled and redis-cli --cluster create, REPLICAS fxrates replicas behind HAProxy with
# REDIS_URL=redis+cluster://…, and wrk sending anonymous /v1/convert whose X-Forwarded-For names one of
# 65,536 clients at random, so the limiter's keys spread over every slot. Redis CPU is the INFO cpu delta
# summed over the primaries, divided by the requests. Bounded in time; every process is stopped by PID.
#
#   loadtest/bench-redis-cluster.sh                      # 3 primaries, 3 replicas, 10 s
#   PRIMARIES=1 BUILD=debug loadtest/bench-redis-cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
primaries=${PRIMARIES:-3}
replicas=${REPLICAS:-3}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
build=${BUILD:-release}
base_port=${BASE_PORT:-18700}
cluster_port=$((base_port + 10))
proxy_port=$((base_port + 19))
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk haproxy redis-server redis-cli

swift build -c "$build" --product fxrates >/dev/null
binary=".build/$build/fxrates"

nodes=()
for i in $(seq 0 $((primaries - 1))); do
    port=$((cluster_port + i))
    mkdir -p "$work/$port"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-port $((port + 10)) \
        --cluster-config-file "$work/$port/nodes.conf" --save '' --appendonly no --dir "$work/$port" \
        --logfile "$work/$port/redis.log" </dev/null >/dev/null 2>&1 &
    pids+=($!)
    until [[ "$(redis-cli -p "$port" ping 2>/dev/null)" == PONG ]]; do sleep 0.02; done
    nodes+=("127.0.0.1:$port")
done
if [[ "$primaries" -ge 3 ]]; then
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
else
    # redis-cli --cluster create wants 3 primaries at least: fewer are given their slots and met by hand.
    share=$((16384 / primaries))
    for i in $(seq 0 $((primaries - 1))); do
        last=$(( i == primaries - 1 ? 16383 : (i + 1) * share - 1 ))
        redis-cli -p $((cluster_port + i)) cluster addslotsrange $((i * share)) "$last" >/dev/null
        redis-cli -p $((cluster_port + i)) cluster meet 127.0.0.1 "$cluster_port" >/dev/null
    done
fi
until redis-cli -p "$cluster_port" cluster info | grep -q 'cluster_state:ok'; do sleep 0.05; done
seeds=$(IFS=,; echo "${nodes[*]}")

backends=""
for i in $(seq 1 "$replicas"); do
    port=$((base_port + i))
    REDIS_URL="redis+cluster://$seeds" FX_ANON_LIMITS="100000000/minute" FX_EXPECTED_REPLICAS="$replicas" \
        FX_TRUSTED_PROXIES=127.0.0.1/32 FX_HOST=127.0.0.1 FX_PORT=$port "$binary" serve >/dev/null 2>&1 &
    pids+=($!)
    backends+="    server r$i 127.0.0.1:$port"$'\n'
done
for i in $(seq 1 "$replicas"); do wait_for "http://127.0.0.1:$((base_port + i))/ready"; done

start_haproxy "$proxy_port" "$backends"
wait_for "http://127.0.0.1:$proxy_port/health"

cat >"$work/clients.lua" <<'LUA'
request = function()
    local client = "10.7." .. math.random(0, 255) .. "." .. math.random(0, 255)
    return wrk.format(nil, "/v1/convert?from=USD&to=JPY&amount=100.00", {["X-Forwarded-For"] = client})
end
LUA

# Seconds of CPU (user + system) used by all primaries together.
cluster_cpu() {
    for node in "${nodes[@]}"; do
        redis-cli -p "${node##*:}" info cpu
    done | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'
}
calls() {
    for node in "${nodes[@]}"; do
        redis-cli -p "${node##*:}" info commandstats
    done | awk -F'[=,:]' '$1 ~ /^cmdstat_eval(sha)?$/ {n += $3} END {print n + 0}'
}

wrk -t2 -c"$connections" -d2s -s "$work/clients.lua" "http://127.0.0.1:$proxy_port" >/dev/null
before_cpu=$(cluster_cpu); before_trips=$(calls)
output=$(wrk -t2 -c"$connections" -d"$duration" -s "$work/clients.lua" "http://127.0.0.1:$proxy_port")
after_cpu=$(cluster_cpu); after_trips=$(calls)
awk -v out="$(awk '/Requests\/sec/ {print $2} /requests in/ {print $1}' <<<"$output" | paste -sd' ')" \
    -v cpu="$before_cpu $after_cpu" -v t="$((after_trips - before_trips))" -v p="$primaries" -v r="$replicas" \
    -v b="$build" -v c="$connections" 'BEGIN {
    split(out, o, " "); split(cpu, used, " ")
    n = o[1]
    printf "cluster                   %d primaries, %d replicas (%s build), %d connections\n", p, r, b, c
    printf "/v1/convert               %10.0f req/s\n", o[2]
    printf "script calls/convert      %10.3f (%d EVALSHA/EVAL for %d requests)\n", t / n, t, n
    printf "redis CPU/convert         %10.1f µs (INFO cpu over all primaries, user + sys)\n", (used[2] - used[1]) * 1e6 / n
}'
