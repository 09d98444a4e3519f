/**
 * Wiring every worker process shares: one structured pino logger, the Temporal Runtime logging
 * through it, and graceful shutdown on SIGINT/SIGTERM (the Runtime stops its workers, which
 * finish their current tasks within the grace time, and `worker.run()` resolves).
 */
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { codecPlugin, type CodecConfig } from '../codec/data-converter';
import type { Config } from '../config';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, service: string): Logger {
  return pino({ level: config.LOG_LEVEL, base: { service, pid: process.pid } });
}

const TEMPORAL_LEVEL: Record<Config['LOG_LEVEL'], LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

const PINO_METHOD: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the SDK's logs (worker, workflow `log`, activity context) into `log`. Once per process. */
export function installRuntime(config: Pick<Config, 'LOG_LEVEL'>, log: Logger): void {
  const temporal = log.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LEVEL[config.LOG_LEVEL], (entry) => {
      temporal[PINO_METHOD[entry.level]](entry.meta ?? {}, entry.message);
    }),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
}

/** Every worker created on this connection encrypts its payloads (codec/). */
export function connectTemporal(
  config: Pick<Config, 'TEMPORAL_ADDRESS'> & CodecConfig,
): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, plugins: [codecPlugin(config)] });
}
