/** Entry point of the gateway (`npm run gateway`): GATEWAY_PORT, the stack's single entry point. */
import { createServer } from 'node:http';
import pino from 'pino';
import { loadConfig } from '../../config';
import { ReadClient } from '../../read-service/client';
import { createGatewayApp } from './app';

const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'gateway' } });
const read = new ReadClient(config.READ_SERVICE_ADDRESS);
const server = createServer(createGatewayApp({ read, lbAddress: config.LB_ADDRESS, logger, auth: config }));
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
