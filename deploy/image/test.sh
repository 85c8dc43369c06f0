#!/usr/bin/env bash
# `make image-test`: runs localhost/fxrates:dev as production runs it (read-only root file system, user
# 10001, no capabilities, no privilege escalation, a tmpfs /tmp) and checks it, twice:
#
#   1. the embedded default (no DATABASE_URL): /health, /ready, a conversion, /openapi.json, /metrics on
#      FX_METRICS_PORT, the image's HEALTHCHECK, a 429 with its headers, SIGTERM;
#   2. PostgreSQL and Redis, started with scripts/test-postgres.sh and scripts/test-redis.sh on private
#      ports: `migrate`, `import ecb`, `import ecb --only-missing` from the image, then the same checks.
#
# Containers use the host's network (they reach the private PostgreSQL and Redis on 127.0.0.1) and
# unusual loopback ports from FX_IMAGE_TEST_PORT_BASE (default 18520; loadtest/ uses 18481 and 18600+).
# Every container is named with this script's PID, started with --rm and removed again on every exit
# path, like PostgreSQL and Redis.
# Exits 0 with a SKIP line when Podman cannot run a container on this machine.
set -euo pipefail
LOG_TAG=image-test
# shellcheck source=deploy/image/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"

port_base="${FX_IMAGE_TEST_PORT_BASE:-18520}"
export FX_TEST_PG_PORT="${FX_IMAGE_TEST_PG_PORT:-$((port_base + 10))}"
export FX_TEST_REDIS_PORT="${FX_IMAGE_TEST_REDIS_PORT:-$((port_base + 11))}"
drain_seconds=2
ready_goal_seconds=2
size_limit_bytes=200000000
start_all="$(now)"

if [[ -f "$SKIP_MARKER" ]]; then
    log "SKIP: make image skipped: $(cat "$SKIP_MARKER")"
    exit 0
fi
[[ "$(id -u)" == 0 ]] || die "run as root (Podman's root storage, where make image puts the image)"
ensure_podman
ensure_packages curl python3
# A container that cannot start here is a skip, not a failure: the image is not at fault. (make image
# skips too, so the probe runs the runtime base when there is no fxrates image.)
probe_image="$FX_IMAGE"
image_exists "$probe_image" || probe_image="$BASE_RUNTIME_IMAGE"
image_exists "$probe_image" || die "$FX_IMAGE is not in Podman's storage; run make image first"
if ! can_run_containers "$probe_image"; then
    log "SKIP: Podman cannot run containers on this machine (error above)"
    exit 0
fi
image_exists "$FX_IMAGE" || die "$FX_IMAGE is not in Podman's storage; run make image first"

stop_everything_on_exit
work="$(mktemp -d "${TMPDIR:-/tmp}/fxrates-image-test.XXXXXX")"

# The image's configuration, as built: the user, and HEALTHCHECK (kept only in the docker format).
user="$(pm image inspect --format '{{.Config.User}}' "$FX_IMAGE")"
[[ "$user" == "10001:10001" ]] || die "the image's user is '$user', not 10001:10001"
healthcheck="$(pm image inspect --format '{{json .Config.Healthcheck}}' "$FX_IMAGE")"
[[ "$healthcheck" == *'"fxrates","healthcheck"'* ]] \
    || die "the image has no HEALTHCHECK running fxrates healthcheck (built without --format docker?): $healthcheck"
# No shell: everything the image runs is an exec form, and the Kubernetes preStop hook is the kubelet's sleep.
if pm run "${run_flags[@]}" --no-healthcheck --entrypoint /bin/sh "$FX_IMAGE" -c true >/dev/null 2>&1; then
    die "the image has a shell (/bin/sh runs)"
fi

current=""   # the serving container, whose log a failure prints
fail() {
    echo "image-test: FAILED: $*" >&2
    if [[ -n "$current" ]] && pm container exists "$current"; then
        echo "image-test: last lines of $current's log:" >&2
        pm logs --tail 30 "$current" 2>&1 | sed 's/^/  /' >&2
    fi
    exit 1
}

