# Shared by the loadtest scripts (sourced, not run): a scratch directory, every started process
# stopped by PID on exit, and small helpers. Everything stays on 127.0.0.1.

require() {  # TOOL...
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$tool is missing (make setup-test installs it)" >&2; exit 1; }
    done
}

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # URL: until it answers 2xx, for at most 10 s
    for _ in $(seq 1 200); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done
    echo "not answering: $1" >&2
    return 1
}

start_redis() {  # PORT: a private redis-server without persistence; its PID is in $redis_pid
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
        --logfile "$work/redis-$1.log" </dev/null >/dev/null 2>&1 &
    redis_pid=$!
    pids+=("$redis_pid")
    until redis-cli -p "$1" ping >/dev/null 2>&1; do sleep 0.02; done
}

start_haproxy() {  # PORT BACKENDS: HAProxy round-robin over BACKENDS (`server` lines); the caller waits for it
    cat >"$work/haproxy.cfg" <<CFG
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend api
    bind 127.0.0.1:$1
    default_backend replicas
backend replicas
    balance roundrobin
$2
CFG
    haproxy -f "$work/haproxy.cfg" -db >/dev/null 2>&1 &
    pids+=($!)
}
