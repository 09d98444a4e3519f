/** Entry point of the load balancer (`npm run lb`): LB_PORT in front of API_UPSTREAMS. */
import pino from 'pino';
import { loadConfig } from '../../config';
import { createBalancer } from './balancer';

const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'lb' } });
const { server } = createBalancer({
  upstreams: config.API_UPSTREAMS,
  healthIntervalMs: config.LB_HEALTH_INTERVAL_MS,
  logger,
  maxBodyBytes: config.LB_MAX_BODY_BYTES,
  maxConcurrentRequests: config.LB_MAX_CONCURRENT_REQUESTS,
  timeouts: config,
});
server.listen(config.LB_PORT, () =>
  logger.info({ port: config.LB_PORT, upstreams: config.API_UPSTREAMS }, 'load balancer listening'),
);
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
