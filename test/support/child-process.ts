/** Private servers a test spawns itself (a Redis, a FerretDB) and takes down as an outage. */
import type { ChildProcess } from 'node:child_process';

/** SIGKILL (an outage, not a shutdown), resolved once the process has exited. */
export function killAndWait(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** For `waitUntil`'s giveUpIf: a server that exited will never answer. */
export const exitedReason = (child: ChildProcess | null) => (): string | undefined =>
  child && (child.exitCode !== null || child.signalCode !== null)
    ? `exited (${child.exitCode ?? child.signalCode})`
    : undefined;
