/**
 * Live seat changes for the web app: once a projected batch's writes are durable (and its cache
 * tags invalidated), the id of every showtime whose seats it changed is published on Redis pub/sub
 * (the projector's `afterBatch` hook, wired in service.ts). The gateway
 * subscribes per showtime and pushes the fresh seat map to browsers as server-sent events, so a
 * browser never polls a database (api/gateway/seat-stream.ts).
 *
 * Publishing is best effort: a lost message leaves a browser's map stale only until the next change
 * of that showtime or its next reconnect (the gateway re-sends the map on every (re)subscription),
 * so a Redis outage must not hold up the projection.
 */
import Redis from 'ioredis';
import type { Logger } from 'pino';

/** The pub/sub channel of one showtime; the prefix keeps two stacks on one Redis apart. */
export const seatChannel = (prefix: string, showtimeId: string): string => `${prefix}seats:${showtimeId}`;

/** What is published: the showtime, and when (epoch ms), for the commit-to-screen benchmark. */
export interface SeatChange {
  readonly showtimeId: string;
  readonly publishedAt: number;
}

export class SeatFeed {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {}

  static connect(url: string, prefix: string, logger?: Logger): SeatFeed {
    // Fails fast instead of queueing (as the cache's client): a publish must not wait for Redis.
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250 });
    redis.on('error', () => undefined); // each failed publish is logged where it is issued
    return new SeatFeed(redis, prefix, logger);
  }

  /** Publishes one message per showtime; never throws. */
  async publish(showtimeIds: Iterable<string>): Promise<void> {
    const publishedAt = Date.now();
    await Promise.all(
      [...new Set(showtimeIds)].map(async (showtimeId) => {
        const change: SeatChange = { showtimeId, publishedAt };
        try {
          await this.redis.publish(seatChannel(this.prefix, showtimeId), JSON.stringify(change));
        } catch (e) {
          this.logger?.warn({ err: e, showtimeId }, 'seat change not published');
        }
      }),
    );
  }

  close(): void {
    this.redis.disconnect();
  }
}
