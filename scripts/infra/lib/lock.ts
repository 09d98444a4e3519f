/**
 * One `up`/`down` at a time per INFRA_HOME: engineers share the machine's services, and two
 * concurrent `up`s would both try to start the same server. Hand-written (a pid in an O_EXCL file)
 * because it is a dozen lines and a lock library would add a dependency for that alone.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive } from './process';
import { sleep } from './wait';

export async function withLock<T>(
  path: string,
  onWait: (holder: number) => void,
  body: () => Promise<T>,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readText(path), 10);
    // No pid yet: the holder is between create and write, unless the file is old (it crashed).
    const stale = Number.isInteger(holder) ? !isAlive(holder) : ageMs(path) > 5000;
    if (stale) {
      // Two waiters breaking the same stale lock at the same instant could both proceed; that
      // needs a crashed holder and a simultaneous pair of waiters, and is accepted.
      rmSync(path, { force: true });
      continue;
    }
    if (!announced && Number.isInteger(holder)) onWait(holder);
    announced ||= Number.isInteger(holder);
    await sleep(1000);
  }
  const release = () => rmSync(path, { force: true });
  process.once('exit', release);
  try {
    return await body();
  } finally {
    release();
    process.removeListener('exit', release);
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
