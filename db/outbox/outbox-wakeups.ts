/**
 * Early wake-ups for an idle relay. PostgreSQL's outbox trigger NOTIFYs channel `outbox` with the
 * row's shard key at commit; one LISTEN connection per process fans that out to the shards
 * waiting here. SQL Server has no equivalent, so there every wait simply runs to its timeout
 * (plain polling).
 *
 * Arm before claiming, wait after an empty claim: a row committed while the claim ran still
 * wakes the waiter.
 *
 *   const wake = wakeups.arm({ shard, shardCount });
 *   const batch = await store.claimBatch(...);
 *   if (batch.length === 0) await wake.wait(30_000, signal); else wake.cancel();
 */
import type { Database, Unlisten } from '../database';
import { assertShard } from './shard';

export const OUTBOX_CHANNEL = 'outbox';

export interface ShardScope {
  readonly shard: number;
  readonly shardCount: number;
}

export interface ArmedWait {
  /** Resolves true when a row of the shard was committed since arming, false on timeout or abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  cancel(): void;
}

interface Waiter extends ShardScope {
  notified: boolean;
  settle?: (notified: boolean) => void;
}

export class OutboxWakeups {
  private readonly waiters = new Set<Waiter>();

  private unlisten: Unlisten | null = null;

  private constructor() {}

  static async start(db: Database): Promise<OutboxWakeups> {
    const wakeups = new OutboxWakeups();
    wakeups.unlisten = await db.listen(OUTBOX_CHANNEL, (payload) => wakeups.notify(payload));
    return wakeups;
  }

  /** Whether the database pushes notifications (false: waits are plain timeouts). */
  get pushes(): boolean {
    return this.unlisten !== null;
  }

  arm(scope: ShardScope): ArmedWait {
    assertShard(scope.shard, scope.shardCount);
    const waiter: Waiter = { ...scope, notified: false };
    this.waiters.add(waiter);
    const cancel = () => {
      this.waiters.delete(waiter);
    };
    return {
      cancel,
      wait: (timeoutMs, signal) =>
        new Promise<boolean>((resolve) => {
          const finish = (notified: boolean) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            cancel();
            resolve(notified);
          };
          const onAbort = () => finish(false);
          const timer = setTimeout(() => finish(false), timeoutMs);
          if (waiter.notified) return finish(true);
          if (signal?.aborted) return finish(false);
          signal?.addEventListener('abort', onAbort, { once: true });
          waiter.settle = finish;
        }),
    };
  }

  private notify(payload: string): void {
    const shardKey = Number(payload);
    if (!Number.isInteger(shardKey)) return;
    for (const waiter of this.waiters) {
      if (shardKey % waiter.shardCount !== waiter.shard) continue;
      waiter.notified = true;
      waiter.settle?.(true);
    }
  }

  async close(): Promise<void> {
    for (const waiter of [...this.waiters]) waiter.settle?.(false);
    this.waiters.clear();
    await this.unlisten?.();
  }
}
