/** Entry point of the gateway (`npm run gateway`): GATEWAY_PORT, the stack's single entry point. */
import Redis from 'ioredis';
import pino from 'pino';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db';
import { assertProductionReady } from '../../config/production-guards';
import { ReadClient } from '../../read-service/client';
import { createGuardedServer } from '../http/slow-clients';
import { createGateway } from './app';

const config = loadConfig();
assertProductionReady(config, ['signing-key', 'read-service-token']);
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'gateway' } });
const read = new ReadClient(config.READ_SERVICE_ADDRESS, { serviceToken: config.READ_SERVICE_TOKEN });
// Subscribed channels are re-subscribed on reconnect; nothing else runs on this connection.
const subscriber = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const reporting = openDatabase(config.REPORTING_DB_URL, { poolMax: 2 });
const gateway = createGateway({
  read,
  lbAddress: config.LB_ADDRESS,
  logger,
  auth: config,
  limits: {
    maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
    maxConcurrentRequests: config.GATEWAY_MAX_CONCURRENT_REQUESTS,
    maxSeatStreams: config.GATEWAY_MAX_SEAT_STREAMS,
  },
  // The read service's key prefix also names its pub/sub channels (two stacks, one Redis).
  seatFeed: { subscriber, channelPrefix: config.READ_CACHE_KEY_PREFIX },
  reporting,
});
const server = createGuardedServer(gateway.app, config);
server.listen(config.GATEWAY_PORT, () =>
  logger.info(
    { port: config.GATEWAY_PORT, lb: config.LB_ADDRESS, readService: config.READ_SERVICE_ADDRESS },
    'gateway listening',
  ),
);
const stop = () => {
  gateway.close(); // event streams never go idle: end them, or close() would wait forever
  server.close(() => {
    read.close();
    void reporting.close().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
