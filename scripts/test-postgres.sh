#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server for the FXPostgres tests.
#
#   eval "$(scripts/test-postgres.sh start)"   # exports FX_TEST_DATABASE_URL
#   scripts/test-postgres.sh stop
#
# The server listens on 127.0.0.1 only, on FX_TEST_PG_PORT (default 55432),
# trusts local connections (no password exists), runs with fsync=off and
# keeps its data in a temporary directory that `stop` removes. FX_TEST_PG_OPTIONS adds server options
# (loadtest/cluster: `-c shared_preload_libraries=pg_stat_statements`, to count the queries a scenario runs).
set -euo pipefail

PORT="${FX_TEST_PG_PORT:-55432}"
DATABASE="fxtest"
STATE_FILE="${TMPDIR:-/tmp}/fxrates-test-postgres-${PORT}.state"

log() { echo "test-postgres: $*" >&2; }

find_bin_dir() {
    local initdb
    initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$initdb" ]]; then
        log "PostgreSQL server not found; installing it with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql libpq-dev >&2
        initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    fi
    dirname "$initdb"
}

# PostgreSQL refuses to run as root, so root runs it as the postgres user.
as_server_user() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if [[ -f "$STATE_FILE" ]]; then
        log "already started (state in $STATE_FILE); run stop first"
        exit 1
    fi
    local bin_dir data_dir pid
    bin_dir="$(find_bin_dir)"
    data_dir="$(mktemp -d "${TMPDIR:-/tmp}/fxrates-test-postgres.XXXXXX")"
    if [[ "$(id -u)" == "0" ]]; then
        chown postgres:postgres "$data_dir"
    fi
    chmod 700 "$data_dir"

    as_server_user "$bin_dir/initdb" --pgdata="$data_dir/data" --username=postgres \
        --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_server_user "$bin_dir/pg_ctl" --pgdata="$data_dir/data" --log="$data_dir/server.log" \
        --wait --timeout=30 start \
        --options="-c listen_addresses=127.0.0.1 -p $PORT -k $data_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 ${FX_TEST_PG_OPTIONS:-}" >/dev/null
    pid="$(head -n 1 "$data_dir/data/postmaster.pid")"
    printf '%s\n%s\n%s\n' "$pid" "$data_dir" "$bin_dir" >"$STATE_FILE"

    as_server_user "$bin_dir/psql" --no-psqlrc --quiet --host=127.0.0.1 --port="$PORT" \
        --username=postgres --dbname=postgres --command="CREATE DATABASE $DATABASE" >/dev/null
    log "PostgreSQL running with PID $pid"
    echo "export FX_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$PORT/$DATABASE"
}

stop() {
    if [[ ! -f "$STATE_FILE" ]]; then
        log "not running (no $STATE_FILE)"
        return 0
    fi
    local pid data_dir
    pid="$(sed -n 1p "$STATE_FILE")"
    data_dir="$(sed -n 2p "$STATE_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
        # SIGINT is PostgreSQL's "fast shutdown": roll back sessions and exit.
        kill -INT "$pid"
        for _ in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "postmaster $pid did not stop; sending SIGQUIT"
            kill -QUIT "$pid" || true
        fi
    fi
    case "$data_dir" in
        "${TMPDIR:-/tmp}"/fxrates-test-postgres.*) rm -rf "$data_dir" ;;
        *) log "refusing to remove unexpected directory '$data_dir'" ;;
    esac
    rm -f "$STATE_FILE"
    log "stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
