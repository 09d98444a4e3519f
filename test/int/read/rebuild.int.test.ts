/**
 * Rebuild: every view recreated from the topic's beginning into a new generation and swapped in
 * while the service keeps answering; a rebuild into an empty MongoDB reproduces the same views.
 */
import type { Db } from 'mongodb';

import { SeatState } from '../../../proto/gen/cinema/read/v1/read';
import { fieldKey, STORE_COLLECTIONS as VIEW_NAMES } from '../../../read-service/views';
import { rebuildViews } from '../../../read-service/rebuild';
import { ViewStore } from '../../../read-service/store';
import type { ReadClient } from '../../../read-service/client';
import type { ReadService } from '../../../read-service/service';
import { createTestMongo, type TestMongo } from '../../support/mongo';
import { createHarness, envelope, eventually, purchaseStory, type Harness } from './harness';

let h: Harness;
let empty: TestMongo;
let client: ReadClient;
let service: ReadService;

beforeAll(async () => {
  h = await createHarness('rebuild', 3);
  empty = await createTestMongo('read_rebuild_empty');
  ({ client, service } = await h.start());
});

afterAll(async () => {
  await empty?.close();
  await h?.close();
});

async function views(db: Db, generation: number): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const v of VIEW_NAMES) {
    out[v] = await db.collection(`${v}_g${generation}`).find({}).sort({ _id: 1 }).toArray();
  }
  return out;
}

test('rebuild while answering, and from an empty MongoDB, reproduces the views', async () => {
  const stories = [purchaseStory(), purchaseStory(), purchaseStory()];
  for (const s of stories) await h.publish(...s.all, s.ticketUsed);
  await h.producer.send({ topic: h.topic.topic, messages: [{ key: 'poison', value: '{' }] });
  for (const s of stories) {
    await eventually(async () => {
      // Every aggregate of the story, since they sit on different partitions.
      const [p, t, pay, map] = await Promise.all([
        client.getPurchaseSummary({ sagaId: s.ids.sagaId }),
        client.getTicket({ ticketId: s.ids.ticketId }),
        client.getPayment({ paymentId: s.ids.paymentId }),
        client.getSeatMap({ showtimeId: s.ids.showtimeId }),
      ]);
      const sold = map.taken.filter((x) => x.state === SeatState.SEAT_STATE_SOLD).length;
      if (p.status !== 'Completed' || t.status !== 'Used' || pay.status !== 'Completed' || sold !== 2) {
        throw new Error('not yet');
      }
    });
  }
  const before = await views(h.mongo.db, 1);
  expect(before.tickets).toHaveLength(3);

  // Queries keep being answered through the whole rebuild.
  let answering = true;
  let answered = 0;
  const failures: unknown[] = [];
  const queries = (async () => {
    while (answering) {
      await client.getTicket({ ticketId: stories[0]!.ids.ticketId }).then(
        () => answered++,
        (e: unknown) => failures.push(e),
      );
      await client
        .getSeatMap({ showtimeId: stories[1]!.ids.showtimeId })
        .catch((e: unknown) => failures.push(e));
    }
  })();

  const late = purchaseStory();
  const rebuilding = rebuildViews(h.kafka, service.store, {
    topic: h.topic.topic,
    groupIdPrefix: h.groupId,
    generationPollMs: 200,
  });
  await h.publish(late.showtime); // arrives while the rebuild runs
  const result = await rebuilding;
  answering = false;
  await queries;

  expect(result).toMatchObject({ previous: 1, generation: 2 });
  expect(failures).toEqual([]);
  expect(answered).toBeGreaterThan(0);
  expect(service.generation.current).toBe(2);
  await expect(client.getShowtime({ showtimeId: late.ids.showtimeId })).resolves.toMatchObject({
    movieTitle: 'Inception',
  });
  const collections = (await h.mongo.db.listCollections().toArray()).map((c) => c.name);
  expect(collections.filter((n) => n.endsWith('_g1'))).toEqual([]);

  const after = await views(h.mongo.db, 2);
  // Everything but what the late showtime added: its document, its movie's list, its list entries.
  const lateIds = [late.ids.showtimeId, `movie:${late.ids.movieId}`];
  const withoutLate = (d: unknown) => {
    const doc = d as { _id: string; entries?: Record<string, unknown> };
    if (!doc.entries) return doc;
    const entries = { ...doc.entries };
    delete entries[fieldKey(late.ids.showtimeId)];
    return { ...doc, entries };
  };
  for (const v of VIEW_NAMES) {
    expect(after[v]!.filter((d) => !lateIds.includes((d as { _id: string })._id)).map(withoutLate)).toEqual(
      before[v],
    );
  }

  // From an empty database: the same documents, generation 2 of that database.
  const fresh = await rebuildViews(h.kafka, new ViewStore(empty.db), {
    topic: h.topic.topic,
    groupIdPrefix: `${h.groupId}-empty`,
    generationPollMs: 50,
  });
  expect(fresh).toMatchObject({ previous: 1, generation: 2 });
  expect(await views(empty.db, 2)).toEqual(after);
  expect(await new ViewStore(empty.db).activeGeneration()).toBe(2);
});

test('a new event after the swap lands in the new generation', async () => {
  const s = purchaseStory();
  await h.publish(s.ticketIssued);
  await expect(eventually(() => client.getTicket({ ticketId: s.ids.ticketId }))).resolves.toMatchObject({
    status: 'Issued',
  });
  expect(await h.mongo.db.collection('tickets_g2').countDocuments({ _id: s.ids.ticketId as never })).toBe(1);
  const bumped = envelope('TicketUsed', s.ids.ticketId, 2, {
    ticketId: s.ids.ticketId,
    ticketNumber: s.ids.ticketNumber,
    usedAt: '2025-12-12T19:55:00.000Z',
  });
  await h.publish(bumped);
  await eventually(async () => {
    if ((await h.redis.get(`g2:tag:ticket:${s.ids.ticketId}`)) !== '2')
      throw new Error('not invalidated in g2');
  });
});
