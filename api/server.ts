/**
 * Entry point of an API node (`npm run api`): read the config, connect to the write database and
 * Temporal, listen on API_PORT, and on SIGTERM/SIGINT drain (GET /health answers 503 for
 * API_DRAIN_MS while requests are still served, so the load balancer stops sending any; requests
 * waiting for a saga's result answer 202 at once), stop accepting connections, let requests in
 * flight finish, then close Temporal and the database pool.
 */
import Redis from 'ioredis';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { codecPlugin } from '../codec/data-converter';
import { loadConfig } from '../config';
import { assertProductionReady } from '../config/production-guards';
import { openDatabase } from '../db/connect';
import { readRepositories, UnitOfWork } from '../db/unit-of-work';
import { tokenizeCard } from '../providers/payment';
import { ReadClient } from '../read-service/client';
import { createApp } from './app';
import { AbuseLimits } from './http/abuse-limits';
import { createGuardedServer } from './http/slow-clients';

/** A shutdown that takes longer than this is stuck: exit anyway so the orchestrator can move on. */
const SHUTDOWN_GRACE_MS = 20_000;

async function main(): Promise<void> {
  const config = loadConfig();
  assertProductionReady(config, ['signing-key', 'codec-keys', 'payments']);
  const nodeId = config.API_NODE_ID ?? `api-${config.API_PORT}`;
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'api', node: nodeId } });

  const db = openDatabase(config.WRITE_DB_URL, { poolMax: config.DB_POOL_MAX });
  // The codec plugin: workflow inputs and results travel encrypted (codec/).
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    plugins: [codecPlugin(config)],
  });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  // Only for GET /health (kafka, redis, mongo as the read service sees them); lazy, never required.
  const readService = new ReadClient(config.READ_SERVICE_ADDRESS);

  // Rate-limit counters shared by every node. No offline queue: while Redis is down a call fails
  // at once and the limiter falls back to its per-node memory (api/http/abuse-limits.ts).
  const stopping = new AbortController();
  const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => logger.warn({ err: error }, 'rate-limit Redis unavailable'));
  const app = createApp({
    config: { ...config, nodeId },
    db,
    uow: new UnitOfWork(db),
    repos: readRepositories(db),
    temporal,
    tokenizer: { tokenizeCard },
    limits: new AbuseLimits(redis, config),
    logger,
    readService,
    shutdown: stopping.signal,
  });
  const server = createGuardedServer(app, config);
  server.listen(config.API_PORT, () => logger.info({ port: config.API_PORT }, 'API node listening'));

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    setTimeout(() => closeServer(), config.API_DRAIN_MS);
  };
  const closeServer = () => {
    logger.info('drained; closing the listener');
    server.close(async (error) => {
      // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
      try {
        readService.close();
        redis.disconnect();
        await connection.close();
        await db.close();
      } catch (closeError) {
        logger.error({ err: closeError }, 'error while closing connections');
      }
      logger.info('stopped');
      process.exitCode = error ? 1 : 0;
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // Configuration problems list every bad variable; anything else is a failed connection.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
