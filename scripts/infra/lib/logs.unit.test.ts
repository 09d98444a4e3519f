import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFrom, tailFile } from './logs';

describe('log reading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-logs-'));

  it('tails the last lines, ignoring trailing blank lines', () => {
    const file = join(dir, 'kafka.log');
    writeFileSync(file, 'one\ntwo\nthree\nfour\n\n');

    expect(tailFile(file, 2)).toBe('three\nfour');
  });

  it('gives an empty tail for a log that does not exist yet', () => {
    expect(tailFile(join(dir, 'missing.log'), 10)).toBe('');
  });

  it('reads what was appended after an offset (build progress)', () => {
    const file = join(dir, 'build.log');
    writeFileSync(file, 'old line\nnew line\n');

    expect(readFrom(file, 'old line\n'.length)).toBe('new line\n');
  });
});
