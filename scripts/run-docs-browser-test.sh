#!/usr/bin/env bash
# Starts the built server on a private loopback port, loads its /docs in headless Chromium
# (scripts/docs-browser-test.py: every path rendered, no request off the server's origin, no CSP violation),
# and stops both whatever happens. FX_DOCS_SCREENSHOT=file.png also writes a screenshot of the page
# (`make docs-screenshot`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/private-server.sh
port=${FX_DOCS_PORT:-18434}
start_private_server "$port" "${FX_DOCS_BINARY:-.build/debug/fxrates}"
# The script bounds itself (--timeout) and kills Chromium on every exit; `timeout` is the backstop.
timeout 150 python3 scripts/docs-browser-test.py --base "http://127.0.0.1:$port" --timeout 90 \
    ${FX_DOCS_SCREENSHOT:+--screenshot "$FX_DOCS_SCREENSHOT"}
