#!/usr/bin/env bash
# Runs the Swift test suite against a private PostgreSQL and a private Redis on loopback ports,
# started here and stopped (by PID) whatever happens. Swift Testing runs tests in parallel.
# swift test's own summary line is the last line `make test` prints.
set -euo pipefail
cd "$(dirname "$0")/.."

# HalfOpenRedisTests drops loopback packets with iptables rules commented `fxrates-test` and removes them
# itself; a test process that crashes or is killed cannot, so they are removed here too, before and after.
remove_test_firewall_rules() {
    [ "$(id -u)" = 0 ] && command -v iptables >/dev/null || return 0
    local rule
    iptables -w -S INPUT | { grep -e '--comment fxrates-test' || true; } | while read -r -a rule; do
        iptables -w -D "${rule[@]:1}" || true
    done
}

stop_services() {
    scripts/test-postgres.sh stop >/dev/null 2>&1 || true
    scripts/test-redis.sh stop >/dev/null 2>&1 || true
    remove_test_firewall_rules
}
stop_services
trap stop_services EXIT

eval "$(scripts/test-postgres.sh start)"
FX_TEST_REDIS_URL=$(scripts/test-redis.sh start)
export FX_TEST_DATABASE_URL FX_TEST_REDIS_URL

swift test
