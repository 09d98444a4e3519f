/**
 * Logs captured in memory, so a test can read every line the app and the worker wrote (and prove
 * that no card number is among them).
 */
import pino, { type Logger } from 'pino';

export class LogCapture {
  readonly lines: string[] = [];

  /** A pino logger writing JSON lines here instead of stdout. */
  pino(bindings: Record<string, unknown> = {}): Logger {
    return pino({ level: 'debug', base: bindings }, { write: (line: string) => this.lines.push(line) });
  }

  push(line: string): void {
    this.lines.push(line);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
