/**
 * Normal operation: events written through the unit of work and the outbox writer reach Kafka
 * exactly once each, in per-aggregate order, keyed and with the envelope headers, and the
 * reporting database is projected. Real PostgreSQL, Kafka and Temporal; relay worker in-process.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';

import { ensureTopic } from '../../../activities/relay';
import { getShowtimeSales, sql, UnitOfWork } from '../../../db';
import { reconcileRelays, ensureRelays } from '../../../workers/relay/relays';
import { relayStatusQuery } from '../../../workflows/relay-contract';
import { uniqueName } from '../../support/unique';
import { connectTestTemporal } from '../../support/temporal';
import { sagaEvents, writeEvents, writePurchases, type Purchases } from './support/events';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { messagesOnTopic, readTopic, versionsByAggregate, type TopicReader } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { waitFor } from './support/wait';

jest.setTimeout(180_000);

describe('outbox relay under normal operation', () => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let relay: InProcessRelay;
  let reader: TopicReader;
  let purchases: Purchases;
  let written: number;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('delivery', { overrides: { RELAY_SHARDS: '2', RELAY_BATCH_SIZE: '50' } });
    relay = await startInProcessRelay(temporal, env);

    purchases = await writePurchases(new UnitOfWork(env.write.db), 3);
    await writeEvents(env.write.db, sagaEvents(40, 10), 25);
    written = Number((await env.write.db.query(sql`SELECT count(*) AS n FROM outbox_messages`)).rows[0]?.n);

    await waitFor('the outbox to drain', async () => (await env.store.backlog()).pending === 0, {
      timeoutMs: 120_000,
      detail: () => env.store.backlog(),
    });
    reader = await readTopic(env.kafka, env.topic);
    await waitFor('every event on Kafka', () => reader.ids().size >= written, {
      detail: () => ({ seen: reader.ids().size, written }),
    });
  });

  afterAll(async () => {
    await reader?.stop();
    await relay?.terminate();
    await relay?.stop();
    await env?.cleanup(reader ? [reader.groupId] : []);
    await temporal?.teardown();
  });

  it('publishes every outbox row exactly once', async () => {
    const { rows } = await env.write.db.query<{ id: string }>(sql`SELECT id FROM outbox_messages`);
    expect(written).toBe(3 * 6 + 1 + 400); // 6 events per purchase, ShowtimeCreated, 400 saga events
    expect(reader.ids()).toEqual(new Set(rows.map((r) => r.id)));
    // Every row is marked, so every publish has happened: the topic holds exactly one copy each.
    expect(await messagesOnTopic(env.kafka, env.topic)).toBe(written);
  });

  it('keeps each aggregate in one partition, in version order', () => {
    const partitions = new Map<string, Set<number>>();
    for (const m of reader.messages)
      partitions.set(m.key, (partitions.get(m.key) ?? new Set()).add(m.partition));
    expect([...partitions.values()].every((p) => p.size === 1)).toBe(true);
    for (const versions of versionsByAggregate(reader.messages).values()) {
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  it('keys by aggregate id and carries the envelope headers', () => {
    for (const m of reader.messages) {
      expect(m.key).toBe(m.envelope.aggregateId);
      expect(m.headers).toEqual({
        eventId: m.envelope.eventId,
        eventType: m.envelope.eventType,
        occurredAt: m.envelope.occurredAt,
        schemaVersion: String(m.envelope.schemaVersion),
      });
    }
    const types = new Set(reader.messages.map((m) => m.envelope.eventType));
    expect(types).toEqual(
      new Set([
        'ShowtimeCreated',
        'ReservationCreated',
        'ReservationConfirmed',
        'PaymentCreated',
        'PaymentProcessingStarted',
        'PaymentCompleted',
        'TicketIssued',
        'StepCompleted',
      ]),
    );
  });

  it('projects the sales into the reporting database', async () => {
    const sales = await getShowtimeSales(env.reporting.db, purchases.scheduled.showtime.id);
    expect(sales).toMatchObject({
      ticketsIssued: purchases.tickets,
      seatsSold: purchases.seats,
      seatsOccupied: purchases.seats,
      grossRevenueMinor: purchases.revenueMinor,
      netRevenueMinor: purchases.revenueMinor,
      capacity: 40,
    });
  });

  it('reports its counters and lag through the relayStatus query', async () => {
    const query = () => Promise.all(relay.handles.map((h) => h.query(relayStatusQuery)));
    // The relays record a batch when its activity returns, a moment after the rows are marked.
    await waitFor('both relays to record their last batch', async () =>
      (await query()).every((s) => s.lag?.pending === 0),
    );
    const statuses = await query();
    expect(statuses.map((s) => s.shard)).toEqual([0, 1]);
    expect(statuses.reduce((sum, s) => sum + s.events, 0)).toBe(written);
    for (const status of statuses) {
      expect(status).toMatchObject({ shardCount: 2, rowFailures: 0, quarantinedByRelay: 0 });
      expect(status.lag).toMatchObject({ pending: 0, quarantined: 0, oldestPendingAgeMs: null });
      expect(status.eventsPerSecond).toBeGreaterThan(0);
    }
  });

  it('starts no second relay when another worker ensures the same shards', async () => {
    const again = await ensureRelays(temporal.client, relay.fleet);
    expect(again.map((h) => h.firstExecutionRunId)).toEqual(relay.handles.map((h) => h.firstExecutionRunId));
    for (const handle of relay.handles) {
      expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
    }
  });

  it('signals changed settings to running relays and refuses another shard count', async () => {
    const silent = pino({ level: 'silent' });
    const changed = { ...relay.fleet, settings: { ...relay.fleet.settings, batchSize: 77 } };
    await reconcileRelays(relay.handles, changed, silent);
    await waitFor('the new batch size', async () =>
      (await Promise.all(relay.handles.map((h) => h.query(relayStatusQuery)))).every(
        (s) => s.settings.batchSize === 77,
      ),
    );
    await expect(reconcileRelays(relay.handles, { ...changed, shardCount: 3 }, silent)).rejects.toThrow(
      /runs with 2 shards, this worker is configured for 3/,
    );
  });

  it('creates the events topic with the configured partitions only when it is missing', async () => {
    const topic = uniqueName('it.relay-topic').replace(/_/g, '-');
    expect(await ensureTopic(env.kafka, { topic, partitions: 5 })).toBe(true);
    expect(await ensureTopic(env.kafka, { topic, partitions: 9 })).toBe(false);
    const admin = env.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0]?.partitions).toHaveLength(5);
      await admin.deleteTopics({ topics: [topic] });
    } finally {
      await admin.disconnect();
    }
  });
});
