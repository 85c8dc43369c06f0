#!/usr/bin/env bash
# Starts or stops the private redis-server the FXRedis tests run against.
#   scripts/test-redis.sh start   # prints the FX_TEST_REDIS_URL to export
#   scripts/test-redis.sh stop
# The port defaults to 56379 and can be set with FX_TEST_REDIS_PORT.
set -euo pipefail

port="${FX_TEST_REDIS_PORT:-56379}"
state_dir="${TMPDIR:-/tmp}/fxrates-test-redis-${port}"
pid_file="${state_dir}/redis.pid"

install_if_missing() {
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null \
        || ! pkg-config --exists hiredis 2>/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server libhiredis-dev pkg-config >/dev/null
    fi
}

start() {
    install_if_missing
    if [[ -f "${pid_file}" ]] && kill -0 "$(cat "${pid_file}")" 2>/dev/null; then
        echo "redis-server already running on port ${port} (pid $(cat "${pid_file}"))" >&2
    else
        rm -rf "${state_dir}"
        mkdir -p "${state_dir}"
        (cd "${state_dir}" && exec redis-server --port "${port}" --bind 127.0.0.1 \
            --save '' --appendonly no --daemonize no \
            --dir "${state_dir}" --logfile "${state_dir}/redis.log") </dev/null >/dev/null 2>&1 &
        echo $! >"${pid_file}"
    fi
    for _ in $(seq 1 100); do
        if [[ "$(redis-cli -h 127.0.0.1 -p "${port}" ping 2>/dev/null)" == "PONG" ]]; then
            echo "redis://127.0.0.1:${port}"
            return 0
        fi
        if ! kill -0 "$(cat "${pid_file}")" 2>/dev/null; then
            echo "redis-server exited; log:" >&2
            cat "${state_dir}/redis.log" >&2 || true
            return 1
        fi
        sleep 0.1
    done
    echo "redis-server did not answer PING on port ${port}" >&2
    return 1
}

stop() {
    if [[ -f "${pid_file}" ]]; then
        local pid
        pid="$(cat "${pid_file}")"
        if kill "${pid}" 2>/dev/null; then
            while kill -0 "${pid}" 2>/dev/null; do sleep 0.05; done
        fi
    fi
    rm -rf "${state_dir}"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
