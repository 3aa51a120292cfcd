#!/usr/bin/env bash
# The one test command (`npm test`): typecheck, then every test —
#   unit + integration on embedded PGlite,
#   the same again on PostgreSQL when DATABASE_URL is set,
#   browser tests driving Debian's Chromium (/usr/bin/chromium) against the built web UI.
# Ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=Asia/Shanghai
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium is missing: apt-get install -y chromium fonts-wqy-zenhei (the browser tests need /usr/bin/chromium)" >&2
  exit 1
fi
npm run --silent typecheck
npx vite build --config web/vite.config.ts --logLevel warn
mkdir -p .test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?
node scripts/test-summary.mjs .test-results/vitest.json || true
exit $status
