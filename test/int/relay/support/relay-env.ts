/**
 * Everything one relay test file owns: a fresh write database and reporting database (migrated),
 * its own Kafka topic, Temporal task queue and relay workflow id prefix, and the configuration
 * that points a relay worker (in this process or a child) at them.
 */
import type { Kafka } from 'kafkajs';
import { logLevel, Kafka as KafkaClient } from 'kafkajs';

import { loadConfig, type Config } from '../../../../config';
import { OutboxStore } from '../../../../db';
import { createTestTopic, type TestTopic } from '../../../support/kafka';
import { uniqueTaskQueue } from '../../../support/temporal';
import {
  availableDialects,
  createTestDatabase,
  REPORTING_MIGRATIONS,
  WRITE_MIGRATIONS,
  type TestDatabase,
} from '../../db/helpers';

export interface RelayTestEnv {
  /** The variables a relay worker needs (merged over process.env for a child process). */
  readonly env: Readonly<Record<string, string>>;
  readonly config: Config;
  readonly write: TestDatabase;
  readonly reporting: TestDatabase;
  readonly store: OutboxStore;
  readonly kafka: Kafka;
  readonly topic: string;
  /** Drops the databases and deletes the topic (and the given consumer groups). */
  cleanup(groupIds?: readonly string[]): Promise<void>;
}

export interface RelayEnvOptions {
  /** RELAY_* and other overrides, e.g. { RELAY_SHARDS: '1' }. */
  readonly overrides?: Record<string, string>;
  readonly partitions?: number;
}

export async function createRelayTestEnv(name: string, options: RelayEnvOptions = {}): Promise<RelayTestEnv> {
  const base = loadConfig();
  const brokers = options.overrides?.KAFKA_BROKERS ?? base.KAFKA_BROKERS.join(',');
  const kafka = new KafkaClient({
    clientId: `it-relay-${name}`,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const [target] = availableDialects().targets.filter((t) => t.dialect === 'postgres');
  if (!target) throw new Error('relay tests need PostgreSQL');
  const prefix = `relay_${name}`.replace(/[^a-z0-9_]/g, '_');
  const write = await createTestDatabase(target, { prefix, migrations: WRITE_MIGRATIONS, poolMax: 5 });
  const reporting = await createTestDatabase(target, {
    prefix: `${prefix}_rep`,
    migrations: REPORTING_MIGRATIONS,
    poolMax: 5,
  });
  const topic: TestTopic = await createTestTopic(kafka, `relay-${name}`, options.partitions ?? 3);
  const taskQueue = uniqueTaskQueue(`relay-${name}`);
  const env: Record<string, string> = {
    LOG_LEVEL: 'fatal',
    WRITE_DB_URL: write.url,
    REPORTING_DB_URL: reporting.url,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: topic.topic,
    RELAY_TASK_QUEUE: taskQueue,
    RELAY_WORKFLOW_ID_PREFIX: taskQueue,
    RELAY_SHARDS: '2',
    RELAY_METRICS_INTERVAL_MS: '0',
    DB_POOL_MAX: '5',
    ...options.overrides,
  };
  return {
    env,
    config: loadConfig({ ...process.env, ...env }),
    write,
    reporting,
    store: new OutboxStore(write.db),
    kafka,
    topic: topic.topic,
    async cleanup(groupIds = []) {
      await topic.remove(groupIds).catch(() => undefined);
      await Promise.all([write.drop(), reporting.drop()]);
    },
  };
}
