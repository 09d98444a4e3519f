#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json, so that
# `npm test` and `npm run stack` work on a fresh clone. Not `npm ci`: see .ci/run for why.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
# Fresh when installed after the lock file and after every patch of patches/ (applied by the
# postinstall step, patch-package).
fresh=true
for input in package-lock.json patches/*.patch; do
  [ -f "$marker" ] && [ "$marker" -nt "$input" ] || fresh=false
done
if [ "$fresh" = true ]; then
  exit 0
fi
echo "── npm install (from package-lock.json)" >&2
npm install --no-save --no-audit --no-fund </dev/null >&2
touch "$marker"
