/**
 * What a step shows while it runs. Services report through this small interface so they do not
 * depend on listr2; long steps (builds, downloads) follow their log file and show the elapsed time.
 */
import { fileSize, readFrom } from './logs';

export interface Progress {
  /** Replaces the one-line status shown under the service's task. */
  say(text: string): void;
}

export const silentProgress: Progress = { say: () => undefined };

export interface LogWatch {
  stop(): void;
}

/**
 * Every `intervalMs`, calls `describe` with the text appended to `logFile` since the watch began
 * and shows "<describe> · <elapsed>". On CI the interval is long so the log stays readable.
 */
export function watchLog(
  progress: Progress,
  logFile: string,
  intervalMs: number,
  describe: (appended: string) => string,
): LogWatch {
  const startedAt = Date.now();
  const startOffset = fileSize(logFile);
  const tick = () => {
    const elapsed = Math.round((Date.now() - startedAt) / 1000);
    const clock = `${Math.floor(elapsed / 60)}m${String(elapsed % 60).padStart(2, '0')}s`;
    progress.say(`${describe(readFrom(logFile, startOffset))} · ${clock}`);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return { stop: () => clearInterval(timer) };
}

/** The last non-empty line of some text, shortened for a one-line status. */
export function lastLine(text: string, max = 100): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const line = (lines[lines.length - 1] ?? '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
