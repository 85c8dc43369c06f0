#!/usr/bin/env bash
# Checks the served OpenAPI document for tools: valid OpenAPI 3.1 (openapi-spec-validator), and no object
# with a key twice (JSON parsers keep one of them silently: a second `securitySchemes` once erased the
# API key schemes). That every $ref and security requirement resolves is a Swift test (OpenAPIDocumentTests).
set -euo pipefail
cd "$(dirname "$0")/.."
document=Sources/FXServer/Resources/openapi.json
.venv/bin/python3 - "$document" <<'PY'
import json, sys
def unique(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        sys.exit(f"{sys.argv[1]}: an object has these keys more than once: {', '.join(duplicates)}")
    return dict(pairs)
with open(sys.argv[1]) as file:
    json.load(file, object_pairs_hook=unique)
PY
.venv/bin/openapi-spec-validator "$document"
