#!/usr/bin/env bash
# Refreshes the Swagger UI files that /docs serves (Sources/FXServer/Resources/docs) from PyPI's
# drf-spectacular-sidecar, which ships Swagger UI's distribution build as it is published: PyPI is the
# one registry of the project's machines that has Swagger UI 5 (PyPI's swagger-ui-bundle holds 4.15, which
# cannot render OpenAPI 3.1). Pinned by version and by the wheel's SHA-256; to move to a newer one, change
# both, run this, and run `make test` (the browser test renders the page under its Content-Security-Policy).
set -euo pipefail
cd "$(dirname "$0")/.."
version=2026.10.1
sha256=fe1d005d8ac9b5d0472f2fe5deeb2e7d6dcffaa24118044f22578b4b8c4b31f2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$work" "drf-spectacular-sidecar==$version"
wheel=("$work"/drf_spectacular_sidecar-"$version"-*.whl)
echo "$sha256  ${wheel[0]}" | sha256sum -c --quiet
python3 -m zipfile -e "${wheel[0]}" "$work/unpacked"
dist="$work/unpacked/drf_spectacular_sidecar/static/drf_spectacular_sidecar/swagger-ui-dist"
# Only what the page loads, and the licence; no source maps, no standalone preset, no OAuth redirect page.
cp "$dist/swagger-ui-bundle.js" "$dist/swagger-ui.css" "$dist/LICENSE" Sources/FXServer/Resources/docs/
grep -o 'PACKAGE_VERSION:"[^"]*"' Sources/FXServer/Resources/docs/swagger-ui-bundle.js
