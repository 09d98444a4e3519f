#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, so that
# `npm test` and `npm run stack` work on a fresh clone. Not `npm ci`: see .ci/run for why.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ -f "$marker" ] && [ "$marker" -nt package-lock.json ]; then
  exit 0
fi
echo "── npm install (from package-lock.json)" >&2
npm install --no-save --no-audit --no-fund </dev/null >&2
touch "$marker"
