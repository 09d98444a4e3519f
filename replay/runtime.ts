/**
 * The SDK Runtime for replay: its routine logs (each replay worker's start and stop, Core's warning
 * for every failed workflow task) are off, and so is the log of a failed activation, because the
 * report says the same thing readably. Anything else at error level still shows.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

const REPORTED = 'Failed to process Workflow Activation';

export function installReplayRuntime(): void {
  Runtime.install({
    logger: new DefaultLogger('ERROR', (entry) => {
      if (entry.message !== REPORTED) console.error(`[${entry.level}] ${entry.message}`, entry.meta ?? '');
    }),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
}
