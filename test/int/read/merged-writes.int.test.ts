/**
 * View writes asked for while one is in flight are merged into the next write (store.ts): under
 * load the read side writes fewer, larger commands instead of queueing batch after batch, and each
 * batch still gets its own documents back. Counted on FerretDB's side of the wire.
 */
import { MongoClient, type CommandStartedEvent } from 'mongodb';

import { loadConfig } from '../../../config';
import { ViewStore, type BatchWrites } from '../../../read-service/store';
import { createTestMongo, type TestMongo } from '../../support/mongo';

let mongo: TestMongo;
let monitored: MongoClient;
const commands: string[] = [];

beforeAll(async () => {
  mongo = await createTestMongo('read_merged_writes');
  monitored = new MongoClient(loadConfig().MONGO_URL, { monitorCommands: true });
  monitored.on('commandStarted', (e: CommandStartedEvent) => commands.push(e.commandName));
  await monitored.connect();
});

afterAll(async () => {
  await monitored?.close();
  await mongo?.close();
});

beforeEach(() => {
  commands.length = 0;
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
