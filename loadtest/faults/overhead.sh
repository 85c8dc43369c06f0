#!/usr/bin/env bash
# What the fault proxy costs with no fault set: redis-benchmark (PING and GET, 16 clients, 50,000 requests,
# no pipelining) against Redis directly and through the proxy, p50 and p99 side by side. Uses the running
# loadtest/cluster's Redis and proxy, or starts its own on FX_FAULTS_BASE_PORT (18590) and stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require redis-benchmark redis-server redis-cli
# shellcheck source=loadtest/cluster-lib.sh
source loadtest/cluster-lib.sh
if redis_port=$(state_get redis_port 2>/dev/null); then
    proxy_port=$((cluster_port + 10))
else
    base=${FX_FAULTS_BASE_PORT:-18590}
    redis_port=$((base + 1)) proxy_port=$((base + 2))
    fxfault=$(fxfault_binary)
    start_redis "$redis_port"
    "$fxfault" --control $((base + 3)) "redis=$proxy_port:$redis_port" 2>/dev/null &
    pids+=($!)
    until redis-cli -p "$proxy_port" ping >/dev/null 2>&1; do sleep 0.05; done
fi
bench() {  # PORT: "rps p50 p99" per test
    redis-benchmark -p "$1" -c 16 -n 50000 -t ping,get --csv -q 2>/dev/null |
        awk -F, 'NR > 1 { gsub(/"/, ""); printf "%s %s %s %s\n", $1, $2, $5, $7 }'
}
printf '%-12s %-14s %10s %8s %8s\n' test path req/s p50_ms p99_ms
for round in direct proxy direct proxy; do
    port=$redis_port; [[ $round == proxy ]] && port=$proxy_port
    bench "$port" | while read -r test rps p50 p99; do printf '%-12s %-14s %10s %8s %8s\n' "$test" "$round" "$rps" "$p50" "$p99"; done
done
