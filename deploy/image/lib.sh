# shellcheck shell=bash disable=SC2034 # variables for the scripts that source this file
# Shared by the deploy/image scripts; sourced, never run. Bash only.

IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$IMAGE_DIR/../.." && pwd)"

# The images `make image` builds and `make image-test` runs.
FX_IMAGE="${FX_IMAGE:-localhost/fxrates:dev}"
BASE_SWIFT_IMAGE="${BASE_SWIFT_IMAGE:-localhost/fxrates-base/swift:6.3-bookworm}"
BASE_RUNTIME_IMAGE="${BASE_RUNTIME_IMAGE:-localhost/fxrates-base/debian:bookworm-slim}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SWIFT_TOOLCHAIN="${SWIFT_TOOLCHAIN:-/opt/swift}"
SWIFT_PACKAGES_MIRROR="${SWIFT_PACKAGES_MIRROR:-/opt/swift-packages}"

log() { printf '%s: %s\n' "${LOG_TAG:-image}" "$*" >&2; }
die() { printf '%s: FAILED: %s\n' "${LOG_TAG:-image}" "$*" >&2; exit 1; }

# Podman with runc: crun, Podman's default on Debian 12, fails on the development machine with
# "setrlimit RLIMIT_NOFILE: Operation not permitted".
pm() { podman --runtime runc "$@"; }

# Podman asks for RLIMIT_NOFILE 1048576 and RLIMIT_NPROC 32768 in every container, and runc refuses to
# start one when that is above the hard limits Podman itself runs under (here nofile 20000; nproc
# fails at 32768, works at 32767). So every run and build asks for what the host allows.
host_nofile="$(ulimit -Hn)"; [[ "$host_nofile" == unlimited || "$host_nofile" -gt 1048576 ]] && host_nofile=1048576
host_nproc="$(ulimit -Hu)"; [[ "$host_nproc" == unlimited || "$host_nproc" -gt 16384 ]] && host_nproc=16384
PODMAN_ULIMITS=(--ulimit "nofile=$host_nofile:$host_nofile" --ulimit "nproc=$host_nproc:$host_nproc")

# Installs the host packages the scripts need when one is missing (Debian 12, as root).
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
}

ensure_podman() { ensure_packages podman runc; }

image_exists() { pm image exists "$1"; }

# Seconds since the epoch with milliseconds, and a difference of two of them.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

human_bytes() { numfmt --to=si --suffix=B --format='%.1f' "$1"; }

# Succeeds when Podman can start a trivial container from image $1 on this machine; otherwise prints
# Podman's error on stderr and fails.
can_run_containers() {
    local output
    if output="$(pm run --rm --no-healthcheck "${PODMAN_ULIMITS[@]}" --entrypoint /bin/true "$1" 2>&1)"; then
        return 0
    fi
    printf '  %s\n' "$output" >&2
    return 1
}

# Why `make image` skipped, for `make image-test` to skip too instead of failing on a missing image.
SKIP_MARKER="${TMPDIR:-/tmp}/fxrates-image-skipped"
skip_build() {  # REASON
    log "SKIP: $1"
    printf '%s\n' "$1" >"$SKIP_MARKER"
    exit 0
}

# The flags of every container the scripts run: what a hardened Kubernetes pod gets (deploy/k8s sets the
# same). The host's network, so containers reach the private PostgreSQL and Redis on 127.0.0.1.
run_flags=(--rm --read-only --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges --tmpfs /tmp
    --network host "${PODMAN_ULIMITS[@]}")

# What a script started, removed or stopped on every exit path: containers by name, the private
# PostgreSQL and Redis, and the scratch directory.
containers=()
pg_started=0
redis_started=0
work=""
stop_everything() {
    local status=$?
    set +e
    for name in "${containers[@]}"; do pm rm -f --time 0 "$name" >/dev/null 2>&1; done
    ((pg_started)) && "$REPO_DIR/scripts/test-postgres.sh" stop >/dev/null 2>&1
    ((redis_started)) && "$REPO_DIR/scripts/test-redis.sh" stop >/dev/null 2>&1
    [[ -n "$work" ]] && rm -rf "$work"
    exit "$status"
}
stop_everything_on_exit() {
    trap stop_everything EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
