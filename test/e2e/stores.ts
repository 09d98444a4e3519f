/**
 * Every store of one e2e stack, read directly (never through the services under test), so a test
 * can prove a batch of refused requests changed nothing anywhere: the write database (every row of
 * every table), the Kafka topics (end offset of each partition), the MongoDB views (each
 * collection's count and content), the read service's Redis cache (every key under the stack's
 * prefix, with the tag generations' values), the rate-limit counters, and Temporal (the workflows
 * on the stack's saga task queue).
 *
 * `settle()` first waits until the pipeline is idle (no outbox row waits for the relay and the
 * read service's consumer group has committed up to the end of the topic), so a snapshot holds
 * still and an event that a refused request let through cannot be "in flight" and missed.
 */
import { createHash } from 'node:crypto';
import { Connection, Client } from '@temporalio/client';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db';
import type { Database } from '../../db/database';
import { sql } from '../../db/sql';
import { dumpAllRows } from '../int/api/sql-inspection';
import { eventually, type Stack } from './stack';

export interface StoreSnapshot {
  /** Every row of every table of the write database, as text. */
  readonly sql: string;
  /** `topic/partition` -> end offset, for the events topic and the dead-letter topic. */
  readonly kafka: Readonly<Record<string, string>>;
  /** Collection -> count and a digest of its documents. */
  readonly mongo: Readonly<Record<string, string>>;
  /** Cache key -> its value for tag generations (counters), `entry` for cached answers. */
  readonly cache: Readonly<Record<string, string>>;
  /** Rate-limit keys (their counters move with every attempt; see `rateLimitKeys`). */
  readonly rateLimitKeys: readonly string[];
  /** Workflow executions on the stack's saga task queue (Temporal visibility). */
  readonly workflows: number;
}

export interface Stores {
  /** Waits until no outbox row waits and the read service has consumed every event. */
  settle(): Promise<void>;
  snapshot(): Promise<StoreSnapshot>;
  /** The Temporal client (no codec: it only lists and describes). */
  readonly temporal: Client;
  close(): Promise<void>;
}

export async function openStores(stack: Stack): Promise<Stores> {
  const env = stack.env;
  // Brokers, Redis and Temporal are the machine's, as for the stack's children.
  const config = loadConfig();
  const db: Database = openDatabase(env.WRITE_DB_URL!, { poolMax: 2 });
  const kafka = new Kafka({
    clientId: 'e2e-stores',
    brokers: [...config.KAFKA_BROKERS],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const mongo = new MongoClient(env.MONGO_URL!, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  const topics = [env.KAFKA_TOPIC!, env.READ_DLQ_TOPIC!];
  const endOffsets = async (): Promise<Record<string, string>> => {
    const existing = new Set(await admin.listTopics());
    const out: Record<string, string> = {};
    for (const topic of topics) {
      // The dead-letter topic comes into being with its first record.
      if (!existing.has(topic)) {
        out[topic] = 'absent';
        continue;
      }
      for (const p of await admin.fetchTopicOffsets(topic)) out[`${topic}/${p.partition}`] = p.high;
    }
    return out;
  };
  const scan = async (match: string): Promise<string[]> => {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match, count: 500 })) keys.push(...(batch as string[]));
    return keys.sort();
  };

  return {
    temporal,
    settle: async () => {
      await eventually(async () => {
        const { rows } = await db.query(
          sql`SELECT count(*) AS n FROM outbox_messages WHERE processed_at IS NULL`,
        );
        if (Number(rows[0]?.n) !== 0) return undefined;
        const ends = await admin.fetchTopicOffsets(env.KAFKA_TOPIC!);
        const [committed] = await admin.fetchOffsets({
          groupId: env.READ_CONSUMER_GROUP!,
          topics: [env.KAFKA_TOPIC!],
        });
        const at = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
        return ends.every((e) => e.high === '0' || at.get(e.partition) === e.high) ? true : undefined;
      }, 250);
    },
    snapshot: async () => {
      const mongoViews: Record<string, string> = {};
      for (const { name } of await mongo.db().listCollections({}, { nameOnly: true }).toArray()) {
        const docs = await mongo.db().collection(name).find({}).sort({ _id: 1 }).toArray();
        const digest = createHash('sha256').update(JSON.stringify(docs)).digest('hex').slice(0, 16);
        mongoViews[name] = `${docs.length} documents, ${digest}`;
      }
      const cache: Record<string, string> = {};
      for (const key of await scan(`${env.READ_CACHE_KEY_PREFIX!}*`)) {
        cache[key] = key.includes(':tag:') ? String(await redis.get(key)) : 'entry';
      }
      const { count } = await temporal.workflow.count(`TaskQueue = '${env.SAGA_TASK_QUEUE!}'`);
      return {
        sql: await dumpAllRows(db),
        kafka: await endOffsets(),
        mongo: mongoViews,
        cache,
        rateLimitKeys: await scan(`${env.RATE_LIMIT_KEY_PREFIX!}:*`),
        workflows: count,
      };
    },
    close: async () => {
      // The stack's shutdown drops its cache keys; the rate-limit counters are this file's too.
      await scan(`${env.RATE_LIMIT_KEY_PREFIX!}:*`)
        .then((keys) => (keys.length > 0 ? redis.del(...keys) : 0))
        .catch(() => 0);
      await Promise.allSettled([
        db.close(),
        admin.disconnect(),
        mongo.close(),
        connection.close(),
        redis.quit(),
      ]);
    },
  };
}
