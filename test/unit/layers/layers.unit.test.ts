/**
 * The layer rules of .dependency-cruiser.cjs hold for the repository, and each rule fails on a
 * tree that breaks it (bad-tree/: one deliberate bad import per rule, never imported by the app).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const LAYERS = [
  'domain',
  'db',
  'activities',
  'workflows',
  'workers',
  'api',
  'read-service',
  'health',
  'codec',
  'providers',
  'config',
  'scripts',
  'bench',
  'replay',
  'lib',
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** depcruise's violations over `paths`, resolved from `cwd` (the CLI exits 1 when it finds any). */
function violations(cwd: string, paths: string[]): string[] {
  let out: string;
  try {
    out = execFileSync(
      join(root, 'node_modules/.bin/depcruise'),
      ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', ...paths],
      { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    out = (error as { stdout?: string }).stdout ?? '';
    if (!out) throw error;
  }
  const result = JSON.parse(out) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('layer rules (dependency-cruiser)', () => {
  it('hold for the whole repository', () => {
    expect(violations(root, LAYERS)).toEqual([]);
  }, 60_000);

  it('fail on a deliberate bad import of each kind', () => {
    expect(violations(join(__dirname, 'bad-tree'), ['.'])).toEqual([
      'domain-is-pure: domain/aggregate.ts -> db/tables.ts',
      'health-apart-from-read-service: health/probe.ts -> read-service/view.ts',
      'lib-is-neutral: lib/timer.ts -> db/tables.ts',
      'read-side-apart-from-write-side: read-service/view.ts -> activities/step.ts',
      'workflow-sandbox: workflows/flow.ts -> fs',
    ]);
  }, 60_000);
});
