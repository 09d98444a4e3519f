/**
 * How the read side's view writes go out (store.ts), watched on the wire to FerretDB:
 * - writes asked for while one is in flight are merged into the next write: under load fewer,
 *   larger commands instead of a queue of batches, each batch still getting its own documents;
 * - a batch's bulk writes run at once as long as their updates in flight stay within 50 (FerretDB
 *   holds a pooled connection per update until its command ends).
 */
import {
  MongoClient,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
} from 'mongodb';

import { loadConfig } from '../../../config';
import { ViewStore, type BatchWrites } from '../../../read-service/store';
import type { StoreCollection } from '../../../read-service/views';
import { createTestMongo, type TestMongo } from '../../support/mongo';

let mongo: TestMongo;
let monitored: MongoClient;
const commands: string[] = [];
/** Updates sent to FerretDB whose command has not answered yet, by request id; and the most at once. */
const pending = new Map<number, number>();
let mostUpdatesInFlight = 0;
const answered = (e: CommandSucceededEvent | CommandFailedEvent) => pending.delete(e.requestId);

beforeAll(async () => {
  mongo = await createTestMongo('read_merged_writes');
  // Connections opened beforehand: commands sent together are not held up by a connect.
  monitored = new MongoClient(loadConfig().MONGO_URL, { monitorCommands: true, minPoolSize: 8 });
  monitored.on('commandStarted', (e: CommandStartedEvent) => {
    commands.push(e.commandName);
    if (e.commandName !== 'update') return;
    pending.set(e.requestId, (e.command.updates as unknown[]).length);
    let sum = 0;
    for (const n of pending.values()) sum += n;
    mostUpdatesInFlight = Math.max(mostUpdatesInFlight, sum);
  });
  monitored.on('commandSucceeded', answered);
  monitored.on('commandFailed', answered);
  await monitored.connect();
  await Promise.all(Array.from({ length: 8 }, () => monitored.db('admin').command({ ping: 1 })));
});

afterAll(async () => {
  await monitored?.close();
  await mongo?.close();
});

beforeEach(() => {
  commands.length = 0;
  mostUpdatesInFlight = 0;
});

/** Resolves once FerretDB has been sent `n` update commands: the write is in flight. */
async function updatesSent(n: number): Promise<void> {
  while (commands.filter((c) => c === 'update').length < n) await new Promise((r) => setImmediate(r));
}

const tickets = (docs: Record<string, Record<string, unknown>>): BatchWrites =>
  new Map([['tickets', new Map(Object.entries(docs))]]);

test('writes asked for during a write go out together as one, after it', async () => {
  const store = new ViewStore(monitored.db(mongo.db.databaseName));

  const first = store.write(tickets({ t1: { n: 1 } }), 1);
  await updatesSent(1);
  const waiting = [
    store.write(tickets({ t2: { n: 2 } }), 1),
    store.write(tickets({ t3: { n: 3 }, shared: { a: 1 } }), 1),
    store.write(tickets({ t4: { n: 4 }, shared: { b: 2 } }), 1),
  ];
  await Promise.all([first, ...waiting]);

  // One bulk write for the first batch, one for the three that waited (not four).
  expect(commands.filter((c) => c === 'update')).toHaveLength(2);
  const stored = await store.collection('tickets', 1).find().sort({ _id: 1 }).toArray();
  expect(stored).toEqual([
    { _id: 'shared', a: 1, b: 2 },
    { _id: 't1', n: 1 },
    { _id: 't2', n: 2 },
    { _id: 't3', n: 3 },
    { _id: 't4', n: 4 },
  ]);
});

test('each batch of a merged write gets back its own documents, and whose were created', async () => {
  const store = new ViewStore(monitored.db(mongo.db.databaseName));
  await store.write(tickets({ old: { n: 0 } }), 2);

  const first = store.write(tickets({ x: { n: 1 } }), 2);
  await updatesSent(2);
  const mine = store.write(tickets({ a: { n: 1 }, old: { m: 1 } }), 2, undefined, {
    collection: 'tickets',
    ids: new Set(['old']),
  });
  const theirs = store.write(tickets({ b: { n: 2 }, old: { k: 1 } }), 2, undefined, {
    collection: 'tickets',
    ids: new Set(['b']),
  });
  const [, m, t] = await Promise.all([first, mine, theirs]);

  expect([...m.read.keys()]).toEqual(['old']);
  expect(m.read.get('old')).toEqual({ _id: 'old', n: 0, m: 1, k: 1 });
  expect([...t.read.keys()]).toEqual(['b']);
  expect(t.read.get('b')).toEqual({ _id: 'b', n: 2 });
  expect([...(m.created.get('tickets') ?? [])]).toEqual(['a']);
});

test('a write for another generation is not merged into this one', async () => {
  const store = new ViewStore(monitored.db(mongo.db.databaseName));
  const first = store.write(tickets({ p: { n: 1 } }), 3);
  await updatesSent(1);
  const live = store.write(tickets({ q: { n: 1 } }), 3);
  const rebuild = store.write(tickets({ q: { n: 9 } }), 4);
  await Promise.all([first, live, rebuild]);

  expect(commands.filter((c) => c === 'update')).toHaveLength(3);
  expect(await store.findById('tickets', 'q', 3)).toEqual({ _id: 'q', n: 1 });
  expect(await store.findById('tickets', 'q', 4)).toEqual({ _id: 'q', n: 9 });
});

/** One batch's writes: `perCollection` documents in each of `collections`. */
function batch(collections: readonly StoreCollection[], perCollection: number, tag: string): BatchWrites {
  return new Map(
    collections.map((name) => [
      name,
      new Map(Array.from({ length: perCollection }, (_, i) => [`${tag}-${i}`, { n: i }])),
    ]),
  );
}

test("a small batch's bulk writes are in flight together", async () => {
  const store = new ViewStore(monitored.db(mongo.db.databaseName));
  await store.write(batch(['showtimes', 'reservations', 'payments', 'purchases'], 1, 'small'), 5);

  expect(commands.filter((c) => c === 'update')).toHaveLength(4);
  expect(mostUpdatesInFlight).toBe(4);
});

test('a large batch keeps at most 50 updates in flight', async () => {
  const store = new ViewStore(monitored.db(mongo.db.databaseName));
  await store.write(batch(['tickets', 'ticket_numbers', 'customer_tickets'], 60, 'large'), 6);

  // 25 + 25 + 10 per collection: nine commands, never more than two full ones at once.
  expect(commands.filter((c) => c === 'update')).toHaveLength(9);
  expect(mostUpdatesInFlight).toBeLessThanOrEqual(50);
  expect(mostUpdatesInFlight).toBeGreaterThanOrEqual(35);
  expect(await store.collection('ticket_numbers', 6).countDocuments()).toBe(60);
});
