import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tally } from './jest-summary';

describe('jest-summary tally', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jest-summary-'));
  const report = (name: string, body: object) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };

  it('counts passed and failed tests', () => {
    const path = report('unit', {
      success: false,
      numPassedTests: 7,
      numFailedTests: 2,
      numRuntimeErrorTestSuites: 0,
    });

    expect(tally(path)).toMatchObject({ passed: 7, failed: 2 });
  });

  it('counts a test file that failed to run as failed', () => {
    const path = report('int', {
      success: false,
      numPassedTests: 3,
      numFailedTests: 0,
      numRuntimeErrorTestSuites: 1,
    });

    expect(tally(path)).toMatchObject({ passed: 3, failed: 1 });
  });

  it('counts an unsuccessful run without failing tests as one failure', () => {
    const path = report('e2e', {
      success: false,
      numPassedTests: 0,
      numFailedTests: 0,
      numRuntimeErrorTestSuites: 0,
    });

    expect(tally(path)).toMatchObject({ passed: 0, failed: 1 });
  });

  it('counts a missing report (the tier never finished) as one failure', () => {
    expect(tally(join(dir, 'absent.json'))).toMatchObject({ passed: 0, failed: 1 });
  });

  it('accepts a successful empty run (e2e with --passWithNoTests)', () => {
    const path = report('empty', {
      success: true,
      numPassedTests: 0,
      numFailedTests: 0,
      numRuntimeErrorTestSuites: 0,
    });

    expect(tally(path)).toMatchObject({ passed: 0, failed: 0 });
  });
});
