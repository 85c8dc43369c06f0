#!/usr/bin/env bash
# Lints the Dockerfile: hadolint must report nothing, checkov's Dockerfile checks must pass (each skip is
# justified in a `# checkov:skip=` comment in the Dockerfile). Both come from deploy/tools/install.sh.
# Needs no network: --skip-download keeps checkov from asking Prisma Cloud for guidelines.
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/tools/install.sh
venv=.venv-deploy

echo "image-lint: hadolint Dockerfile" >&2
"$venv/bin/hadolint" Dockerfile

echo "image-lint: checkov --framework dockerfile -f Dockerfile" >&2
if ! output="$("$venv/bin/checkov" --framework dockerfile -f Dockerfile --skip-download --compact 2>&1)"; then
    printf '%s\n' "$output" | grep -vE '^(Check: .*|\s+PASSED for resource: .*|\s+File: .*)$' >&2 || true
    echo "image-lint: FAILED: checkov found problems in the Dockerfile (above)" >&2
    exit 1
fi
echo "image-lint: ok (hadolint: nothing to report; checkov: $(grep -E '^Passed checks' <<<"$output" || echo passed))" >&2
