/** The command line a service is started with goes to its log, minus the secrets in it. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDetached } from './process';

describe('spawnDetached', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spawn-detached-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the command line with each secret masked', async () => {
    const logFile = join(dir, 'service.log');
    const token = 'codec-token-0123456789abcdef';
    const child = spawnDetached(
      process.execPath,
      ['-e', 'process.exit(0)', '--', `--ui-codec-endpoint=http://127.0.0.1:8234/${token}`],
      { logFile, secrets: [token] },
    );
    while (child.exit() === undefined) await new Promise((r) => setTimeout(r, 20));

    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('--ui-codec-endpoint=http://127.0.0.1:8234/***');
    expect(log).not.toContain(token);
  });
});
