/**
 * The real relay worker entry (`workers/relay-worker.ts`) as a child process, so a test can
 * SIGKILL it mid-batch. Node runs the TypeScript through tsx's loader in the same process
 * (`node --import tsx`), so the pid we signal is the worker itself, not a launcher.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export interface ChildRelay {
  readonly pid: number;
  /** Resolves once the worker logged that it is polling and the relays are started. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last part of its stdout and stderr, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

export function spawnRelayWorker(
  env: Readonly<Record<string, string>>,
  options: { logLevel?: 'info' | 'debug' } = {},
): ChildRelay {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/relay-worker.ts'], {
    cwd: REPO_ROOT,
    // At least info: the worker's "relay worker running" line is how we know it is ready.
    env: { ...process.env, ...env, LOG_LEVEL: options.logLevel ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start the relay worker');
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000);
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    let lines = '';
    child.stdout.on('data', (chunk: Buffer) => {
      append(chunk);
      lines += chunk.toString();
      if (lines.includes('"msg":"relay worker running"')) resolve();
      lines = lines.slice(lines.lastIndexOf('\n') + 1);
    });
    child.stderr.on('data', append);
    void exited.then(({ code, signal }) =>
      reject(new Error(`relay worker exited (${signal ?? code}) before it was ready:\n${output}`)),
    );
  });
  ready.catch(() => undefined); // observed by the caller; never an unhandled rejection
  return {
    pid: child.pid,
    ready,
    exited,
    output: () => output,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
