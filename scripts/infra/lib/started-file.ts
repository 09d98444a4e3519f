/** INFRA_STARTED_FILE: the services one `up` really started, so CI stops those and no others. */
import { appendFileSync, readFileSync } from 'node:fs';

export function recordStarted(file: string | undefined, service: string): void {
  if (file) appendFileSync(file, `${service}\n`);
}

export function readStarted(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [
    ...new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}
