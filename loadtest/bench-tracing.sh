#!/usr/bin/env bash
# The cost of tracing on /v1/convert (embedded rates, in-process limits): fxrates with tracing off, on at 1 %
# (parentbased_traceidratio 0.01) and on at 100 %, exporting over OTLP/HTTP to a local receiver that counts
# and discards (scripts/otlp-receiver.py --discard), each against the bare Hummingbird app
# (loadtest/reference) in the same round. Rounds interleave the four, so a noisy machine moves them alike;
# it prints each round's ratios to bare, then per variant the median ratio, its spread (min–max) and its
# cost relative to "off" (median of the per-round off/variant ratios). Release builds, all on 127.0.0.1,
# bounded in time, stopped by PID on every exit path.
#
#   loadtest/bench-tracing.sh                 # 5 rounds of 5 s per row, 32 connections
#   ROUNDS=3 DURATION=3s loadtest/bench-tracing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
# wrk's load per row, as bench-convert.sh has it.
rounds=${ROUNDS:-5} duration=${DURATION:-5s} connections=${CONNECTIONS:-32} threads=${THREADS:-1}
# Ports BASE_PORT to BASE_PORT+3 (bare, off, 1 %, 100 %) and BASE_PORT+9 (the receiver).
base_port=${BASE_PORT:-18520}
# Another build directory (swift build --scratch-path), e.g. to build the release while debug tests run.
scratch=${SCRATCH_PATH:-.build}
require wrk curl
[[ -x .venv/bin/python ]] || { echo ".venv is missing (make setup-test installs it)" >&2; exit 1; }

for product in fxrates fxrates-reference; do
    swift build -c release --scratch-path "$scratch" --product "$product" >/dev/null
done

.venv/bin/python scripts/otlp-receiver.py "$work/receiver-port" --port $((base_port + 9)) --discard &
pids+=($!)
until [[ -s "$work/receiver-port" ]]; do sleep 0.02; done
endpoint="http://127.0.0.1:$((base_port + 9))"

export FX_ANON_LIMITS=1000000000/minute FX_HOST=127.0.0.1 FX_LOG_LEVEL=warning
start() {  # PORT [NAME=VALUE...]
    local port=$1
    shift
    env FX_PORT="$port" "$@" "$scratch"/release/fxrates serve >/dev/null 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$port/ready"
}
"$scratch"/release/fxrates-reference "$base_port" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$base_port/health"
start $((base_port + 1))
start $((base_port + 2)) OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" \
    OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.01
start $((base_port + 3)) OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" OTEL_TRACES_SAMPLER=always_on

names=(bare off 1% 100%)
paths=(/health /v1/convert?from=EUR\&to=USD\&amount=100 /v1/convert?from=EUR\&to=USD\&amount=100 /v1/convert?from=EUR\&to=USD\&amount=100)
for i in 0 1 2 3; do wrk -t1 -c4 -d1s "http://127.0.0.1:$((base_port + i))${paths[$i]}" >/dev/null; done

rps() {  # PORT PATH
    wrk -t"$threads" -c"$connections" -d"$duration" "http://127.0.0.1:$1$2" | awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
}
: >"$work/rounds"
for round in $(seq 1 "$rounds"); do
    line="$round"
    for i in 0 1 2 3; do line+=" $(rps $((base_port + i)) "${paths[$i]}")"; done
    echo "$line" >>"$work/rounds"
    read -r _ bare off one all <<<"$line"
    awk -v r="$round" -v b="$bare" -v o="$off" -v s="$one" -v a="$all" 'BEGIN {
        printf "round %d: bare /health %d req/s; /v1/convert off %d (%.3f× bare), 1%% %d (%.3f×), 100%% %d (%.3f×)\n",
            r, b, o, o / b, s, s / b, a, a / b }'
done
echo "spans received: $(curl -s "$endpoint/count")"
python3 - "$work/rounds" <<'PY'
import statistics, sys
rows = [list(map(float, line.split()[1:])) for line in open(sys.argv[1])]
for index, name in [(1, "off"), (2, "1%"), (3, "100%")]:
    ratios = [row[index] / row[0] for row in rows]
    line = f"{name:>4}: median {statistics.median(ratios):.3f}× bare (spread {min(ratios):.3f}–{max(ratios):.3f})"
    if index > 1:
        costs = [1 - row[index] / row[1] for row in rows]
        line += f"; cost vs off: median {statistics.median(costs) * 100:+.1f} % (spread {min(costs) * 100:+.1f} to {max(costs) * 100:+.1f} %)"
    print(line)
PY
