/**
 * Outbox relay benchmark (`npm run bench:relay`; not part of the test run). Real PostgreSQL,
 * Kafka and Temporal; the relay is the real worker entry in a child process.
 *
 * Two measurements, each next to a plain kafkajs producer sending the same messages (same keys,
 * values, headers; idempotent, acks=-1) in the same run, and the throughput also next to the
 * fairest baseline: a plain loop per shard over the same outbox table that claims a batch (the
 * relay's own claim SQL), sends it with one producer and marks it processed, with no Temporal,
 * no reporting projection and no per-aggregate bookkeeping:
 * - throughput: N events already committed to the outbox, drained by the relay (from "worker
 *   ready" to the last message in Kafka), vs. the producer sending them in batches of the same size;
 * - lag: events committed at a steady rate in small transactions while the relay runs; lag is
 *   the broker's append time (topics use LogAppendTime) minus the moment the commit returned,
 *   vs. the broker's append time minus the moment the same chunk was handed to producer.send
 *   (same clock: broker and benchmark run on one machine).
 *
 * The lag run is long enough (30 s by default) to hold several of the relay activity's reports to
 * its workflow (one per RELAY_BUSY_MS of delivery): rows committed during one wait for it.
 *
 *   npm run bench:relay -- --events 10000 --shards 4 --batch 500 --live-events 15000 --rate 500 --busy-ms 10000
 */
import { Client, Connection } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigResourceTypes, Partitioners, type Kafka, type Message } from 'kafkajs';

import { codecPlugin } from '../codec/data-converter';
import { appendToOutbox, CLAIM_SESSION_SETTINGS, openDatabase, OutboxStore } from '../db';
import { encodeMessage } from '../activities/relay/encode';
import type { EventEnvelope } from '../domain/shared/events';
import { relayWorkflowId } from '../workflows/relay-contract';
import { createTestTopic } from '../test/support/kafka';
import { spawnRelayWorker } from '../test/int/relay/support/child-relay';
import { sagaEvents, writeEvents } from '../test/int/relay/support/events';
import { messagesOnTopic, readTopic, type TopicReader } from '../test/int/relay/support/kafka-reader';
import { createRelayTestEnv } from '../test/int/relay/support/relay-env';
import { sleep, waitFor } from '../test/int/relay/support/wait';
import { fmt, summarize } from './stats';

const int = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const options = new Command('bench:relay')
  .option('--events <n>', 'events for the throughput run', int, 10_000)
  .option('--shards <n>', 'relay shards (RELAY_SHARDS)', int, 4)
  .option('--batch <n>', 'relay batch size = plain producer batch size', int, 500)
  .option('--partitions <n>', 'topic partitions', int, 6)
  .option('--live-events <n>', 'events for the lag run', int, 15_000)
  .option('--rate <n>', 'events per second committed in the lag run', int, 500)
  .option('--per-transaction <n>', 'events per transaction in the lag run', int, 10)
  .option(
    '--busy-ms <n>',
    'RELAY_BUSY_MS: how long one relay activity keeps delivering (0: old behaviour)',
    (v) => (v === '0' ? 0 : int(v)),
  )
  .parse()
  .opts<{
    events: number;
    shards: number;
    batch: number;
    partitions: number;
    liveEvents: number;
    rate: number;
    perTransaction: number;
    busyMs?: number;
  }>();

/** The message the relay publishes for an envelope (activities/relay/encode.ts), for the baseline. */
const messageOf = (e: EventEnvelope): Message => ({
  key: e.aggregateId,
  value: JSON.stringify(e),
  headers: {
    eventId: e.eventId,
    eventType: e.eventType,
    occurredAt: e.occurredAt,
    schemaVersion: String(e.schemaVersion),
  },
});

