# shellcheck shell=bash disable=SC2034
# The state of loadtest/cluster, shared by it, loadtest/chaos and loadtest/faults/ctl (sourced, not run): ports,
# PIDs and keys in one directory, so each verb works across invocations. Everything listens on 127.0.0.1.
#
#   FX_CLUSTER_PORT        HAProxy's port (18570); replica slot I listens on +I (1–9), the fault proxy on +10
#                          (Redis) and +11 (PostgreSQL), its control port on +19
#   FX_CLUSTER_REDIS_PORT  Redis (56570);  FX_CLUSTER_PG_PORT  PostgreSQL (55570)
#   FX_CLUSTER_STATE       the state directory (/tmp/fxrates-cluster-$FX_CLUSTER_PORT)
cluster_port=${FX_CLUSTER_PORT:-18570}
cluster_redis_port=${FX_CLUSTER_REDIS_PORT:-56570}
cluster_pg_port=${FX_CLUSTER_PG_PORT:-55570}
cluster_state=${FX_CLUSTER_STATE:-/tmp/fxrates-cluster-$cluster_port}
cluster_max_replicas=9

state_get() {  # NAME: its value, or exit status 1
    [[ -f $cluster_state/state ]] || return 1
    awk -F= -v k="$1" '$1 == k { v = substr($0, length(k) + 2); found = 1 } END { if (found) print v; exit !found }' \
        "$cluster_state/state"
}

state_set() {  # NAME VALUE
    mkdir -p "$cluster_state"
    touch "$cluster_state/state"
    { grep -v "^$1=" "$cluster_state/state" || true; echo "$1=$2"; } >"$cluster_state/state.new"
    mv "$cluster_state/state.new" "$cluster_state/state"
}

state_unset() {  # NAME
    [[ -f $cluster_state/state ]] || return 0
    { grep -v "^$1=" "$cluster_state/state" || true; } >"$cluster_state/state.new"
    mv "$cluster_state/state.new" "$cluster_state/state"
}

replica_port() { echo $((cluster_port + $1)); }

# The fault proxy, fxfault (a product of the loadtest/fxload package, so the fxrates build never compiles
# it), built for release if anything changed; prints its path. The build's output goes to stderr.
fxfault_binary() {
    local package
    package=$(cd "$(dirname "${BASH_SOURCE[0]}")/fxload" && pwd)
    swift build --quiet --package-path "$package" -c release --product fxfault >&2 || return 1
    echo "$package/.build/release/fxfault"
}

# Slots whose replica process is alive, one per line.
live_replicas() {
    local i pid
    for i in $(seq 1 "$cluster_max_replicas"); do
        pid=$(state_get "replica_$i" || true)
        [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$i"
    done
    return 0
}

# A command on HAProxy's admin socket (no socat here: Python's socket module speaks to it).
haproxy_cmd() {  # COMMAND
    python3 - "$cluster_state/haproxy.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
out = b""
while chunk := s.recv(65536):
    out += chunk
sys.stdout.write(out.decode())
PY
}

# HAProxy's view of one backend server (the slot's rN): its status (UP, DOWN, MAINT, …).
haproxy_server_status() {  # SLOT
    haproxy_cmd "show stat" | awk -F, -v s="r$1" '$1 == "replicas" && $2 == s { print $18 }'
}

# A column of HAProxy's `show stat` CSV for the backend as a whole (wretr: retries, wredis: redispatches,
# hrsp_5xx, …), by its name in the header.
haproxy_backend_stat() {  # COLUMN
    haproxy_cmd "show stat" | awk -F, -v want="$1" '
        NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == want) col = i; next }
        $1 == "replicas" && $2 == "BACKEND" { print $col + 0 }'
}
