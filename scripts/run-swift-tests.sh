#!/usr/bin/env bash
# Runs the Swift test suite (Swift Testing runs tests in parallel). Its own summary line is the last line `make test` prints.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift test
