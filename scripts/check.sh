#!/usr/bin/env bash
# Everything a reviewer would run: format, lint, typecheck and all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --check . --log-level warn
npx eslint .
bash scripts/test.sh
