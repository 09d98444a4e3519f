/**
 * `npm run bench:read` (not part of the tests): the read service on the local Kafka, FerretDB and
 * Redis, on its own topic, database and key prefix.
 *
 * 1. gRPC reads (part `grpc`): `npm run bench:grpc` (bench/grpc.bench.ts), run as a child: the
 *    read service and the load generator in processes of their own, GetTicket against a no-work
 *    Echo served the same way.
 * 2. Event-to-view lag (part `lag`): from the producer send to the projector having written the view and
 *    invalidated the cache; p50/p99 for events sent one at a time, then for a backlog sent at once
 *    (which also gives the projector's throughput).
 * 3. Backlog projection by collection size (part `sizes`) (BENCH_SIZES, default 1000,10000,50000 documents per
 *    collection): a sold-out premiere's purchases (BENCH_BACKLOG_STORIES, eight events each, one
 *    showtime) sent at once to a read service whose collections were filled beforehand; where the
 *    batch time went, stage by stage; and in the same run the engine's own cost for the same
 *    documents: one plain bulk write of `$set`-by-`_id` upserts per collection straight to
 *    FerretDB, and the same upserts as SQL to a SQLite file (the engine FerretDB stores in here,
 *    through the sqlite3 command-line tool, one transaction per statement as FerretDB commits).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import Redis from 'ioredis';

import { loadConfig } from '../config';
import { readServiceOptions, startReadService, type ReadServiceOptions } from '../read-service/service';
import { STORE_COLLECTIONS } from '../read-service/views';
import { createTestTopic, testKafka } from '../test/support/kafka';
import { createTestMongo } from '../test/support/mongo';
import { uniqueName } from '../test/support/unique';
import { envelope, purchaseStory } from '../test/int/read/harness';

const LAG_EVENTS = Number(process.env.BENCH_LAG_EVENTS ?? 200);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').filter(Boolean).map(Number);
const STORIES = Number(process.env.BENCH_BACKLOG_STORIES ?? 100);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Stage {
  ms: number;
  items: number;
  calls: number;
}

/** A filler view document of about a ticket's size. */
const filler = (i: number) => ({ _id: `fill-${i}`, ...fillerFields(i) });
const fillerFields = (i: number) => ({
  ticketNumber: `TKT-FILL-${i}`,
  customerId: `customer-fill-${i % 997}`,
  movieTitle: 'Inception',
  seats: [{ row: 1 + (i % 20), number: 1 + (i % 30) }],
  totalAmountMinor: 2500,
  currency: 'USD',
  states: { v1: { status: 'Issued' } },
});

/** A sold-out premiere's purchases: every reservation on one showtime (its showtime event apart). */
function premiereBacklog(showtimeId: string, stories: number) {
  const events: ReturnType<typeof envelope>[] = [];
  for (let i = 0; i < stories; i++) {
    for (const e of purchaseStory().all) {
      if (e.aggregateType === 'Showtime') continue;
      const payload = e.payload as Record<string, unknown>;
      if (typeof payload.showtimeId === 'string') payload.showtimeId = showtimeId;
      events.push(e);
    }
  }
  return events;
}

