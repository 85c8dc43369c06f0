# shellcheck shell=bash disable=SC2034
# The state of loadtest/cluster, shared by it, loadtest/chaos and loadtest/faults/ctl (sourced, not run): ports,
# PIDs and keys in one directory, so each verb works across invocations. Everything listens on 127.0.0.1.
#
#   FX_CLUSTER_PORT        HAProxy's port (18570); replica slot I listens on +I (1–9), the fault proxy on +10
#                          (Redis) and +11 (PostgreSQL), its control port on +19
#   FX_CLUSTER_REDIS_PORT  Redis (56570);  FX_CLUSTER_PG_PORT  PostgreSQL (55570)
#   FX_CLUSTER_STATE       the state directory (/tmp/fxrates-cluster-$FX_CLUSTER_PORT)
#
# Redis on a host of its own (FX_CLUSTER_REDIS_NETNS=1 at `up`, or `loadtest/cluster redis-netns on`): a
# redis-server in the network namespace fxchaos-redis-$FX_CLUSTER_PORT, reached over a veth pair in
# 10.231.0.0/24 (a /30 per cluster port), which the replicas then use instead of the loopback Redis.
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

# ---- Redis in a network namespace -------------------------------------------------------------------------
# Nothing routes beyond the pair: the namespace has no route but its /30; on the host, the /30 falls back to an
# unreachable route (never the default route) whenever the pair's link is down, and FORWARD drops whatever
# would cross from the pair to another interface. Removing the namespace removes the pair and every rule in it.
netns_name=fxchaos-redis-$cluster_port
netns_host_if=fxr${cluster_port}h
netns_peer_if=fxr${cluster_port}n
netns_subnet=10.231.0.$((4 * (cluster_port % 64)))
netns_host_addr=10.231.0.$((4 * (cluster_port % 64) + 1))
netns_redis_addr=10.231.0.$((4 * (cluster_port % 64) + 2))

# The namespace, its pair and the host's guards. Recorded in the state before anything is made, so that
# netns_remove (on every exit path) finds whatever part exists.
netns_create() {
    state_set redis_netns "$netns_name"
    ip netns add "$netns_name"
    ip link add "$netns_host_if" type veth peer name "$netns_peer_if" netns "$netns_name"
    ip addr add "$netns_host_addr/30" dev "$netns_host_if"
    ip link set "$netns_host_if" up
    ip -n "$netns_name" addr add "$netns_redis_addr/30" dev "$netns_peer_if"
    ip -n "$netns_name" link set lo up
    ip -n "$netns_name" link set "$netns_peer_if" up
    ip route add unreachable "$netns_subnet/30" metric 4242
    iptables -w -I FORWARD -i "$netns_host_if" -m comment --comment "$netns_name" -j DROP
    iptables -w -I FORWARD -o "$netns_host_if" -m comment --comment "$netns_name" -j DROP
}

# Stops the namespace's Redis and removes the namespace, the pair, the route and the FORWARD rules; each part
# only if it exists, so it is safe to run twice or after a half-made namespace.
netns_remove() {
    netns_stop_redis
    local direction pid
    # Anything else still running in it (a Redis whose PID the state lost): the namespace is this cluster's own.
    for pid in $(ip netns pids "$netns_name" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    for direction in -i -o; do
        while iptables -w -D FORWARD "$direction" "$netns_host_if" -m comment --comment "$netns_name" -j DROP 2>/dev/null; do :; done
    done
    while ip route del unreachable "$netns_subnet/30" metric 4242 2>/dev/null; do :; done
    ip netns del "$netns_name" 2>/dev/null || true
    ip link del "$netns_host_if" 2>/dev/null || true
    state_unset redis_netns
    return 0
}

netns_redis_cli() { redis-cli -h "$netns_redis_addr" -p "$cluster_redis_port" "$@"; }

# redis-server inside the namespace, on its veth address only, until netns_stop_redis.
netns_start_redis() {
    local dir=$cluster_state/redis-netns pid
    mkdir -p "$dir"
    # protected-mode off: it refuses every non-loopback client without a password, and only this host reaches
    # the namespace's address.
    ip netns exec "$netns_name" redis-server --port "$cluster_redis_port" --bind "$netns_redis_addr" \
        --protected-mode no --save '' --appendonly no --daemonize no --dir "$dir" --logfile "$dir/redis.log" \
        </dev/null >/dev/null 2>&1 &
    pid=$!
    disown "$pid" 2>/dev/null || true
    state_set redis_netns_pid "$pid"
    for _ in $(seq 1 100); do
        [[ $(netns_redis_cli ping 2>/dev/null) == PONG ]] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "Redis in $netns_name did not answer; see $dir/redis.log" >&2
    return 1
}

netns_stop_redis() {
    local pid
    pid=$(state_get redis_netns_pid || true)
    [[ -n $pid ]] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    state_unset redis_netns_pid
}

# The namespace's end of the pair down or up: the replicas' packets to Redis are then dropped by the pair
# (no carrier), nothing is refused or reset.
netns_link() {  # up|down
    ip -n "$netns_name" link set "$netns_peer_if" "$1"
}

# True while the replicas use the namespace's Redis.
redis_in_netns() { [[ -n $(state_get redis_netns || true) ]]; }
