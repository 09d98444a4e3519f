/**
 * health/checks.ts without I/O: a probe that rejects, throws synchronously or never settles is
 * Unhealthy (the last after the timeout, with the reason); only a needed check decides the
 * status; a check that starts failing is logged at warn with its dependency, once per outage.
 */
import { LogCapture } from '../../int/api/log-capture';
import {
  CheckLog,
  checkHealth,
  httpStatusOf,
  runProbe,
  type CheckName,
  type Probe,
} from '../../../health/checks';

const ok: Probe = () => Promise.resolve();
const allOk = (): Record<CheckName, Probe> => ({
  database: ok,
  kafka: ok,
  redis: ok,
  mongo: ok,
  temporal: ok,
});

describe('runProbe', () => {
  it('is Healthy when the probe resolves', async () => {
    await expect(runProbe(ok)).resolves.toEqual({ status: 'Healthy' });
  });

  it('is Unhealthy with the message when the probe rejects', async () => {
    await expect(runProbe(() => Promise.reject(new Error('connect ECONNREFUSED')))).resolves.toEqual({
      status: 'Unhealthy',
      reason: 'connect ECONNREFUSED',
    });
  });

  it('is Unhealthy when the probe throws before returning a promise', async () => {
    const throws: Probe = () => {
      throw new Error('bad config');
    };
    await expect(runProbe(throws)).resolves.toEqual({ status: 'Unhealthy', reason: 'bad config' });
  });

  it('gives up on a probe that never settles', async () => {
    const never: Probe = () => new Promise(() => undefined);
    await expect(runProbe(never, 20)).resolves.toEqual({
      status: 'Unhealthy',
      reason: 'no answer within 20 ms',
    });
  });
});

describe('checkHealth', () => {
  it('reports all five checks Healthy: 200', async () => {
    const report = await checkHealth({
      probes: allOk(),
      needs: ['database'],
      log: new CheckLog(new LogCapture().pino()),
    });

    expect(report).toEqual({
      status: 'Healthy',
      checks: {
        database: 'Healthy',
        kafka: 'Healthy',
        redis: 'Healthy',
        mongo: 'Healthy',
        temporal: 'Healthy',
      },
    });
    expect(httpStatusOf(report)).toBe(200);
  });

  it('is Unhealthy (503) when a needed check fails, and names it in a warning', async () => {
    const logs = new LogCapture();
    const probes = { ...allOk(), temporal: () => Promise.reject(new Error('UNAVAILABLE')) };

    const report = await checkHealth({
      probes,
      needs: ['database', 'temporal'],
      log: new CheckLog(logs.pino()),
    });

    expect(report.status).toBe('Unhealthy');
    expect(report.checks.temporal).toBe('Unhealthy');
    expect(httpStatusOf(report)).toBe(503);
    expect(logs.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({
        level: 40,
        dependency: 'temporal',
        needed: true,
        reason: 'UNAVAILABLE',
        msg: 'health check failed',
      }),
    ]);
  });

  it('stays Healthy (200) when only a check it does not need fails, which still shows and is logged', async () => {
    const logs = new LogCapture();
    const probes = { ...allOk(), kafka: () => Promise.reject(new Error('broker down')) };

    const report = await checkHealth({
      probes,
      needs: ['database', 'temporal'],
      log: new CheckLog(logs.pino()),
    });

    expect(report).toEqual({
      status: 'Healthy',
      checks: {
        database: 'Healthy',
        kafka: 'Unhealthy',
        redis: 'Healthy',
        mongo: 'Healthy',
        temporal: 'Healthy',
      },
    });
    expect(httpStatusOf(report)).toBe(200);
    expect(logs.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({ level: 40, dependency: 'kafka', needed: false }),
    ]);
  });

  it('warns once while a check keeps failing, and tells when it passes again', async () => {
    const logs = new LogCapture();
    const log = new CheckLog(logs.pino());
    let redisUp = false;
    const probes = {
      ...allOk(),
      redis: () => (redisUp ? Promise.resolve() : Promise.reject(new Error('down'))),
    };
    const run = () => checkHealth({ probes, needs: ['database'], log });

    await run();
    await run();
    redisUp = true;
    await run();
    await run();

    expect(logs.lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({ level: 40, dependency: 'redis', reason: 'down', msg: 'health check failed' }),
      expect.objectContaining({ level: 30, dependency: 'redis', msg: 'health check passes again' }),
    ]);
  });
});
