import { randomUUID } from 'node:crypto';

import type { EventEnvelope } from '../../../domain/shared/events';
import { OutboxStore, type OutboxMessage } from '../../../db/outbox/outbox-store';
import { appendToOutbox, notYetInOutbox } from '../../../db/outbox/outbox-writer';
import { OutboxWakeups } from '../../../db/outbox/outbox-wakeups';
import { shardKeyOf } from '../../../db/outbox/shard';
import { sql } from '../../../db/sql';
import { stepCompletedPayload } from './fixtures';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `perAggregate` events for each of `aggregates` fresh aggregates, in version order. */
function envelopes(aggregates: number, perAggregate = 1): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  for (let a = 0; a < aggregates; a++) {
    const aggregateId = `saga-${randomUUID()}`;
    for (let v = 1; v <= perAggregate; v++) {
      out.push({
        eventId: randomUUID(),
        eventType: 'StepCompleted',
        aggregateType: 'TicketPurchaseSaga',
        aggregateId,
        aggregateVersion: v,
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
        correlationId: aggregateId,
        requestId: `req-${a}`,
        payload: stepCompletedPayload(aggregateId, v),
      });
    }
  }
  return out;
}

describeEachDialect((target) => {
  let t: TestDatabase;
  let store: OutboxStore;

  beforeAll(async () => {
    t = await createTestDatabase(target, { poolMax: 12 });
    store = new OutboxStore(t.db);
  });
  afterAll(async () => t?.drop());

  /** Each test starts from an empty outbox. */
  beforeEach(async () => {
    await t.db.query(sql`DELETE FROM outbox_messages`);
  });

  const write = (batch: EventEnvelope[]) => t.db.transaction((tx) => appendToOutbox(tx, batch));
  const all = { shard: 0, shardCount: 1 };

  it('claims unprocessed rows oldest first, with the envelope and a lease', async () => {
    const batch = envelopes(3, 2);
    await write(batch);
    const claimed = await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 });
    expect(claimed.map((m) => m.id)).toEqual(batch.map((e) => e.eventId));
    const sequences = claimed.map((m) => m.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    const [first] = claimed;
    expect(first).toMatchObject({
      aggregateType: 'TicketPurchaseSaga',
      aggregateId: batch[0]?.aggregateId,
      aggregateVersion: 1,
      eventType: 'StepCompleted',
      shardKey: shardKeyOf(batch[0]!.aggregateId),
      attempts: 0,
      lastError: null,
      quarantinedAt: null,
    });
    expect(first?.envelope).toEqual(batch[0]);
    expect(new Date(first!.claimedUntil!).getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Leased: nobody else gets them while the lease runs.
    expect(await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 })).toEqual([]);
  });

  it('respects the batch limit', async () => {
    await write(envelopes(7));
    expect(await store.claimBatch({ ...all, limit: 5, leaseMs: 60_000 })).toHaveLength(5);
    expect(await store.claimBatch({ ...all, limit: 5, leaseMs: 60_000 })).toHaveLength(2);
  });

  it('concurrent claimers never receive the same row (many rounds)', async () => {
    for (let round = 0; round < 8; round++) {
      const batch = envelopes(120);
      await write(batch);
      const received: OutboxMessage[][] = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const mine: OutboxMessage[] = [];
          for (;;) {
            const claimed = await store.claimBatch({ ...all, limit: 7, leaseMs: 60_000 });
            if (claimed.length === 0) return mine;
            mine.push(...claimed);
          }
        }),
      );
      const ids = received.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length); // no row twice
      expect(ids.sort()).toEqual(batch.map((e) => e.eventId).sort()); // and none missed
      await store.markProcessed(ids);
    }
  });

  it('shards partition the rows by aggregate, keeping each aggregate in version order', async () => {
    const batch = envelopes(40, 3);
    await write(batch);
    const shardCount = 4;
    const byShard = await Promise.all(
      Array.from({ length: shardCount }, (_, shard) =>
        store.claimBatch({ shard, shardCount, limit: 500, leaseMs: 60_000 }),
      ),
    );
    byShard.forEach((messages, shard) => {
      for (const m of messages) expect(shardKeyOf(m.aggregateId) % shardCount).toBe(shard);
      const versionsSeen = new Map<string, number>();
      for (const m of messages) {
        expect(m.aggregateVersion).toBe((versionsSeen.get(m.aggregateId) ?? 0) + 1);
        versionsSeen.set(m.aggregateId, m.aggregateVersion);
      }
    });
    expect(byShard.flat()).toHaveLength(batch.length);
    await expect(store.claimBatch({ shard: 4, shardCount: 4, limit: 1, leaseMs: 1 })).rejects.toThrow(
      /shard/,
    );
  });

  it('re-offers a claimed but unmarked row once its lease expires', async () => {
    const batch = envelopes(2);
    await write(batch);
    const first = await store.claimBatch({ ...all, limit: 10, leaseMs: 400 });
    expect(first).toHaveLength(2);
    expect(await store.claimBatch({ ...all, limit: 10, leaseMs: 400 })).toEqual([]);
    await sleep(700);
    const again = await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 });
    expect(again.map((m) => m.id)).toEqual(first.map((m) => m.id));
  });

  it('processed rows are never offered again', async () => {
    const batch = envelopes(3);
    await write(batch);
    const claimed = await store.claimBatch({ ...all, limit: 10, leaseMs: 200 });
    expect(await store.markProcessed(claimed.map((m) => m.id))).toBe(3);
    expect(await store.markProcessed(claimed.map((m) => m.id))).toBe(0); // already processed
    await sleep(400);
    expect(await store.claimBatch({ ...all, limit: 10, leaseMs: 200 })).toEqual([]);
  });

  it('quarantines a row after maxAttempts failures, lists it and requeues it', async () => {
    const [poison, healthy] = envelopes(2);
    await write([poison!, healthy!]);
    const maxAttempts = 3;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const claimed = await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 });
      const row = claimed.find((m) => m.id === poison!.eventId);
      expect(row?.attempts).toBe(attempt - 1);
      const outcome = await store.recordFailure(
        poison!.eventId,
        new Error(`cannot serialize (${attempt})`),
        maxAttempts,
      );
      expect(outcome).toEqual({ attempts: attempt, quarantined: attempt === maxAttempts });
      await store.markProcessed(claimed.filter((m) => m.id !== poison!.eventId).map((m) => m.id));
    }
    // The poison row no longer blocks anything and is no longer offered.
    expect(await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 })).toEqual([]);
    const quarantined = await store.listQuarantined();
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({
      id: poison!.eventId,
      attempts: 3,
      lastError: 'Error: cannot serialize (3)',
    });
    expect(quarantined[0]?.quarantinedAt).not.toBeNull();
    expect(await store.backlog()).toMatchObject({ pending: 0, quarantined: 1 });

    expect(await store.requeueQuarantined([poison!.eventId])).toBe(1);
    const retried = await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 });
    expect(retried.map((m) => [m.id, m.attempts])).toEqual([[poison!.eventId, 0]]);
    expect(await store.listQuarantined()).toEqual([]);
  });

  it('a failure before maxAttempts re-offers the row after retryAfterMs', async () => {
    const [row] = envelopes(1);
    await write([row!]);
    await store.claimBatch({ ...all, limit: 1, leaseMs: 60_000 });
    expect(await store.recordFailure(row!.eventId, 'broker unavailable', 5, 300)).toEqual({
      attempts: 1,
      quarantined: false,
    });
    expect(await store.claimBatch({ ...all, limit: 1, leaseMs: 60_000 })).toEqual([]);
    await sleep(600);
    expect((await store.claimBatch({ ...all, limit: 1, leaseMs: 60_000 })).map((m) => m.lastError)).toEqual([
      'broker unavailable',
    ]);
  });

  it('requeue without ids puts every quarantined row back', async () => {
    const batch = envelopes(3);
    await write(batch);
    for (const e of batch) await store.recordFailure(e.eventId, 'poison', 1);
    expect(await store.listQuarantined()).toHaveLength(3);
    expect(await store.requeueQuarantined()).toBe(3);
    expect(await store.claimBatch({ ...all, limit: 10, leaseMs: 60_000 })).toHaveLength(3);
  });

  it('purges processed rows older than the cutoff, in batches, and nothing else', async () => {
    const batch = envelopes(25);
    await write(batch);
    const processed = batch.slice(0, 20).map((e) => e.eventId);
    await store.markProcessed(processed);
    expect(await store.purgeProcessed(new Date(Date.now() - 3_600_000))).toBe(0); // too recent
    expect(await store.purgeProcessed(new Date(Date.now() + 60_000), 7)).toBe(20);
    const { rows } = await t.db.query(sql`SELECT COUNT(*) AS n FROM outbox_messages`);
    expect(Number(rows[0]?.n)).toBe(5); // the unprocessed ones survive
  });

  it('reports the backlog: pending count and the age of the oldest pending row', async () => {
    expect(await store.backlog()).toEqual({
      pending: 0,
      quarantined: 0,
      oldestPendingCreatedAt: null,
      oldestPendingAgeMs: null,
    });
    await write(envelopes(4));
    await sleep(250);
    const backlog = await store.backlog();
    expect(backlog.pending).toBe(4);
    expect(backlog.oldestPendingAgeMs).toBeGreaterThanOrEqual(200);
    expect(backlog.oldestPendingAgeMs).toBeLessThan(60_000);
    const perShard = await Promise.all([0, 1].map((shard) => store.backlog({ shard, shardCount: 2 })));
    expect(perShard[0]!.pending + perShard[1]!.pending).toBe(4);
  });

  it('sifts out the events whose aggregate version is written, whatever their event id', async () => {
    const [first, second, third] = envelopes(1, 3);
    const [other] = envelopes(1, 1);
    if (!first || !second || !third || !other) throw new Error('fixture');
    await write([first, other]);
    // The same versions raised again under new ids (a reset run), plus one never written.
    const again = [first, second, third].map((e) => ({ ...e, eventId: randomUUID() }));
    const unwritten = await notYetInOutbox(t.db, [...again, { ...other, aggregateVersion: 2 }]);
    expect(unwritten.map((e) => [e.aggregateId, e.aggregateVersion])).toEqual([
      [second.aggregateId, 2],
      [third.aggregateId, 3],
      [other.aggregateId, 2],
    ]);
    expect(await notYetInOutbox(t.db, [])).toEqual([]);
  });

  it('refuses malformed envelopes and ids before SQL', async () => {
    const [good] = envelopes(1);
    await expect(write([{ ...good!, eventId: 'not-a-uuid' }])).rejects.toThrow(/eventId/);
    await expect(write([{ ...good!, aggregateVersion: 0 }])).rejects.toThrow(/aggregateVersion/);
    await expect(store.markProcessed(["1' OR '1'='1"])).rejects.toThrow();
  });

  it('wakes an armed shard waiter early when a row of its shard commits, others time out', async () => {
    const wakeups = await OutboxWakeups.start(t.db);
    try {
      const [event] = envelopes(1);
      const owner = shardKeyOf(event!.aggregateId) % 2;
      const mine = wakeups.arm({ shard: owner, shardCount: 2 });
      const other = wakeups.arm({ shard: 1 - owner, shardCount: 2 });
      await write([event!]); // committed after arming, before waiting: must not be missed
      const started = Date.now();
      const [woke, otherWoke] = await Promise.all([mine.wait(1_500), other.wait(300)]);
      if (wakeups.pushes) {
        expect(woke).toBe(true);
        expect(Date.now() - started).toBeLessThan(1_000);
      } else {
        expect(woke).toBe(false); // SQL Server: a plain poll interval
      }
      expect(otherWoke).toBe(false);
      const aborted = new AbortController();
      const pending = wakeups.arm({ shard: 0, shardCount: 1 }).wait(10_000, aborted.signal);
      aborted.abort();
      expect(await pending).toBe(false);
    } finally {
      await wakeups.close();
    }
  });

  if (target.dialect === 'postgres') {
    it('notifies LISTENing relays with the shard key when rows commit', async () => {
      const received: string[] = [];
      const unlisten = await t.db.listen('outbox', (payload) => received.push(payload));
      try {
        const batch = envelopes(2);
        await write(batch);
        for (let i = 0; i < 50 && received.length < 2; i++) await sleep(20);
        expect(received.sort()).toEqual(batch.map((e) => String(shardKeyOf(e.aggregateId))).sort());
      } finally {
        await unlisten!();
      }
    });
  } else {
    it('has no LISTEN: relays poll', async () => {
      expect(await t.db.listen('outbox', () => undefined)).toBeNull();
    });
  }
});
