/**
 * Redis for tests: a client whose every key gets a unique prefix (ioredis `keyPrefix`), so test
 * files share one server without collisions; `close()` deletes the prefix's keys.
 */
import Redis from 'ioredis';
import { loadConfig, type Config } from '../../config';
import { uniqueName } from './unique';

export interface TestRedis {
  readonly client: Redis;
  /** The prefix ioredis adds to every key this client touches. */
  readonly keyPrefix: string;
  close(): Promise<void>;
}

export function createTestRedis(prefix: string, config: Config = loadConfig()): TestRedis {
  const keyPrefix = `${uniqueName(`it:${prefix}`)}:`;
  const client = new Redis(config.REDIS_URL, { keyPrefix, maxRetriesPerRequest: 2 });
  return {
    client,
    keyPrefix,
    close: async () => {
      try {
        // SCAN's MATCH is not prefixed by ioredis, DEL's arguments are: strip before deleting.
        for await (const keys of client.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
          const names = (keys as string[]).map((key) => key.slice(keyPrefix.length));
          if (names.length > 0) await client.del(...names);
        }
      } finally {
        await client.quit();
      }
    },
  };
}