/** `count` upserts to a SQLite table of `size` rows, one transaction each; milliseconds. */
function sqliteUpserts(size: number, count: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-read-sqlite-'));
  try {
    const file = join(dir, 'views.sqlite');
    const doc = JSON.stringify(filler(0));
    const setup = [
      'PRAGMA journal_mode=wal;',
      'CREATE TABLE views (id TEXT PRIMARY KEY, doc TEXT NOT NULL);',
      'BEGIN;',
      ...Array.from({ length: size }, (_, i) => `INSERT INTO views VALUES ('fill-${i}', '${doc}');`),
      'COMMIT;',
    ].join('\n');
    const run = (sql: string) => {
      const r = spawnSync('sqlite3', [file], { input: sql, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr || r.error?.message}`);
    };
    run(setup);
    const upserts = Array.from(
      { length: count },
      (_, i) =>
        `INSERT INTO views VALUES ('new-${i}', '${doc}') ON CONFLICT(id) DO UPDATE SET doc = excluded.doc;`,
    ).join('\n');
    const t = performance.now();
    run(`PRAGMA journal_mode=wal;\n${upserts}`);
    return performance.now() - t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SizeRun {
  size: number;
  events: number;
  eventsPerSec: number;
  lagP99: number;
  docs: number;
  rawFerretMs: number;
  rawSqliteMs: number;
  stages: Map<string, Stage>;
}

/** Adds one stage's time to its running total (the table printed per run). */
function addStage(stages: Map<string, Stage>, name: string, ms: number, items: number): void {
  const st = stages.get(name) ?? { ms: 0, items: 0, calls: 0 };
  st.ms += ms;
  st.items += items;
  st.calls++;
  stages.set(name, st);
}

/** A read service of the bench's own: its topic, group, Mongo database and cache prefix, gRPC on a free port. */
function benchReadService(
  config: ReturnType<typeof loadConfig>,
  topic: string,
  groupId: string,
  mongoDb: string,
  redisKeyPrefix: string,
  hooks: Pick<ReadServiceOptions, 'onStage' | 'onProjected'>,
) {
  return startReadService(
    readServiceOptions(config, {
      topic,
      topicPartitions: 3,
      groupId,
      dlqTopic: `${topic}.dlq`,
      mongoDb,
      redisKeyPrefix,
      grpcPort: 0,
      grpcHost: '127.0.0.1',
      ...hooks,
    }),
  );
}

async function backlogAtSize(size: number): Promise<SizeRun> {
  const config = loadConfig();
  const kafka = testKafka('bench-read-size');
  const topic = await createTestTopic(kafka, 'bench.read.size', 3);
  const mongo = await createTestMongo('bench_read_size');
  const keyPrefix = `${uniqueName('bench:read:size')}:`;
  const groupId = uniqueName('bench-read-size');
  const stages = new Map<string, Stage>();
  let applied = 0;
  const lags: number[] = [];
  let sentAt = 0;
  let recording = false;
  const fillStarted = performance.now();
  for (const name of STORE_COLLECTIONS) {
    const c = mongo.db.collection<{ _id: string }>(`${name}_g1`);
    for (let i = 0; i < size; i += 1000) {
      await c.insertMany(Array.from({ length: Math.min(1000, size - i) }, (_, j) => filler(i + j)));
    }
  }
  console.log(
    `  [${size} documents per collection: filled in ${((performance.now() - fillStarted) / 1000).toFixed(0)} s]`,
  );
  const service = await benchReadService(config, topic.topic, groupId, mongo.db.databaseName, keyPrefix, {
    onStage: (name, ms, items) => {
      if (recording) addStage(stages, name, ms, items);
    },
    onProjected: (outcome) => {
      if (outcome !== 'applied') return;
      applied++;
      if (recording) lags.push(performance.now() - sentAt);
    },
  });
  const producer = kafka.producer();
  await producer.connect();
  const send = (events: ReturnType<typeof envelope>[]) =>
    producer.send({
      topic: topic.topic,
      messages: events.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
    });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    // The premiere, projected before the clock starts (the consumer group has joined by then).
    const premiere = purchaseStory().showtime;
    await send([premiere]);
    while (applied < 1) await sleep(10);
    const backlog = premiereBacklog(premiere.aggregateId, STORIES);
    applied = 0;
    recording = true;
    sentAt = performance.now();
    await send(backlog);
    while (applied < backlog.length) await sleep(5);
    const seconds = (performance.now() - sentAt) / 1000;
    recording = false;
    lags.sort((a, b) => a - b);

    // The engine's own cost: the same number of upserts per collection, new ids, one plain bulk
    // write per collection (collections in parallel).
    const perCollection = new Map<string, number>();
    for (const [name, st] of stages) {
      // The store's write stages are named '<command> <collection>' (store.ts).
      const [command, c] = name.split(' ');
      if ((command === 'bulkWrite' || command === 'findOneAndUpdate') && c) {
        perCollection.set(c, (perCollection.get(c) ?? 0) + st.items);
      }
    }
    const docs = [...perCollection.values()].reduce((a, b) => a + b, 0);
    const rawStarted = performance.now();
    await Promise.all(
      [...perCollection].map(([c, n]) =>
        mongo.db.collection<{ _id: string }>(`${c}_g1`).bulkWrite(
          Array.from({ length: n }, (_, i) => ({
            updateOne: {
              filter: { _id: `raw-${i}` },
              update: { $set: fillerFields(i) },
              upsert: true,
            },
          })),
          { ordered: false },
        ),
      ),
    );
    const rawFerretMs = performance.now() - rawStarted;
    const rawSqliteMs = sqliteUpserts(size, docs);
    return {
      size,
      events: backlog.length,
      eventsPerSec: backlog.length / seconds,
      lagP99: percentile(lags, 99),
      docs,
      rawFerretMs,
      rawSqliteMs,
      stages,
    };
  } finally {
    await producer.disconnect();
    await service.stop();
    const redis = new Redis(config.REDIS_URL, { keyPrefix });
    for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
      const names = (keys as string[]).map((k) => k.slice(keyPrefix.length));
      if (names.length > 0) await redis.del(...names);
    }
    redis.disconnect();
    await topic.remove([groupId]).catch(() => undefined);
    await mongo.close();
  }
}

async function sizeSweep(): Promise<void> {
  const runs: SizeRun[] = [];
  for (const size of SIZES) {
    const r = await backlogAtSize(size);
    runs.push(r);
    console.log(`  stages at ${size} documents per collection (sums over the backlog's batches):`);
    for (const [name, st] of r.stages) {
      console.log(
        `    ${name.padEnd(36)} ${st.ms.toFixed(0).padStart(7)} ms  ${String(st.calls).padStart(4)} calls  ${String(st.items).padStart(6)} items  ${(st.ms / Math.max(st.items, 1)).toFixed(2).padStart(7)} ms/item`,
      );
    }
  }
  console.log(
    `backlog projection by collection size (${STORIES} purchases of one premiere per run; raw = the same number of upserts, events/s as if they were the projection's):`,
  );
  console.log(
    '  docs/collection  events  events/s  lag p99 ms  view docs  raw FerretDB events/s  ratio  raw SQLite events/s  ratio',
  );
  for (const r of runs) {
    const ferret = r.events / (r.rawFerretMs / 1000);
    const sqlite = r.events / (r.rawSqliteMs / 1000);
    console.log(
      `  ${String(r.size).padStart(15)}  ${String(r.events).padStart(6)}  ${r.eventsPerSec.toFixed(0).padStart(8)}  ${r.lagP99.toFixed(0).padStart(10)}  ${String(r.docs).padStart(9)}  ${ferret.toFixed(0).padStart(21)}  ${(r.eventsPerSec / ferret).toFixed(3).padStart(5)}  ${sqlite.toFixed(0).padStart(19)}  ${(r.eventsPerSec / sqlite).toFixed(3).padStart(5)}`,
    );
  }
}

async function main(): Promise<void> {
  const parts = (process.env.BENCH_PARTS ?? 'grpc,lag,sizes').split(',');
  if (parts.includes('grpc')) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'grpc.bench.ts')], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error(`bench:grpc failed (${r.status ?? r.signal})`);
  }
  if (parts.includes('lag')) await eventLag();
  if (parts.includes('sizes')) await sizeSweep();
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
}

