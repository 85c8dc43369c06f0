#!/usr/bin/env bash
# The cost of tracing on /v1/convert (embedded rates, in-process limits): fxrates with tracing off, on at 1 %
# (parentbased_traceidratio 0.01) and on at 100 %, exporting over OTLP/HTTP to a local receiver that counts
# and discards (scripts/otlp-receiver.py --discard), each against the bare Hummingbird app
# (loadtest/reference) in the same round. Rounds interleave the four, so a noisy machine moves them alike;
# it prints each round's ratios to bare, then per variant the median ratio, its spread (min–max) and its
# cost relative to "off" (median of the per-round off/variant ratios). It also reads each fxrates process's
# CPU time (user + system, /proc/PID/stat) around its run, and prints the CPU per request and its cost
# against "off": a shared machine's other work moves throughput a lot and a process's own CPU per request
# little. Release builds, all on 127.0.0.1, bounded in time, stopped by PID on every exit path.
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
server_pids=()  # by variant index 1 to 3
start() {  # PORT [NAME=VALUE...]
    local port=$1
    shift
    env FX_PORT="$port" "$@" "$scratch"/release/fxrates serve >/dev/null 2>&1 &
    pids+=($!)
    server_pids[port - base_port]=$!
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

cpu_ticks() {  # PID: user + system clock ticks so far
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
run() {  # INDEX: "REQ/S" for bare, "REQ/S CPU-µs-PER-REQUEST" for a variant
    local i=$1 before=0 after=0
    if [[ $i -gt 0 ]]; then before=$(cpu_ticks "${server_pids[$i]}"); fi
    wrk -t"$threads" -c"$connections" -d"$duration" "http://127.0.0.1:$((base_port + i))${paths[$i]}" >"$work/wrk"
    if [[ $i -gt 0 ]]; then after=$(cpu_ticks "${server_pids[$i]}"); fi
    awk -v i="$i" -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
        /requests in/ { requests = $1 } /Requests\/sec/ { rps = $2 }
        END { if (i == 0) printf "%.0f\n", rps; else printf "%.0f %.2f\n", rps, ticks / hz * 1e6 / requests }' "$work/wrk"
}
: >"$work/rounds" ; : >"$work/cpu"
for round in $(seq 1 "$rounds"); do
    line="$round" cpu="$round"
    for i in 0 1 2 3; do
        read -r rate micros <<<"$(run $i)"
        line+=" $rate"
        if [[ $i -gt 0 ]]; then cpu+=" $micros"; fi
    done
    echo "$line" >>"$work/rounds"
    echo "$cpu" >>"$work/cpu"
    read -r _ bare off one all <<<"$line"
    awk -v r="$round" -v b="$bare" -v o="$off" -v s="$one" -v a="$all" 'BEGIN {
        printf "round %d: bare /health %d req/s; /v1/convert off %d (%.3f× bare), 1%% %d (%.3f×), 100%% %d (%.3f×)\n",
            r, b, o, o / b, s, s / b, a, a / b }'
done
echo "spans received: $(curl -s "$endpoint/count")"
python3 - "$work/rounds" "$work/cpu" <<'PY'
import statistics, sys
rows = [list(map(float, line.split()[1:])) for line in open(sys.argv[1])]
cpu = [list(map(float, line.split()[1:])) for line in open(sys.argv[2])]
for index, name in [(1, "off"), (2, "1%"), (3, "100%")]:
    ratios = [row[index] / row[0] for row in rows]
    line = f"{name:>4}: median {statistics.median(ratios):.3f}× bare (spread {min(ratios):.3f}–{max(ratios):.3f})"
    if index > 1:
        costs = [1 - row[index] / row[1] for row in rows]
        line += f"; cost vs off: median {statistics.median(costs) * 100:+.1f} % (spread {min(costs) * 100:+.1f} to {max(costs) * 100:+.1f} %)"
    print(line)
for index, name in [(0, "off"), (1, "1%"), (2, "100%")]:
    micros = [row[index] for row in cpu]
    line = f"{name:>4}: CPU per request median {statistics.median(micros):.1f} µs (spread {min(micros):.1f}–{max(micros):.1f})"
    if index > 0:
        costs = [row[index] / row[0] - 1 for row in cpu]
        line += f"; cost vs off: median {statistics.median(costs) * 100:+.1f} % (spread {min(costs) * 100:+.1f} to {max(costs) * 100:+.1f} %)"
    print(line)
PY
