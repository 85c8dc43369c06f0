#!/usr/bin/env bash
# On request only (not in `make image-test`): the memory of localhost/fxrates:dev serving from PostgreSQL
# and Redis, before and after load, to size the Kubernetes memory request and limit.
#
#   deploy/image/measure-rss.sh                      # wrk -t1 -c32 -d10s on /v1/convert
#   DURATION=30s CONNECTIONS=64 deploy/image/measure-rss.sh
#
# Runs the container with the flags of `make image-test` (read-only, user 10001, no capabilities, host
# network, loopback ports from 18540) against PostgreSQL and Redis from scripts/test-*.sh, imports the ECB
# history, and reads VmRSS and VmHWM (peak) from /proc/PID/status of the container's process, the host
# PID `podman inspect` gives. Everything it starts is stopped on every exit path.
set -euo pipefail
LOG_TAG=measure-rss
# shellcheck source=deploy/image/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"

duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-1}"
port="${FX_RSS_PORT:-18540}"
export FX_TEST_PG_PORT="${FX_RSS_PG_PORT:-18541}"
export FX_TEST_REDIS_PORT="${FX_RSS_REDIS_PORT:-18542}"

[[ "$(id -u)" == 0 ]] || die "run as root (Podman's root storage)"
ensure_podman
ensure_packages wrk curl
image_exists "$FX_IMAGE" || die "$FX_IMAGE is not in Podman's storage; run make image first"

name="fxrates-rss-$$"
stop_everything_on_exit

pg_started=1
eval "$(scripts/test-postgres.sh start)"
redis_started=1
redis_url="$(scripts/test-redis.sh start)"
env_flags=(-e DATABASE_URL="$FX_TEST_DATABASE_URL" -e REDIS_URL="$redis_url")

for step in migrate "import ecb /usr/share/fxrates/eurofxref-hist.zip"; do
    containers+=("$name-task")
    # shellcheck disable=SC2086 # the step's words are the command's arguments
    pm run "${run_flags[@]}" --no-healthcheck --name "$name-task" "${env_flags[@]}" "$FX_IMAGE" $step >/dev/null \
        || die "fxrates $step failed"
done

containers+=("$name")
# Limits high enough that the load measures serving, not refusing; checking them still costs a Redis round trip.
pm run -d "${run_flags[@]}" --no-healthcheck --name "$name" "${env_flags[@]}" -e FX_PORT="$port" \
    -e FX_LOG_LEVEL=warning -e FX_ANON_LIMITS=1000000000/minute "$FX_IMAGE" serve >/dev/null
for _ in $(seq 1 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || true)" == 200 ]] && break
    sleep 0.1
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" || true)" == 200 ]] \
    || die "the server did not become ready"
pid="$(pm inspect --format '{{.State.Pid}}' "$name")"
memory() { awk '/^(VmRSS|VmHWM):/ { printf "%s %.1f MB  ", $1, $2 / 1024 }' "/proc/$pid/status"; }

sleep 1
before="$(memory)"
log "ready (host PID $pid): $before"
log "wrk -t$threads -c$connections -d$duration /v1/convert"
wrk -t"$threads" -c"$connections" -d"$duration" "http://127.0.0.1:$port/v1/convert?from=USD&to=JPY&amount=100.00" \
    | grep -E 'Requests/sec|Non-2xx|Socket errors|requests in' >&2
after="$(memory)"
sleep 5
settled="$(memory)"
echo "fxrates RSS (PostgreSQL + Redis, ECB history loaded):"
echo "  before load:          $before"
echo "  right after load:     $after"
echo "  5 s after load:       $settled"
