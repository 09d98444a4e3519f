/** Entry point of the gateway (`npm run gateway`): GATEWAY_PORT, the stack's single entry point. */
import pino from 'pino';
import { loadConfig } from '../../config';
import { assertProductionReady } from '../../config/production-guards';
import { ReadClient } from '../../read-service/client';
import { createGuardedServer } from '../http/slow-clients';
import { createGatewayApp } from './app';

const config = loadConfig();
assertProductionReady(config, ['signing-key', 'read-service-token']);
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'gateway' } });
const read = new ReadClient(config.READ_SERVICE_ADDRESS, { serviceToken: config.READ_SERVICE_TOKEN });
const server = createGuardedServer(
  createGatewayApp({
    read,
    lbAddress: config.LB_ADDRESS,
    logger,
    auth: config,
    limits: {
      maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
      maxConcurrentRequests: config.GATEWAY_MAX_CONCURRENT_REQUESTS,
    },
  }),
  config,
);
server.listen(config.GATEWAY_PORT, () =>
  logger.info(
    { port: config.GATEWAY_PORT, lb: config.LB_ADDRESS, readService: config.READ_SERVICE_ADDRESS },
    'gateway listening',
  ),
);
const stop = () => {
  server.close(() => {
    read.close();
    process.exit(0);
  });
  server.closeIdleConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
