/**
 * The committed generated code in proto/gen is what `npm run proto:gen` produces from the .proto
 * files: regenerate into a temporary directory and compare byte for byte. buf and ts-proto are
 * npm dev dependencies (no download at test time).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

test('proto/gen is up to date with the .proto files', () => {
  const out = mkdtempSync(join(tmpdir(), 'proto-gen-'));
  try {
    execFileSync(join(root, 'node_modules/.bin/buf'), ['generate', '--output', out], {
      cwd: join(root, 'proto'),
    });
    execFileSync(
      join(root, 'node_modules/.bin/prettier'),
      ['--log-level', 'warn', '--config', join(root, '.prettierrc.json'), '--write', out],
      {
        cwd: root,
      },
    );
    const committed = join(root, 'proto/gen');
    const fresh = join(out, 'gen');
    const names = (d: string) =>
      files(d)
        .map((f) => relative(d, f))
        .sort();
    expect(names(fresh)).toEqual(names(committed));
    for (const name of names(committed)) {
      expect(readFileSync(join(fresh, name), 'utf8')).toBe(readFileSync(join(committed, name), 'utf8'));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
