/**
 * A rebuild after the outbox purge is still whole: the events topic keeps every event for good
 * (activities/relay/kafka-topic.ts), so purging processed outbox rows loses nothing a rebuild
 * needs. Purchases go through the real relay, the outbox is purged as if its retention had passed,
 * and the views rebuilt from the topic into an empty MongoDB hold every ticket and sold seat.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigResourceTypes } from 'kafkajs';

import { ensureTopic, KEEP_FOREVER } from '../../../providers/kafka/topic';
import { sql, UnitOfWork } from '../../../db';
import { SeatState } from '../../../proto/gen/cinema/read/v1/read';
import { toSeatMap } from '../../../read-service/mapping';
import { rebuildViews } from '../../../read-service/rebuild';
import { ViewStore } from '../../../read-service/store';
import { createTestMongo, type TestMongo } from '../../support/mongo';
import { connectTestTemporal } from '../../support/temporal';
import { uniqueName } from '../../support/unique';
import { writePurchases } from '../relay/support/events';
import { startInProcessRelay, type InProcessRelay } from '../relay/support/in-process-relay';
import { createRelayTestEnv, type RelayTestEnv } from '../relay/support/relay-env';
import { waitFor } from '../relay/support/wait';

jest.setTimeout(180_000);

let temporal: TestWorkflowEnvironment;
let env: RelayTestEnv;
let relay: InProcessRelay | undefined;
let mongo: TestMongo;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  env = await createRelayTestEnv('rebuild-purge', { overrides: { RELAY_SHARDS: '1' } });
  mongo = await createTestMongo('read_rebuild_purge');
});

afterAll(async () => {
  await relay?.terminate();
  await relay?.stop();
  await mongo?.close();
  await env?.cleanup();
  await temporal?.teardown();
});

test('the events topic keeps every event for good', async () => {
  // The test topic was made without it; the relay worker and read service ensure it at start.
  await ensureTopic(env.kafka, { topic: env.topic, partitions: 3 });
  const admin = env.kafka.admin();
  await admin.connect();
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: env.topic }],
  });
  await admin.disconnect();
  const entries = described.resources[0]!.configEntries;
  for (const { name, value } of KEEP_FOREVER) {
    expect(entries.find((e) => e.configName === name)?.configValue).toBe(value);
  }
});

test('views rebuilt after the outbox purge hold every ticket and sold seat', async () => {
  const purchases = await writePurchases(new UnitOfWork(env.write.db), 3);
  relay = await startInProcessRelay(temporal, env);
  await waitFor('the outbox delivered', async () => (await env.store.backlog()).pending === 0);
  await relay.terminate();
  await relay.stop();
  relay = undefined;

  // As if RELAY_RETENTION_HOURS had passed: every processed row goes.
  expect(await env.store.purgeProcessed(new Date(Date.now() + 3_600_000))).toBeGreaterThan(0);
  const { rows } = await env.write.db.query(sql`SELECT COUNT(*) AS n FROM outbox_messages`);
  expect(Number(rows[0]?.n)).toBe(0);

  const store = new ViewStore(mongo.db);
  const result = await rebuildViews(env.kafka, store, {
    topic: env.topic,
    groupIdPrefix: uniqueName('it-rebuild-purge'),
    generationPollMs: 50,
  });
  expect(await store.collection('tickets', result.generation).countDocuments({})).toBe(purchases.tickets);
  const showtime = await store.findById('showtimes', purchases.scheduled.showtime.id, result.generation);
  const map = toSeatMap(showtime!);
  expect(map.taken).toHaveLength(purchases.seats);
  expect(map.taken.every((t) => t.state === SeatState.SEAT_STATE_SOLD)).toBe(true);
});
