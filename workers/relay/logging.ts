/** The Temporal SDK's own log lines (worker state, workflow and activity logs) through pino. */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Call before any connection or worker is created (the Runtime is process-wide). */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'INFO'): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) =>
      logger[LEVELS[entry.level]]({ ...entry.meta }, entry.message),
    ),
  });
}
