/** Entry of the read service process (`npm run read-service`): start, and stop cleanly on a signal. */
import pino from 'pino';

import { loadConfig } from '../config';
import { assertProductionReady } from '../config/production-guards';
import { readServiceOptions, startReadService } from './service';

async function main(): Promise<void> {
  const config = loadConfig();
  assertProductionReady(config, ['signing-key', 'read-service-token']);
  const logger = pino({ name: 'read-service', level: config.LOG_LEVEL });
  const service = await startReadService(readServiceOptions(config, { logger }));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    service.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
