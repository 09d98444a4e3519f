/**
 * Wires the read service: MongoDB views, Redis cache, the Kafka consumer group and the gRPC
 * server, one process. Tests start it with their own topic, database, key prefix and port.
 */
import Redis from 'ioredis';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { Logger } from 'pino';

import { ensureTopic } from '../providers/kafka/topic';
import type { Config } from '../config';
import { ViewCache } from './cache';
import { ViewConsumer } from './consumer';
import { DeadLetters } from './dead-letter';
import { DependencyMonitor, kafkaProbe, redisProbe } from './dependency-monitor';
import { GenerationTracker } from './generation';
import { createVerifier } from '../api/auth/verifier';
import type { ReadAccess } from './access';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server';
import { Projector, type ProjectorDeps, type ProjectorListener } from './projector';
import { SeatFeed } from './seat-feed';
import { ReadQueries } from './queries';
import { ViewStore, type StageListener } from './store';

/** How often a running service looks for a rebuild's generation swap. */
export const GENERATION_POLL_MS = 1000;

/** How often Kafka, Redis and MongoDB are probed for the health service (dependency-monitor.ts). */
export const DEPENDENCY_PROBE_MS = 1000;

export interface ReadServiceOptions {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClientId: string;
  readonly topic: string;
  readonly topicPartitions: number;
  readonly groupId: string;
  readonly dlqTopic: string;
  readonly mongoUrl: string;
  /** Defaults to the database named in mongoUrl. */
  readonly mongoDb?: string;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  readonly grpcPort: number;
  /** Loopback unless READ_GRPC_HOST says otherwise. */
  readonly grpcHost: string;
  /** Service token and caller checks (access.ts). */
  readonly access: ReadAccess;
  /** Serve the diagnostic Echo (READ_GRPC_DIAGNOSTICS, proto/cinema/read/v1/diagnostics.proto). */
  readonly grpcDiagnostics?: boolean;
  readonly cacheTtlSeconds: number;
  readonly redisTimeoutMs: number;
  readonly mongoTimeoutMs: number;
  readonly generationPollMs: number;
  readonly dependencyProbeMs: number;
  readonly logger?: Logger;
  readonly onProjected?: ProjectorListener;
  /** Called after each projected batch's writes landed (projector.ts `afterBatch`). */
  readonly afterBatch?: ProjectorDeps['afterBatch'];
  /** Where each batch's time goes, stage by stage (the read benchmark prints it). */
  readonly onStage?: StageListener;
}

export function readServiceOptions(
  config: Config,
  overrides: Partial<ReadServiceOptions> = {},
): ReadServiceOptions {
  return {
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaClientId: `${config.KAFKA_CLIENT_ID}-read`,
    topic: config.KAFKA_TOPIC,
    topicPartitions: config.KAFKA_TOPIC_PARTITIONS,
    groupId: config.READ_CONSUMER_GROUP,
    dlqTopic: config.READ_DLQ_TOPIC,
    mongoUrl: config.MONGO_URL,
    redisUrl: config.REDIS_URL,
    redisKeyPrefix: config.READ_CACHE_KEY_PREFIX,
    grpcPort: config.READ_GRPC_PORT,
    grpcHost: config.READ_GRPC_HOST,
    grpcDiagnostics: config.READ_GRPC_DIAGNOSTICS,
    access: {
      serviceToken: config.READ_SERVICE_TOKEN,
      callers: createVerifier(config),
    },
    cacheTtlSeconds: config.READ_CACHE_TTL_SECONDS,
    redisTimeoutMs: config.READ_REDIS_TIMEOUT_MS,
    mongoTimeoutMs: config.READ_MONGO_TIMEOUT_MS,
    generationPollMs: GENERATION_POLL_MS,
    dependencyProbeMs: DEPENDENCY_PROBE_MS,
    ...overrides,
  };
}

export interface ReadService {
  readonly grpc: RunningGrpcServer;
  readonly store: ViewStore;
  readonly cache: ViewCache;
  readonly generation: GenerationTracker;
  readonly redis: Redis;
  stop(): Promise<void>;
}

