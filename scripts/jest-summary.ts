/**
 * Sums jest `--json` reports into the one closing line CI reads: "N passed, N failed".
 * Usage: tsx scripts/jest-summary.ts .reports/unit.json .reports/int.json ...
 * A report that is missing or unreadable means that tier never ran to the end: one failure.
 * Exits non-zero when anything failed or when no test ran at all.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface JestReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  /** Test files that failed to run (syntax error, failing beforeAll import, crash). */
  numRuntimeErrorTestSuites: number;
}

interface Tally {
  passed: number;
  failed: number;
  note: string;
}

export function tally(path: string): Tally {
  let report: JestReport;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as JestReport;
  } catch (error) {
    return { passed: 0, failed: 1, note: `no readable report (${(error as Error).message})` };
  }
  const passed = report.numPassedTests ?? 0;
  let failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  // jest can fail a run with no failing test (e.g. interrupted): that still is a failure.
  if (!report.success && failed === 0) failed = 1;
  return { passed, failed, note: report.success ? 'ok' : 'FAILED' };
}

function main(paths: string[]): number {
  if (paths.length === 0) {
    console.error('usage: tsx scripts/jest-summary.ts <jest --json report>...');
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const path of paths) {
    const t = tally(path);
    passed += t.passed;
    failed += t.failed;
    console.error(`${basename(path, '.json').padEnd(8)} ${t.passed} passed, ${t.failed} failed: ${t.note}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