# GET with curl: the status code is printed; headers and body are kept in $work.
get() {
    curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' --max-time 5 "$@" || true
}
header() { grep -i "^$1:" "$work/headers" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'; }

expect_status() {
    local want="$1" url="$2" got
    got="$(get "$url")"
    [[ "$got" == "$want" ]] || fail "GET $url answered $got, expected $want: $(head -c 300 "$work/body")"
}

# Starts `fxrates serve` with the given environment (-e flags); sets $current and $ready_seconds.
serve() {
    local name="$1" port="$2"; shift 2
    current="$name"
    containers+=("$name")
    local start; start="$(now)"
    # --health-interval disable: no systemd timer (none here); `podman healthcheck run` still runs the check.
    pm run -d "${run_flags[@]}" --health-interval disable --name "$name" \
        -e FX_PORT="$port" -e FX_DRAIN_SECONDS="$drain_seconds" -e FX_LOG_LEVEL=warning "$@" \
        "$FX_IMAGE" serve >"$work/run.out" 2>"$work/run.err" \
        || { cat "$work/run.err" >&2; fail "podman run of $name failed"; }
    local code=000
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/ready" || true)"
        [[ "$code" == 200 ]] && break
        pm container exists "$name" || fail "$name exited before /ready answered 200"
        awk -v s="$start" -v n="$(now)" 'BEGIN { exit !(n - s > 60) }' && fail "$name: /ready not 200 after 60 s (last $code)"
        sleep 0.05
    done
    ready_seconds="$(elapsed "$start" "$(now)")"
    log "$name: podman run -> /ready 200 in ${ready_seconds} s (goal <= ${ready_goal_seconds} s)"
    if awk -v r="$ready_seconds" -v g="$ready_goal_seconds" 'BEGIN { exit !(r > g) }'; then
        log "WARNING: $name took ${ready_seconds} s to be ready, over the ${ready_goal_seconds} s goal"
    fi
    ready_times+=("$name ${ready_seconds} s")
}

# The checks both runs share, against a server with FX_ANON_LIMITS=3/minute.
check_serving() {
    local name="$1" port="$2" metrics_port="$3" base="http://127.0.0.1:$2"

    expect_status 200 "$base/health"
    expect_status 200 "$base/ready"
    expect_status 200 "$base/openapi.json"   # FXServer's resource bundle beside the binary

    # /v1 request 1 of the 3 the minute allows.
    expect_status 200 "$base/v1/convert?from=USD&to=JPY&amount=100.00"
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["from"] == "USD" and d["to"] == "JPY" and d["result"], d' \
        "$work/body" || fail "the conversion has no result: $(cat "$work/body")"
    log "$name: convert 100.00 USD -> JPY = $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["result"])' "$work/body")"

    expect_status 200 "http://127.0.0.1:$metrics_port/metrics"
    grep -q '^# TYPE' "$work/body" || fail "/metrics on FX_METRICS_PORT is not the Prometheus text format"

    # HEALTHCHECK as Docker runs it: `fxrates healthcheck` inside the container.
    pm healthcheck run "$name" >/dev/null 2>"$work/hc.err" \
        || fail "the image's HEALTHCHECK (fxrates healthcheck) reported unhealthy: $(cat "$work/hc.err")"

    # /v1 requests 2 and 3 pass, the 4th is refused with the draft's headers and a problem.
    expect_status 200 "$base/v1/currencies"
    expect_status 200 "$base/v1/rates?symbols=USD"
    expect_status 429 "$base/v1/convert?from=USD&to=JPY&amount=100.00"
    local h
    for h in RateLimit-Policy RateLimit Retry-After; do
        [[ -n "$(header "$h")" ]] || fail "the 429 has no $h header"
    done
    [[ "$(header Content-Type)" == application/problem+json* ]] \
        || fail "the 429 is $(header Content-Type), not application/problem+json"
    log "$name: 429 with RateLimit-Policy: $(header RateLimit-Policy); RateLimit: $(header RateLimit); Retry-After: $(header Retry-After)"
}

# SIGTERM: the container must exit 0 within FX_DRAIN_SECONDS + 5 s.
check_sigterm() {
    local name="$1" limit=$((drain_seconds + 5))
    # `podman wait` is started first, so it sees the exit status before --rm removes the container.
    pm wait "$name" >"$work/wait.out" 2>&1 &
    local wait_pid=$! start
    sleep 0.2
    start="$(now)"
    pm kill --signal TERM "$name" >/dev/null || fail "podman kill --signal TERM $name failed"
    while kill -0 "$wait_pid" 2>/dev/null; do
        if awk -v s="$start" -v n="$(now)" -v l="$limit" 'BEGIN { exit !(n - s > l) }'; then
            kill "$wait_pid" 2>/dev/null || true
            fail "$name still running ${limit} s after SIGTERM"
        fi
        sleep 0.1
    done
    wait "$wait_pid" || fail "podman wait $name failed: $(cat "$work/wait.out")"
    local status; status="$(tail -n 1 "$work/wait.out")"
    local took; took="$(elapsed "$start" "$(now)")"
    [[ "$status" == 0 ]] || fail "$name exited with status $status after SIGTERM, expected 0"
    log "$name: SIGTERM -> exit 0 in ${took} s (FX_DRAIN_SECONDS=$drain_seconds, limit ${limit} s)"
    current=""
}

ready_times=()

# 1. The embedded default.
log "run 1: the embedded ECB history (no DATABASE_URL, no REDIS_URL)"
name="fxrates-image-test-$$-embedded"
serve "$name" "$((port_base + 1))" -e FX_METRICS_PORT="$((port_base + 2))" -e FX_ANON_LIMITS=3/minute
check_serving "$name" "$((port_base + 1))" "$((port_base + 2))"
check_sigterm "$name"

# 2. PostgreSQL and Redis.
log "run 2: PostgreSQL (port $FX_TEST_PG_PORT) and Redis (port $FX_TEST_REDIS_PORT)"
pg_started=1
pg_exports="$(scripts/test-postgres.sh start)" || fail "scripts/test-postgres.sh start failed"
eval "$pg_exports"
database_url="$FX_TEST_DATABASE_URL"
redis_started=1
redis_url="$(scripts/test-redis.sh start)" || fail "scripts/test-redis.sh start failed"

# One-off commands, as the migration Job runs them: with the same flags, output kept for the checks.
task() {
    local step="$1"; shift
    local name="fxrates-image-test-$$-$step" start
    containers+=("$name")
    start="$(now)"
    pm run "${run_flags[@]}" --no-healthcheck --name "$name" -e DATABASE_URL="$database_url" \
        -e REDIS_URL="$redis_url" "$FX_IMAGE" "$@" >"$work/task.out" 2>&1 \
        || { sed 's/^/  /' "$work/task.out" >&2; fail "fxrates $* failed in the image (output above)"; }
    log "fxrates $* : ok in $(elapsed "$start" "$(now)") s"
}
task migrate migrate
task import import ecb /usr/share/fxrates/eurofxref-hist.zip
grep -q '"msg":"imported the ECB history"' "$work/task.out" || fail "import ecb did not log its summary: $(cat "$work/task.out")"
task import-only-missing import ecb --only-missing /usr/share/fxrates/eurofxref-hist.zip
grep -q '"rows_changed":"0"' "$work/task.out" \
    || fail "import ecb --only-missing after a full import changed rows: $(cat "$work/task.out")"

name="fxrates-image-test-$$-postgres"
serve "$name" "$((port_base + 3))" -e FX_METRICS_PORT="$((port_base + 4))" -e FX_ANON_LIMITS=3/minute \
    -e DATABASE_URL="$database_url" -e REDIS_URL="$redis_url"
check_serving "$name" "$((port_base + 3))" "$((port_base + 4))"
check_sigterm "$name"

size="$(pm image inspect --format '{{.Size}}' "$FX_IMAGE")"
((size <= size_limit_bytes)) || fail "$FX_IMAGE is $(human_bytes "$size"), over the $(human_bytes "$size_limit_bytes") limit"

echo
echo "image-test: PASSED ($FX_IMAGE)"
echo "  image size: $(human_bytes "$size") (limit $(human_bytes "$size_limit_bytes"))"
for line in "${ready_times[@]}"; do echo "  podman run -> /ready 200: $line (goal <= ${ready_goal_seconds} s)"; done
echo "  make image-test took $(elapsed "$start_all" "$(now)") s"
