/**
 * A batch that updates more existing view documents than FerretDB v1 has connections per
 * database (100) still completes. FerretDB keeps each matched update statement's query open until
 * the whole `update` command ends, one pooled connection each, so one bulk write of more than about
 * 99 updates to existing documents waits forever for a connection (store.ts splits them).
 */
import type { KafkaMessage } from 'kafkajs';

import { Projector } from '../../../read-service/projector';
import { ViewStore } from '../../../read-service/store';
import { materialize } from '../../../read-service/views';
import { createTestMongo, type TestMongo } from '../../support/mongo';
import { purchaseStory } from './harness';

let mongo: TestMongo;

beforeAll(async () => {
  mongo = await createTestMongo('read_large_batch');
});

afterAll(async () => {
  await mongo?.close();
});

const asRecords = (events: readonly object[]): KafkaMessage[] =>
  events.map((e, i) => ({
    key: null,
    value: Buffer.from(JSON.stringify(e)),
    offset: String(i),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }));

test('a batch updating 150 existing tickets lands whole', async () => {
  const store = new ViewStore(mongo.db);
  const projector = new Projector({
    store,
    cache: null,
    deadLetters: {
      park: async (_m, _o, reason) => {
        throw new Error(`unexpected poison: ${reason}`);
      },
    },
    generation: () => 1,
  });
  const origin = { topic: 'large-batch', partition: 0, groupId: 'large-batch' };
  const stories = Array.from({ length: 150 }, () => purchaseStory());

  await projector.handleBatch(asRecords(stories.map((s) => s.ticketIssued)), origin);
  // Every document of this batch exists already: tickets, ticket numbers, customer lists.
  await projector.handleBatch(asRecords(stories.map((s) => s.ticketUsed)), origin);

  for (const s of [stories[0]!, stories[149]!]) {
    const ticket = materialize((await store.findById('tickets', s.ids.ticketId, 1))!);
    expect(ticket).toMatchObject({ status: 'Used', version: 2, customerId: s.ids.customerId });
    const list = await store.findById('customer_tickets', s.ids.customerId, 1);
    expect(Object.keys((list?.tickets ?? {}) as object)).toHaveLength(1);
  }
  const used = await store.collection('tickets', 1).countDocuments({ 'states.v2.status': 'Used' });
  expect(used).toBe(150);
});
