/**
 * `npm run codec-server`: the codec server for the Temporal Web UI and CLI (codec/app.ts).
 * Prints the endpoint to give each of them; SIGINT/SIGTERM stop it.
 */
import pino from 'pino';
import { DEV_ONLY_CODEC_SECRETS, loadConfig } from '../config';
import { assertProductionReady } from '../config/production-guards';
import { startCodecServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  assertProductionReady(config, ['codec-keys', 'codec-token']);
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'codec-server' } });
  const devToken = config.CODEC_TOKEN === DEV_ONLY_CODEC_SECRETS.CODEC_TOKEN;
  if (devToken) logger.warn('CODEC_TOKEN is the public development token: set your own for real data');
  if (config.TEMPORAL_CODEC_KEYS.has(DEV_ONLY_CODEC_SECRETS.TEMPORAL_CODEC_ACTIVE_KEY_ID)) {
    logger.warn('TEMPORAL_CODEC_KEYS holds the public development key: set your own for real data');
  }
  const server = await startCodecServer(config, logger);
  // A real token is not printed (output may end up in a log collector); the public one is.
  const token = devToken ? config.CODEC_TOKEN : '<CODEC_TOKEN>';
  console.log(`codec server on ${server.base}
  Web UI codec endpoint:  ${server.base}/${token}
  CLI:  temporal workflow show -w <id> --codec-endpoint ${server.base} --codec-auth 'Bearer ${token}'`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