/** Redis that fails fast instead of queueing: a query must not wait for a Redis that is down. */
export function cacheRedis(url: string, keyPrefix: string, timeoutMs: number): Redis {
  const redis = new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    // Keep reconnecting forever, so the cache comes back on its own after an outage.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  redis.on('error', () => undefined); // each failed command is handled where it is issued
  return redis;
}

export function readKafka(o: Pick<ReadServiceOptions, 'kafkaBrokers' | 'kafkaClientId'>): Kafka {
  return new Kafka({ clientId: o.kafkaClientId, brokers: [...o.kafkaBrokers], logLevel: logLevel.NOTHING });
}

export async function startReadService(o: ReadServiceOptions): Promise<ReadService> {
  const log = o.logger;
  const mongo = new MongoClient(o.mongoUrl, {
    serverSelectionTimeoutMS: o.mongoTimeoutMs,
    connectTimeoutMS: o.mongoTimeoutMs,
  });
  await mongo.connect();
  const store = new ViewStore(o.mongoDb ? mongo.db(o.mongoDb) : mongo.db());
  const generation = await GenerationTracker.start(store, o.generationPollMs);
  await store.ensureIndexes(generation.current);

  const redis = cacheRedis(o.redisUrl, o.redisKeyPrefix, o.redisTimeoutMs);
  const cache = new ViewCache(redis, o.cacheTtlSeconds, () => `g${generation.current}`);
  const grpc = await startGrpcServer(
    new ReadQueries(store, cache, generation, o.mongoTimeoutMs),
    o.grpcPort,
    { host: o.grpcHost, access: o.access, diagnostics: o.grpcDiagnostics },
  );
  const kafkaHealth = kafkaProbe(o.kafkaBrokers, `${o.kafkaClientId}-health`);
  const monitor = new DependencyMonitor(grpc.health, {
    probes: {
      kafka: kafkaHealth.probe,
      redis: redisProbe(redis),
      mongo: () => mongo.db('admin').command({ ping: 1 }),
    },
    intervalMs: o.dependencyProbeMs,
    logger: log,
  });
  await monitor.start();

  const kafka = readKafka(o);
  await ensureTopic(kafka, { topic: o.topic, partitions: o.topicPartitions });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const listener: ProjectorListener = (outcome, info) => {
    // One line per record, with its request id and saga id: a purchase can be followed here too.
    switch (outcome) {
      case 'applied':
        log?.info({ ...info }, 'event projected');
        break;
      case 'dead-lettered':
        log?.warn({ ...info }, 'poison event dead-lettered');
        break;
    }
    o.onProjected?.(outcome, info);
  };
  const seatFeed = SeatFeed.connect(o.redisUrl, o.redisKeyPrefix, log);
  const projector = new Projector({
    store,
    cache,
    deadLetters: new DeadLetters(producer, o.dlqTopic),
    generation: () => generation.current,
    listener,
    // Live seat maps (seat-feed.ts): published once the batch's writes are durable.
    afterBatch: async (changes) => {
      await seatFeed.publish(changes.showtimeIds);
      await o.afterBatch?.(changes);
    },
    onHookError: (e) => log?.warn({ err: e }, 'afterBatch hook failed'),
    onStage: o.onStage,
  });
  const consumer = new ViewConsumer(kafka, projector, {
    topic: o.topic,
    groupId: o.groupId,
    fromBeginning: true,
    onError: (e) => log?.warn({ err: e }, 'projection failed; retrying the same record'),
    onStage: o.onStage,
  });
  await consumer.start();
  log?.info(
    { port: grpc.port, topic: o.topic, group: o.groupId, generation: generation.current },
    'read service started',
  );

  return {
    grpc,
    store,
    cache,
    generation,
    redis,
    stop: async () => {
      // Stop answering first (health NOT_SERVING, in-flight calls finish), then stop consuming:
      // the consumer commits what it finished and leaves the rest to the next group member.
      monitor.stop();
      await grpc.stop();
      await consumer.stop();
      await producer.disconnect();
      seatFeed.close();
      await kafkaHealth.close();
      generation.stop();
      cache.close();
      redis.disconnect();
      await mongo.close();
    },
  };
}
