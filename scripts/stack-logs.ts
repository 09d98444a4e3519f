/**
 * `npm run stack`'s output for a person: every process logs one pino JSON record a line (what a
 * log collector wants), and concurrently prefixes each line with the process name. Here the JSON
 * after that prefix is formatted by pino-pretty, one line per record (an error's stack on the
 * lines below, each prefixed too). Anything that is not a pino record passes through unchanged.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { prettyFactory } from 'pino-pretty';

export type Prettifier = (record: object) => string;

/** pino-pretty as the stack shows it: local clock time, the prefix already names the process. */
export const stackPrettifier = (colorize: boolean): Prettifier =>
  prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });

const isPinoRecord = (value: unknown): value is { level: number; time: unknown } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { level?: unknown }).level === 'number' &&
  'time' in value;

/** One output line (`<prefix>{...json...}`) with its record formatted; other lines as they are. */
export function prettyLine(line: string, pretty: Prettifier): string {
  const start = line.indexOf('{');
  if (start < 0) return line;
  let record: unknown;
  try {
    record = JSON.parse(line.slice(start));
  } catch {
    return line;
  }
  if (!isPinoRecord(record)) return line;
  const prefix = line.slice(0, start);
  return pretty(record)
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

/** A stream for concurrently's `outputStream`: whole lines, each through prettyLine. */
export function prettyLogStream(pretty: Prettifier): Transform {
  let partial = '';
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done: TransformCallback) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      done(null, lines.map((line) => prettyLine(line, pretty) + '\n').join(''));
    },
    flush(done: TransformCallback) {
      done(null, partial === '' ? '' : prettyLine(partial, pretty) + '\n');
    },
  });
}