async function eventLag(): Promise<void> {
  const config = loadConfig();
  const kafka = testKafka('bench-read');
  const topic = await createTestTopic(kafka, 'bench.read', 3);
  const mongo = await createTestMongo('bench_read');
  const keyPrefix = `${uniqueName('bench:read')}:`;
  const groupId = uniqueName('bench-read');
  const sent = new Map<string, number>();
  const lags: number[] = [];
  const stages = new Map<string, Stage>();
  const service = await benchReadService(config, topic.topic, groupId, mongo.db.databaseName, keyPrefix, {
    onStage: (name, ms, items) => addStage(stages, name, ms, items),
    onProjected: (outcome, info) => {
      const at = info.eventId ? sent.get(info.eventId) : undefined;
      if (outcome === 'applied' && at !== undefined) lags.push(performance.now() - at);
    },
  });
  const redis = new Redis(config.REDIS_URL, { keyPrefix });
  const producer = kafka.producer();
  await producer.connect();
  const send = (e: ReturnType<typeof envelope>) =>
    producer.send({ topic: topic.topic, messages: [{ key: e.aggregateId, value: JSON.stringify(e) }] });

  try {
    // The consumer group joins first: one event projected before the clock starts.
    const first = purchaseStory().ticketIssued;
    sent.set(first.eventId, performance.now());
    await send(first);
    while (lags.length === 0) await new Promise((r) => setTimeout(r, 20));
    lags.length = 0;

    // Lag of one event at a time (no queueing), then projector throughput on a backlog.
    for (let i = 0; i < LAG_EVENTS; i++) {
      const e = purchaseStory().ticketIssued;
      const before = lags.length;
      sent.set(e.eventId, performance.now());
      await send(e);
      while (lags.length === before) await new Promise((r) => setImmediate(r));
    }
    lags.sort((a, b) => a - b);
    console.log(
      `  event-to-view lag, one at a time (${LAG_EVENTS} events): p50 ${percentile(lags, 50).toFixed(1)} ms   p99 ${percentile(lags, 99).toFixed(1)} ms`,
    );
    lags.length = 0;
    stages.clear();
    const backlog = Array.from({ length: LAG_EVENTS }, () => purchaseStory().ticketIssued);
    const t0 = performance.now();
    for (const e of backlog) sent.set(e.eventId, t0);
    await producer.send({
      topic: topic.topic,
      messages: backlog.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e) })),
    });
    while (lags.length < LAG_EVENTS) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - t0) / 1000;
    lags.sort((a, b) => a - b);
    console.log(
      `  backlog of ${LAG_EVENTS} events: ${(LAG_EVENTS / seconds).toFixed(0)} events/s projected, lag p50 ${percentile(lags, 50).toFixed(1)} ms   p99 ${percentile(lags, 99).toFixed(1)} ms`,
    );
    for (const [name, st] of stages) {
      console.log(
        `  stage ${name.padEnd(36)} ${st.ms.toFixed(1).padStart(9)} ms  ${st.calls} calls  ${st.items} items`,
      );
    }
  } finally {
    await producer.disconnect();
    await service.stop();
    for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
      const names = (keys as string[]).map((k) => k.slice(keyPrefix.length));
      if (names.length > 0) await redis.del(...names);
    }
    redis.disconnect();
    await topic.remove([groupId]).catch(() => undefined);
    await mongo.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
