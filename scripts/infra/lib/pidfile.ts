/** run/<service>.pid: the pid of the process `up` started, checked against its command line. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { commandLine, isAlive } from './process';

export function writePid(path: string, pid: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}\n`);
}

export function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removePid(path: string): void {
  rmSync(path, { force: true });
}

/**
 * The pid in the file if that process is alive and still is the service (its command line
 * contains `marker`); pids get reused, and a stale file must never make us signal a stranger.
 */
export function livePid(path: string, marker: string): number | undefined {
  const pid = readPid(path);
  return pid !== undefined && isOurs(pid, marker) ? pid : undefined;
}

export function isOurs(pid: number, marker: string): boolean {
  return isAlive(pid) && commandLine(pid).includes(marker);
}
