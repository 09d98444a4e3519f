/**
 * Redis cache-aside with tag generations, so a cached answer is never older than its view.
 *
 * An entry is the answer as the wire carries it, the encoded proto message, so a hit is sent as
 * it was read, with no decoding and no encoding (queries.ts). Entries live under `pb:` keys: a
 * process of an earlier release (JSON entries under `e:`) never reads one, nor this one theirs.
 *
 * Every entry belongs to one tag (cache-tags.ts). A tag has a generation counter; an entry is
 * stored under `<key>@<tag generation>`. A view change increments the tags it touches, which
 * makes every older entry unreachable at once. A reader that loaded from MongoDB before the
 * change stores its answer only if the tag generation is still the one it read before loading
 * (checked inside Redis by a script), so a slow reader cannot put a stale answer back.
 * Counters outlive their entries (2x TTL, refreshed on every store), so a counter never restarts
 * at a generation whose entries still exist.
 *
 * Redis down: reads and stores fail fast (no offline queue, short command timeout) and the caller
 * goes to MongoDB. An invalidation that could not reach Redis is kept and retried; until it lands
 * this process does not read the cache at all, because the entries it failed to invalidate may
 * still be there.
 */
import type Redis from 'ioredis';

const READ_SCRIPT = `
local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', KEYS[2] .. '@' .. g)}`;

const STORE_SCRIPT = `
local g = redis.call('GET', KEYS[1]) or '0'
if g ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2] .. '@' .. g, ARGV[2], 'EX', ARGV[3])
if g ~= '0' then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]) * 2) end
return 1`;

type ScriptRedis = Redis & {
  /** ioredis's Buffer variant of the `cacheRead` script: the entry's bytes as they are. */
  cacheReadBuffer(tagKey: string, entryKey: string): Promise<[Buffer, Buffer | null]>;
  cacheStore(tagKey: string, entryKey: string, gen: string, value: Uint8Array, ttl: number): Promise<number>;
};

export type CacheLookup = { hit: true; value: Buffer } | { hit: false; tagGeneration: string | null };

export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
}

export class ViewCache {
  private readonly redis: ScriptRedis;
  private readonly pending = new Set<string>();
  private retryTimer: NodeJS.Timeout | null = null;
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0 };

  /** `namespace` is the view generation, so a rebuilt generation starts with an empty cache. */
  constructor(
    redis: Redis,
    private readonly ttlSeconds: number,
    private readonly namespace: () => string,
  ) {
    redis.defineCommand('cacheRead', { numberOfKeys: 2, lua: READ_SCRIPT });
    redis.defineCommand('cacheStore', { numberOfKeys: 2, lua: STORE_SCRIPT });
    this.redis = redis as ScriptRedis;
  }

  tagKey(tag: string): string {
    return `${this.namespace()}:tag:${tag}`;
  }

  entryKey(key: string): string {
    return `${this.namespace()}:pb:${key}`;
  }

  /** False while an invalidation is owed to Redis (see the module comment). */
  get trusted(): boolean {
    return this.pending.size === 0;
  }

  async lookup(tag: string, key: string): Promise<CacheLookup> {
    if (!this.trusted) return { hit: false, tagGeneration: null };
    try {
      const [gen, value] = await this.redis.cacheReadBuffer(this.tagKey(tag), this.entryKey(key));
      if (value !== null) {
        this.stats.hits++;
        return { hit: true, value };
      }
      this.stats.misses++;
      return { hit: false, tagGeneration: gen.toString() };
    } catch {
      this.stats.errors++;
      return { hit: false, tagGeneration: null };
    }
  }

  /** Stores an answer loaded while the tag was at `tagGeneration`; a no-op if it moved since. */
  async store(tag: string, key: string, tagGeneration: string, value: Uint8Array): Promise<void> {
    try {
      await this.redis.cacheStore(
        this.tagKey(tag),
        this.entryKey(key),
        tagGeneration,
        value,
        this.ttlSeconds,
      );
    } catch {
      this.stats.errors++; // the answer is still served; the next reader tries again
    }
  }

  /** Called after every view write, before the offset is committed. Never throws. */
  async invalidate(tags: readonly string[]): Promise<void> {
    for (const t of tags) this.pending.add(this.tagKey(t));
    await this.flush();
  }

  private async flush(): Promise<void> {
    const keys = [...this.pending];
    if (keys.length === 0) return;
    try {
      const multi = this.redis.multi();
      for (const k of keys) multi.incr(k).expire(k, this.ttlSeconds * 2);
      await multi.exec();
      for (const k of keys) this.pending.delete(k);
    } catch {
      this.stats.errors++;
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, 250);
    }
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
