#!/usr/bin/env bash
# The highest rate fxload drives against the bare Hummingbird app (loadtest/reference): a run per step of
# RATES, each STEP_SECONDS long, until the achieved rate falls below 98 % of the target or the corrected p99
# explodes (above 10 ms and 20× the first step's); the last step that held is the ceiling. Then wrk (closed
# model, same connections) for the same time, for context. Both report their own CPU. Everything listens on
# 127.0.0.1, is bounded in time, and is stopped by PID on every exit path.
#
#   loadtest/fxload-ceiling.sh
#   RATES="5000 10000 20000" STEP_SECONDS=5 loadtest/fxload-ceiling.sh
#   REFERENCE=/path/to/fxrates-reference loadtest/fxload-ceiling.sh   # skip building it
set -euo pipefail
cd "$(dirname "$0")/.."
rates=${RATES:-2000 5000 10000 15000 20000 25000 30000 40000 50000}
step_seconds=${STEP_SECONDS:-10}
connections=${CONNECTIONS:-64}
threads=${THREADS:-1}
port=${PORT:-18550}
# shellcheck source=loadtest/lib.sh
source loadtest/lib.sh
require wrk curl jq

if [[ -z ${REFERENCE:-} ]]; then
    swift build -c release --product fxrates-reference >&2
    REFERENCE=.build/release/fxrates-reference
fi
loadtest/fxload/run -- --help >/dev/null  # builds fxload (release) once, before anything is timed
"$REFERENCE" "$port" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/health"

printf '%-8s %10s %7s %9s %9s %9s %10s %9s %7s  %s\n' target achieved ratio "p50 ms" "p99 ms" "p99.9 ms" "p99 uncor" "fxload %" "µs/req" verdict
ceiling=0 ceiling_cpu=0 ceiling_per_request=0 first_p99=""
for rate in $rates; do
    status=0
    loadtest/fxload/run -- --url "http://127.0.0.1:$port" --rate "$rate" --duration "$step_seconds" --warmup 1 \
        --path /health --connections "$connections" --threads "$threads" --json "$work/step.json" \
        >"$work/step.txt" 2>&1 || status=$?
    (( status <= 1 )) || { cat "$work/step.txt" >&2; exit 1; }
    read -r achieved ratio p50 p99 p999 p99u cpu errors per_request < <(jq -r '[.achieved_rate, .achieved_ratio,
        .total.corrected.p50_ms, .total.corrected.p99_ms, .total.corrected.p99_9_ms, .total.uncorrected.p99_ms,
        .cpu.percent_of_one_core, .total.error_count, .cpu.micros_per_request] | @tsv' "$work/step.json")
    first_p99=${first_p99:-$p99}
    verdict=$(awk -v r="$ratio" -v p="$p99" -v f="$first_p99" -v e="$errors" \
        'BEGIN { print (r >= 0.98 && e == 0 && !(p > 10 && p > 20 * f)) ? "held" : "ceiling passed" }')
    printf '%-8s %10.0f %7.3f %9.2f %9.2f %9.2f %10.2f %9.1f %7.1f  %s\n' "$rate" "$achieved" "$ratio" "$p50" "$p99" "$p999" "$p99u" "$cpu" "$per_request" "$verdict"
    [[ $verdict == held ]] || break
    ceiling=$rate ceiling_cpu=$cpu ceiling_per_request=$per_request
done
echo
printf "fxload ceiling against the bare app: %s req/s, fxload at %.1f%% of one core there, %.1f µs of CPU per request (%s connections, %s thread(s))\n" \
    "$ceiling" "$ceiling_cpu" "$ceiling_per_request" "$connections" "$threads"

# wrk for the same time with the same connections: as fast as the server answers (closed model).
TIMEFORMAT='%U %S'
{ time wrk -t1 -c"$connections" -d"${step_seconds}s" --latency "http://127.0.0.1:$port/health" >"$work/wrk.txt"; } 2>"$work/wrk-cpu.txt"
read -r wrk_user wrk_sys <"$work/wrk-cpu.txt"
awk -v u="$wrk_user" -v s="$wrk_sys" -v d="$step_seconds" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" || $1 == "99%" { v = $2 + 0; ms[$1] = ($2 ~ /us$/) ? v / 1000 : ($2 ~ /ms$/) ? v : v * 1000 }
    END { printf "wrk -t1 -c%s, %s s: %.0f req/s, p50 %.2f ms, p99 %.2f ms (uncorrected: closed model), wrk at %.1f%% of one core, %.1f µs of CPU per request\n",
          c, d, rps, ms["50%"], ms["99%"], (u + s) / d * 100, (u + s) * 1e6 / (rps * d) }' c="$connections" "$work/wrk.txt"
