#!/usr/bin/env bash
# Installs the deploy validators (checkov, hadolint, kubernetes-validate, yamllint, jsonschema) into
# .venv-deploy, apart from the test venv: checkov pins dependencies that schemathesis must not share.
# Safe to run again: it does nothing when the pinned set is already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-deploy
stamp="$venv/.requirements"
if [ -f "$stamp" ] && cmp -s "$stamp" deploy/tools/requirements.txt; then
    exit 0
fi
echo "deploy-tools: installing the validators into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r deploy/tools/requirements.txt
cp deploy/tools/requirements.txt "$stamp"
