/**
 * Kafka stopped for 30 s while events keep being written: nothing is lost, the backlog drains
 * once the broker is back, no row is blamed (quarantined) for the outage, and the relay
 * workflows stay open throughout. The broker is a private one (support/private-kafka.ts), stopped
 * and restarted for real, so the shared broker other tests use is never disturbed.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { sql } from '../../../db';
import { relayStatusQuery } from '../../../workflows/relay-contract';
import { connectTestTemporal } from '../../support/temporal';
import { sagaEvents, writeEvents } from './support/events';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { readTopic, type TopicReader } from './support/kafka-reader';
import { PrivateKafka } from './support/private-kafka';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { sleep, waitFor } from './support/wait';

jest.setTimeout(420_000);

const OUTAGE_MS = 30_000;

describe('outbox relay through a 30 s Kafka outage', () => {
  let broker: PrivateKafka;
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let relay: InProcessRelay;
  let reader: TopicReader;
  let writing = true;
  let writer: Promise<void>;
  const during: { statuses: string[]; pending: number } = { statuses: [], pending: 0 };

  const processed = async () =>
    Number(
      (
        await env.write.db.query(
          sql`SELECT count(*) AS n FROM outbox_messages WHERE processed_at IS NOT NULL`,
        )
      ).rows[0]?.n,
    );
  const relayStates = async () =>
    Promise.all(relay.handles.map(async (h) => (await h.describe()).status.name as string));

  beforeAll(async () => {
    broker = await PrivateKafka.create();
    await broker.start();
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('outage', {
      overrides: { KAFKA_BROKERS: broker.brokers, RELAY_SHARDS: '2', RELAY_BATCH_SIZE: '50' },
    });
    relay = await startInProcessRelay(temporal, env);

    // 20 events every 100 ms, until the test says stop.
    writer = (async () => {
      while (writing) {
        await writeEvents(env.write.db, sagaEvents(10, 2));
        await sleep(100);
      }
    })();

    await waitFor('the relay to deliver before the outage', async () => (await processed()) >= 100);
    await broker.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      await sleep(5_000);
      during.statuses.push(...(await relayStates()));
    }
    during.pending = (await env.store.backlog()).pending;
    await broker.start();
    await sleep(2_000);
    writing = false;
    await writer;

    await waitFor(
      'the backlog to drain after the outage',
      async () => (await env.store.backlog()).pending === 0,
      {
        timeoutMs: 300_000,
        intervalMs: 1000,
        detail: () => env.store.backlog(),
      },
    );
    reader = await readTopic(env.kafka, env.topic);
    const total = Number(
      (await env.write.db.query(sql`SELECT count(*) AS n FROM outbox_messages`)).rows[0]?.n,
    );
    await waitFor('every event on Kafka', () => reader.ids().size >= total, {
      detail: () => ({ seen: reader.ids().size, total }),
    });
  });

  afterAll(async () => {
    writing = false;
    await writer?.catch(() => undefined);
    await reader?.stop();
    await relay?.terminate();
    await relay?.stop();
    await env?.cleanup(reader ? [reader.groupId] : []);
    await temporal?.teardown();
    await broker?.remove();
  });

  it('built up a backlog while Kafka was down', () => {
    expect(during.pending).toBeGreaterThan(0);
  });

  it('loses nothing: every event written before, during and after reaches Kafka', async () => {
    const { rows } = await env.write.db.query<{ id: string }>(sql`SELECT id FROM outbox_messages`);
    expect(reader.ids()).toEqual(new Set(rows.map((r) => r.id)));
  });

  it('quarantines nothing: an outage is not a poison row', async () => {
    expect(await env.store.listQuarantined()).toEqual([]);
    const statuses = await Promise.all(relay.handles.map((h) => h.query(relayStatusQuery)));
    expect(statuses.map((s) => s.rowFailures)).toEqual([0, 0]);
  });

  it('kept the relay workflows open during and after the outage', async () => {
    expect(during.statuses.length).toBeGreaterThan(0);
    expect(new Set(during.statuses)).toEqual(new Set(['RUNNING']));
    expect(await relayStates()).toEqual(['RUNNING', 'RUNNING']);
  });
});
