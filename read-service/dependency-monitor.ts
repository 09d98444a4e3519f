/**
 * Probes Kafka, Redis and MongoDB in the background and publishes each as a grpc.health.v1
 * service (`dependency.<name>`). Answering a health Check is then a map lookup however often it
 * is asked (the load balancer makes every API node ask once a second), Watch streams changes, and
 * the state is at most one interval plus one probe timeout old.
 *
 * What the read service does with each one down (the gateway decides what it needs from this):
 * MongoDB holds the views, so misses fail; Redis is only a cache, so queries go to MongoDB; Kafka
 * only feeds the projections, so queries are answered from views that stop advancing.
 */
import { once } from 'node:events';

import type Redis from 'ioredis';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Logger } from 'pino';

import { CheckLog, HEALTH_CHECK_TIMEOUT_MS, runProbe, type Probe } from '../health/checks';
import {
  dependencyServiceName,
  READ_DEPENDENCIES,
  Serving,
  type HealthState,
  type ReadDependency,
} from './health';

export interface DependencyMonitorOptions {
  readonly probes: Record<ReadDependency, Probe>;
  /** Pause between the end of one round of probes and the start of the next. */
  readonly intervalMs: number;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export class DependencyMonitor {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly log: CheckLog | undefined;

  constructor(
    private readonly health: HealthState,
    private readonly options: DependencyMonitorOptions,
  ) {
    this.log = options.logger && new CheckLog(options.logger);
  }

  /** One round before returning, so the first Check already tells the truth; then every interval. */
  async start(): Promise<void> {
    await this.checkAll();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async checkAll(): Promise<void> {
    await Promise.all(
      READ_DEPENDENCIES.map(async (dependency) => {
        const outcome = await runProbe(this.options.probes[dependency], this.options.timeoutMs);
        // After stop() the server's shutdown owns the statuses (all NOT_SERVING).
        if (this.stopped) return;
        const up = outcome.status === 'Healthy';
        this.health.set(dependencyServiceName(dependency), up ? Serving.SERVING : Serving.NOT_SERVING);
        this.log?.record(dependency, outcome);
      }),
    );
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.checkAll().then(() => this.schedule()), this.options.intervalMs);
  }
}

/**
 * A Metadata round trip to the brokers on an admin client of its own: no retries and short
 * timeouts (the consumer's client retries for minutes, which is right for consuming and wrong for
 * a probe). A failed probe drops the connection so the next one starts afresh.
 */
export function kafkaProbe(
  brokers: readonly string[],
  clientId: string,
  timeoutMs = HEALTH_CHECK_TIMEOUT_MS,
): { probe: Probe; close(): Promise<void> } {
  const admin: Admin = new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  return {
    probe: async () => {
      try {
        await admin.connect();
        await admin.describeCluster();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
    },
    close: () => admin.disconnect(),
  };
}

/**
 * PING on the cache's own client. That client queues nothing while disconnected (cacheRedis), so
 * a connection still being made (at start, or an attempt of a reconnect) is given the probe's
 * time to get ready instead of failing at once.
 */
export function redisProbe(redis: Redis, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Probe {
  return async () => {
    if (redis.status === 'connecting' || redis.status === 'connect') {
      await once(redis, 'ready', { signal: AbortSignal.timeout(timeoutMs) });
    }
    return redis.ping();
  };
}
