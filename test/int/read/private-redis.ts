/** A private redis-server for one test file, so stopping it does not disturb anyone else's Redis. */
import { spawn, type ChildProcess } from 'node:child_process';

import Redis from 'ioredis';

import { waitUntil } from '../../../scripts/infra/lib/wait';
import { exitedReason, killAndWait } from '../../support/child-process';
import { freePort } from '../../support/ports';

export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the server on the same port and waits until it answers PING. */
  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await waitUntil(
        `private redis-server on ${this.port}`,
        async () => {
          try {
            await probe.connect();
            await probe.ping();
          } catch (error) {
            probe.disconnect();
            throw error;
          }
        },
        { timeoutMs: 30_000, intervalMs: 50, giveUpIf: exitedReason(this.child) },
      );
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits for the process to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    await killAndWait(child);
  }
}
