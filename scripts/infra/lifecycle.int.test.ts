/**
 * `up` and a server whose command line changed. A tiny real HTTP server (a node process that
 * answers with the flag it was started with) stands in for a service, under a private INFRA_HOME
 * and port: `up` starts it and records its fingerprint, reuses it while the command line is the
 * same, restarts it once the command line changes (the new flag answers), and leaves alone a
 * server on its port that it did not start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandFingerprint, readFingerprint } from './lib/fingerprint';
import { spawnDetached } from './lib/process';
import { waitUntil } from './lib/wait';
import { bringUp, stop } from './lifecycle';
import type { Service, ServiceContext } from './service';
import { InfraPaths, type InfraSettings } from './settings';
import { freePort } from '../../test/support/ports';

const SERVER = `
const [port, flag] = process.argv.slice(1);
require('node:http').createServer((req, res) => res.end(flag)).listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const answer = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text();

let home: string;
let port: number;
let flag = 'v1';
const marker = `fingerprint-test-${randomUUID()}`;
let stranger: ChildProcess | undefined;

const args = () => ['-e', SERVER, String(port), flag, marker];
const service = (): Service => ({
  // Any service name works for the lifecycle; this one's real module is never involved.
  name: 'redis',
  address: 'test',
  // Not set in the test's environment, so the service is not "external".
  connectionVariables: ['TEMPORAL_UI_URL'],
  ports: [port],
  processMarker: marker,
  readyTimeoutMs: 20_000,
  stopSignal: 'SIGTERM',
  stopGraceMs: 5000,
  missingAptPackages: () => [],
  probe: async () => void (await answer(port)),
  install: async () => undefined,
  start: async (ctx) => spawnDetached(process.execPath, args(), { logFile: ctx.logFile }),
  commandFingerprint: () => commandFingerprint(process.execPath, args()),
});

let ctx: ServiceContext;
let settings: InfraSettings;
const up = () => bringUp(service(), ctx, settings, async () => undefined);

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'infra-fingerprint-'));
  port = await freePort();
  const paths = new InfraPaths(home);
  ctx = { paths, progress: { say: () => undefined }, progressIntervalMs: 1000, logFile: paths.log('test') };
  settings = { home, startedFile: undefined, nonInteractive: true };
});

afterAll(async () => {
  if (ctx) await stop(service(), ctx);
  stranger?.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('up with a command-line fingerprint', () => {
  it('starts the server and records the fingerprint of its command line', async () => {
    const outcome = await up();
    expect(outcome.kind).toBe('started');
    expect(await answer(port)).toBe('v1');
    expect(readFingerprint(ctx.paths.fingerprint('redis'))).toBe(
      commandFingerprint(process.execPath, args()),
    );
  });

  it('reuses it while the command line is the same', async () => {
    const outcome = await up();
    expect(outcome.kind).toBe('reused');
  });

  it('restarts it when the command line changed; the new flag is in effect', async () => {
    const before = await up();
    flag = 'v2';
    const outcome = await up();
    expect(outcome.kind).toBe('started');
    expect(outcome.kind === 'started' && before.kind === 'reused' && outcome.pid !== before.pid).toBe(true);
    expect(await answer(port)).toBe('v2');
    expect((await up()).kind).toBe('reused');
  });

  it('restarts a server it started before fingerprints were recorded', async () => {
    rmSync(ctx.paths.fingerprint('redis'));
    expect((await up()).kind).toBe('started');
    expect(await answer(port)).toBe('v2');
  });

  it('leaves alone a server on its port that it did not start, whatever its command line', async () => {
    await stop(service(), ctx);
    stranger = spawn(process.execPath, ['-e', SERVER, String(port), 'stranger', marker], { stdio: 'ignore' });
    await waitUntil('the stranger server', () => answer(port), { timeoutMs: 20_000, intervalMs: 100 });
    flag = 'v3';
    expect((await up()).kind).toBe('reused');
    expect(await answer(port)).toBe('stranger');
  });
});
