/**
 * run/<service>.fingerprint: a digest of the command line `up` started a server with. `up` reuses
 * a running server, so without it a server started before a flag was added (e.g. the dev
 * server's --ui-codec-endpoint) would run without that flag until someone stopped it by hand.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function commandFingerprint(command: string, args: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([command, ...args]))
    .digest('hex');
}

export function readFingerprint(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function writeFingerprint(path: string, fingerprint: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${fingerprint}\n`);
}

/**
 * Restart a running server only if `up` started it (its pid file names a live process of that
 * service) and it was started with another command line, or before fingerprints were recorded.
 * A server someone else started is never touched.
 */
export function mustRestart(
  wanted: string | undefined,
  recorded: string | undefined,
  ownPid: number | undefined,
) {
  return wanted !== undefined && ownPid !== undefined && recorded !== wanted;
}
