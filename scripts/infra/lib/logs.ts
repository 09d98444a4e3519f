/** Log files: every service and every install step writes only to its own file under logs/. */
import { closeSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Opens a log for appending (creating its folder) and stamps what is about to write to it. */
export function openLog(path: string, banner: string): number {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} ${banner}\n`);
  return fd;
}

export function closeLog(fd: number): void {
  closeSync(fd);
}

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Text of a file from byte `start` on, at most `maxBytes` of its end; '' when it does not exist. */
export function readFrom(path: string, start: number, maxBytes = 256 * 1024): string {
  const size = fileSize(path);
  const from = Math.max(start, size - maxBytes);
  if (size <= from) return '';
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(size - from);
    let offset = 0;
    while (offset < buffer.length) {
      const read = readSync(fd, buffer, offset, buffer.length - offset, from + offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The last `lines` lines of a file, or '' when it does not exist yet. */
export function tailFile(path: string, lines: number): string {
  const text = readFrom(path, 0).replace(/\s+$/, '');
  return text === '' ? '' : text.split('\n').slice(-lines).join('\n');
}
