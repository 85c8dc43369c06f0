#!/usr/bin/env bash
# Installs what `make run` (setup.sh build) or `make test` (setup.sh test) needs on a Debian machine,
# skipping whatever is already there. Safe to run again.
set -euo pipefail
mode=${1:-build}
cd "$(dirname "$0")/.."

packages=(libhiredis-dev libpq-dev pkg-config)
if [ "$mode" = test ]; then
    # The Sentinel tests run `redis-server --sentinel`: Debian's redis-sentinel package is only that binary
    # under another name plus a system service it would start on 26379. openssl makes the TLS tests' certificates.
    packages+=(redis-server haproxy postgresql python3 python3-venv curl wrk chromium openssl)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$mode" = test ]; then
    # opentelemetry-proto decodes what scripts/otlp-receiver.py receives (TracingTests, loadtest/bench-tracing.sh).
    if [ ! -x .venv/bin/schemathesis ] || [ ! -x .venv/bin/openapi-spec-validator ] \
        || ! .venv/bin/python -c 'import opentelemetry.proto' 2>/dev/null; then
        echo "setup: installing PyPI tools into .venv"
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
    fi
    # fxload's latency plots (loadtest/plot-latency.py).
    if ! .venv/bin/python3 -c 'import matplotlib' 2>/dev/null; then
        echo "setup: installing matplotlib into .venv"
        .venv/bin/pip install -q --disable-pip-version-check -r loadtest/requirements.txt
    fi
fi
