#!/usr/bin/env bash
# The test command (`npm test`): provision the local infrastructure, run the unit, workflow,
# integration and e2e tiers, and close with one line "N passed, N failed" (scripts/jest-summary.ts).
#
# Workflow and integration test files run one per jest worker process (--workerIdleMemoryLimit=1KB
# recycles the worker after every file): the Temporal SDK's native Runtime is process-wide and does
# not survive several test files in one process. Each file isolates its own data (see test/support/).
# Timeouts are given here because jest 30 ignores `testTimeout` inside a project's config.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=node_modules/.bin
REPORTS=.reports
rm -rf "$REPORTS"
mkdir -p "$REPORTS"

tier() {
  local name=$1
  shift
  echo "── jest: $name tests" >&2
  "$BIN/jest" --selectProjects "$name" --json --outputFile="$REPORTS/$name.json" "$@"
}

echo "── infra:up" >&2
if "$BIN/tsx" scripts/infra/cli.ts up; then
  infra_ready=yes
else
  infra_ready=no
  echo "infra:up failed: integration and e2e tiers are not run and count as failed" >&2
fi

tier unit
# Workflow tests need only the time-skipping test server, a tool `infra up` provisions: they run
# even when a service failed to come up (a missing server fails them, with the reason).
tier workflow --maxWorkers=2 --workerIdleMemoryLimit=1KB --testTimeout=60000
if [ "$infra_ready" = yes ]; then
  tier int --maxWorkers=2 --workerIdleMemoryLimit=1KB --testTimeout=120000
  # The gateway serves the web app from web/dist: the browser tests of the e2e tier need it built.
  echo "── npm run web:build" >&2
  if npm run --silent web:build; then
    tier e2e --passWithNoTests --testTimeout=300000
  else
    echo "web:build failed: the e2e tier is not run and counts as failed" >&2
  fi
fi

# Explicit report paths, not a glob: a tier whose report is missing is counted as a failure.
exec "$BIN/tsx" scripts/jest-summary.ts "$REPORTS/unit.json" "$REPORTS/workflow.json" "$REPORTS/int.json" \
  "$REPORTS/e2e.json"
