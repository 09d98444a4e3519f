/**
 * The relay worker's long-lived resources: write and reporting pools, the LISTEN connection, the
 * Kafka client and its producers. Built once per process; `close` releases them in order.
 */
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

import { PublisherPool, RelayMetrics, type RelayDependencies } from '../../activities/relay';
import type { Config } from '../../config';
import { CLAIM_SESSION_SETTINGS, openDatabase, OutboxStore, OutboxWakeups, projectEvents } from '../../db';

export interface RelayResources {
  readonly kafka: Kafka;
  readonly store: OutboxStore;
  readonly metrics: RelayMetrics;
  readonly deps: RelayDependencies;
  close(): Promise<void>;
}

export async function openRelayResources(
  config: Config,
  logger: Logger,
  shutdown?: AbortSignal,
): Promise<RelayResources> {
  const writeDb = openDatabase(config.WRITE_DB_URL, {
    poolMax: config.DB_POOL_MAX,
    postgresSettings: CLAIM_SESSION_SETTINGS,
  });
  const reportingDb = openDatabase(config.REPORTING_DB_URL, { poolMax: config.DB_POOL_MAX });
  const wakeups = await OutboxWakeups.start(writeDb);
  if (!wakeups.pushes) logger.info('write database has no LISTEN/NOTIFY: idle relays poll');

  const kafka = new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: [...config.KAFKA_BROKERS],
    // kafkajs logs each failed retry at error level; the activity reports the outcome, so warn.
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      // Expected: retries are bounded on purpose and a failed producer is replaced (kafka-publisher.ts).
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      logger.warn({ kafka: entry.namespace, ...rest }, message);
    },
  });
  const publishers = new PublisherPool(kafka, { topic: config.KAFKA_TOPIC });
  const store = new OutboxStore(writeDb);
  const metrics = new RelayMetrics();

  return {
    kafka,
    store,
    metrics,
    deps: {
      store,
      wakeups,
      project: (envelopes) => projectEvents(reportingDb, envelopes),
      publishers,
      metrics,
      logger,
      maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES,
      shutdown,
    },
    async close() {
      await publishers.close();
      await wakeups.close();
      await Promise.all([writeDb.close(), reportingDb.close()]);
    },
  };
}
