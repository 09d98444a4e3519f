import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { requestIdLogAttributes } from '../../../workers/request-id-log-attributes';

interface Line {
  readonly level: LogLevel;
  readonly message: string;
  readonly meta: LogMetadata;
}

function capturingLogger(lines: Line[]): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, meta: LogMetadata = {}) =>
      lines.push({ level, message, meta });
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('TRACE'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}

async function run(input: unknown, activity: (input: unknown) => Promise<unknown>): Promise<Line[]> {
  const lines: Line[] = [];
  const env = new MockActivityEnvironment(undefined, {
    interceptors: [requestIdLogAttributes],
    logger: capturingLogger(lines),
  });
  await env.run(activity, input).catch(() => undefined);
  return lines;
}

describe('requestIdLogAttributes', () => {
  it("puts the input's request id on the SDK's failure line of the attempt", async () => {
    const lines = await run({ sagaId: 'purchase-1', requestId: 'req-42' }, () =>
      Promise.reject(new Error('database unreachable')),
    );
    const failed = lines.find((l) => l.message === 'Activity failed');
    expect(failed?.meta).toEqual(expect.objectContaining({ requestId: 'req-42' }));
  });

  it('puts it on the completion line too', async () => {
    const lines = await run({ requestId: 'req-43' }, () => Promise.resolve('ok'));
    expect(lines.find((l) => l.message === 'Activity completed')?.meta).toEqual(
      expect.objectContaining({ requestId: 'req-43' }),
    );
  });

  it('adds nothing when the input has no request id', async () => {
    for (const input of [{ requestId: null }, 'plain', undefined]) {
      const lines = await run(input, () => Promise.resolve('ok'));
      expect(lines.find((l) => l.message === 'Activity completed')?.meta).not.toHaveProperty('requestId');
    }
  });
});
