/** Redis (Debian's package), in-memory only: the read side's cache needs no persistence. */
import { mkdirSync } from 'node:fs';
import Redis from 'ioredis';
import { LOCAL_DEFAULTS } from '../../../config';
import { LOOPBACK, portOf } from '../lib/ports';
import { spawnDetached } from '../lib/process';
import { findOnPath } from '../lib/which';
import type { Service, ServiceContext } from '../service';

const PORT = portOf(LOCAL_DEFAULTS.REDIS_URL);

export const redis: Service = {
  name: 'redis',
  address: `${LOOPBACK}:${PORT}`,
  connectionVariables: ['REDIS_URL'],
  ports: [PORT],
  processMarker: 'redis-server',
  readyTimeoutMs: 20_000,
  stopSignal: 'SIGTERM',
  stopGraceMs: 10_000,

  missingAptPackages: () => (findOnPath('redis-server') ? [] : ['redis-server']),

  async probe() {
    const client = new Redis({
      host: LOOPBACK,
      port: PORT,
      lazyConnect: true,
      connectTimeout: 2000,
      commandTimeout: 2000, // a stopped (SIGSTOP) server accepts TCP but never answers
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined); // the failed connect() below already reports it
    try {
      await client.connect();
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    } finally {
      client.disconnect();
    }
  },

  async install() {
    // Debian's package is the installation (see missingAptPackages).
  },

  async start(ctx: ServiceContext) {
    const dataDir = ctx.paths.data('redis');
    mkdirSync(dataDir, { recursive: true });
    // Not --daemonize: we detach it ourselves, so its output lands in logs/redis.log.
    return spawnDetached(
      'redis-server',
      ['--bind', LOOPBACK, '--port', String(PORT), '--dir', dataDir, '--save', '', '--appendonly', 'no'],
      { logFile: ctx.logFile, cwd: dataDir },
    );
  },
};