async function useLogAppendTime(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Events per second from `start` (or the first arrival, if earlier: a relay worker may deliver
 * before it reports ready) to the arrival of the last of `events` on the reader's topic.
 */
const throughput = (reader: TopicReader, events: readonly EventEnvelope[], start: number) => {
  const wanted = new Set(events.map((e) => e.eventId));
  const arrivals = reader.messages.filter((m) => wanted.has(m.envelope.eventId)).map((m) => m.receivedAt);
  return events.length / ((Math.max(...arrivals) - Math.min(start, ...arrivals)) / 1000);
};

const lagsOf = (reader: TopicReader, handedAt: Map<string, number>) => {
  const first = new Map<string, number>();
  for (const m of reader.messages)
    if (!first.has(m.envelope.eventId)) first.set(m.envelope.eventId, m.timestamp);
  return [...handedAt].map(([id, at]) => (first.get(id) ?? NaN) - at);
};

/**
 * Calls `emit(chunk)` for chunks of `perTransaction` events at `rate` events/s. Returns, per event,
 * when `emit` returned (`'after'`: a commit is only visible once it returns) or when it was
 * called (`'before'`: a message handed to the producer is on its way from then on).
 */
async function atRate(
  events: readonly EventEnvelope[],
  emit: (chunk: EventEnvelope[]) => Promise<unknown>,
  clock: 'before' | 'after',
): Promise<Map<string, number>> {
  const at = new Map<string, number>();
  const start = Date.now();
  for (let i = 0; i < events.length; i += options.perTransaction) {
    const due = start + (i / options.rate) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    const chunk = events.slice(i, i + options.perTransaction);
    const called = Date.now();
    await emit(chunk);
    const moment = clock === 'before' ? called : Date.now();
    for (const e of chunk) at.set(e.eventId, moment);
  }
  return at;
}

/** Whether every event is on the reader's topic (one set of ids per check: the events are thousands). */
function everyOn(reader: TopicReader, events: readonly EventEnvelope[]): boolean {
  const ids = reader.ids();
  return events.every((e) => ids.has(e.eventId));
}

async function main(): Promise<void> {
  const env = await createRelayTestEnv('bench', {
    partitions: options.partitions,
    overrides: {
      RELAY_SHARDS: String(options.shards),
      RELAY_BATCH_SIZE: String(options.batch),
      DB_POOL_MAX: '10',
      ...(options.busyMs === undefined ? {} : { RELAY_BUSY_MS: String(options.busyMs) }),
    },
  });
  const plainTopic = await createTestTopic(env.kafka, 'relay-bench-plain', options.partitions);
  await useLogAppendTime(env.kafka, env.topic);
  await useLogAppendTime(env.kafka, plainTopic.topic);
  const relayReader = await readTopic(env.kafka, env.topic);
  const plainReader = await readTopic(env.kafka, plainTopic.topic);
  const producer = env.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const temporal = new Client({
    connection: await Connection.connect({
      address: env.config.TEMPORAL_ADDRESS,
      plugins: [codecPlugin(env.config)],
    }),
  });
  const worker = { current: undefined as ReturnType<typeof spawnRelayWorker> | undefined };

  try {
    // Throughput: the relay drains a committed backlog...
    const drain = sagaEvents(options.events / 10, 10);
    await writeEvents(env.write.db, drain, 1000);
    worker.current = spawnRelayWorker(env.env);
    await worker.current.ready;
    const relayStart = Date.now();
    await waitFor('the relay to drain the backlog', () => relayReader.ids().size >= drain.length, {
      timeoutMs: 600_000,
      intervalMs: 50,
    });
    const relayThroughput = throughput(relayReader, drain, relayStart);

    // ... and the plain producer sends the same messages in batches of the same size.
    const plainStart = Date.now();
    for (let i = 0; i < drain.length; i += options.batch) {
      const messages = drain.slice(i, i + options.batch).map(messageOf);
      await producer.send({ topic: plainTopic.topic, acks: -1, messages });
    }
    await waitFor('the plain messages', () => plainReader.ids().size >= drain.length, {
      timeoutMs: 600_000,
      intervalMs: 50,
    });
    const plainThroughput = throughput(plainReader, drain, plainStart);

    // Lag: the same steady stream, committed to the outbox vs. handed to the producer.
    const live = sagaEvents(options.liveEvents / 10, 10);
    const commit = (chunk: EventEnvelope[]) => env.write.db.transaction((tx) => appendToOutbox(tx, chunk));
    const committed = await atRate(live, commit, 'after');
    await waitFor('the live events through the relay', () => everyOn(relayReader, live), {
      timeoutMs: 600_000,
    });
    const send = (chunk: EventEnvelope[]) =>
      producer.send({ topic: plainTopic.topic, acks: -1, messages: chunk.map(messageOf) });
    const handed = await atRate(live, send, 'before');
    await waitFor('the live plain messages', () => everyOn(plainReader, live), {
      timeoutMs: 600_000,
    });
    // Both runs carry the same event ids, each on its own topic.
    const relayLag = summarize(lagsOf(relayReader, committed));
    const plainLag = summarize(lagsOf(plainReader, handed));

    // The claim-send-mark loop over the same outbox, with the relay worker stopped so it claims alone.
    worker.current.kill('SIGTERM');
    await worker.current.exited;
    const loopTopic = await createTestTopic(env.kafka, 'relay-bench-loop', options.partitions);
    await useLogAppendTime(env.kafka, loopTopic.topic);
    const loopReader = await readTopic(env.kafka, loopTopic.topic);
    const looped = sagaEvents(options.events / 10, 10);
    await writeEvents(env.write.db, looped, 1000);
    // Sessions set up as the relay's are (CLAIM_SESSION_SETTINGS): the same claim plan for both.
    const loopDb = openDatabase(env.write.url, { poolMax: 10, postgresSettings: CLAIM_SESSION_SETTINGS });
    const store = new OutboxStore(loopDb);
    const loopStart = Date.now();
    await Promise.all(
      Array.from({ length: options.shards }, async (_, shard) => {
        for (;;) {
          const claimed = await store.claimBatch({
            shard,
            shardCount: options.shards,
            limit: options.batch,
            leaseMs: 30_000,
          });
          if (claimed.length === 0) return;
          await producer.send({
            topic: loopTopic.topic,
            acks: -1,
            messages: claimed.map((row) => encodeMessage(row, env.config.KAFKA_MAX_MESSAGE_BYTES)),
          });
          await store.markProcessed(claimed.map((row) => row.id));
        }
      }),
    );
    await waitFor('the looped messages', () => loopReader.ids().size >= looped.length, {
      timeoutMs: 600_000,
      intervalMs: 50,
    });
    const loopThroughput = throughput(loopReader, looped, loopStart);
    await loopDb.close();
    await loopReader.stop();
    await loopTopic.remove([loopReader.groupId]).catch(() => undefined);
    console.log(
      `
throughput vs the claim-send-mark loop (same outbox, ${options.shards} shards, batch ${options.batch}): ` +
        `relay ${fmt(relayThroughput, 1)} events/s, loop ${fmt(loopThroughput, 1)} events/s, ` +
        `relay/loop ${fmt(relayThroughput / loopThroughput, 2)}`,
    );

    const rows: [string, number, number, number][] = [
      ['throughput (events/s)', relayThroughput, plainThroughput, 1],
      ['lag p50 (ms)', relayLag.p50, plainLag.p50, 0],
      ['lag p99 (ms)', relayLag.p99, plainLag.p99, 0],
      ['lag max (ms)', relayLag.max, plainLag.max, 0],
    ];
    console.log(
      `\noutbox relay vs plain kafkajs producer: ${fmt(drain.length)} events drained with ${options.shards} shards, ` +
        `batch ${options.batch}, RELAY_BUSY_MS ${env.config.RELAY_BUSY_MS}, ${options.partitions} partitions; ` +
        `lag over ${fmt(live.length)} events at ` +
        `${options.rate}/s in transactions of ${options.perTransaction}\n`,
    );
    console.log(
      `${'metric'.padEnd(24)}${'relay'.padStart(12)}${'plain'.padStart(12)}${'relay/plain'.padStart(14)}`,
    );
    for (const [name, relay, plain, digits] of rows) {
      console.log(
        `${name.padEnd(24)}${fmt(relay, digits).padStart(12)}${fmt(plain, digits).padStart(12)}${fmt(relay / plain, 2).padStart(14)}`,
      );
    }
    const onTopic = await messagesOnTopic(env.kafka, env.topic);
    const redelivered = relayReader.messages.length - relayReader.ids().size;
    console.log(
      `\nrelay topic: ${fmt(onTopic)} messages for ${fmt(drain.length + live.length)} events ` +
        `(${fmt(onTopic - drain.length - live.length)} published twice); ` +
        `consumer saw ${fmt(redelivered)} messages again (consumer-side redelivery included)`,
    );
    const warnings = worker.current
      .output()
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line));
    if (warnings.length > 0) console.log(`relay worker warnings (last 5):\n${warnings.slice(-5).join('\n')}`);
  } finally {
    worker.current?.kill('SIGTERM');
    await worker.current?.exited;
    for (let shard = 0; shard < options.shards; shard++) {
      await temporal.workflow
        .getHandle(relayWorkflowId(env.config.RELAY_WORKFLOW_ID_PREFIX, shard))
        .terminate('benchmark finished')
        .catch(() => undefined);
    }
    await temporal.connection.close();
    await producer.disconnect();
    await relayReader.stop();
    await plainReader.stop();
    await plainTopic.remove([plainReader.groupId]).catch(() => undefined);
    await env.cleanup([relayReader.groupId]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
