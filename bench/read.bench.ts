/**
 * `npm run bench:read` (not part of the tests): the read service on the local Kafka, FerretDB and
 * Redis, on its own topic, database and key prefix.
 *
 * 1. Cache hits: GetTicket over gRPC (closed loop, fixed concurrency) next to raw ioredis GETs of
 *    the very entry those calls are answered from, in the same run; throughput, p50/p99, ratio.
 * 2. Event-to-view lag: from the producer send to the projector having written the view and
 *    invalidated the cache; p50/p99 for events sent one at a time, then for a backlog sent at once
 *    (which also gives the projector's throughput).
 */
import { performance } from 'node:perf_hooks';

import Redis from 'ioredis';

import { loadConfig } from '../config';
import { ReadClient } from '../read-service/client';
import { readServiceOptions, startReadService } from '../read-service/service';
import { bearer } from '../test/support/auth';
import { createTestTopic, testKafka } from '../test/support/kafka';
import { createTestMongo } from '../test/support/mongo';
import { uniqueName } from '../test/support/unique';
import { envelope, purchaseStory } from '../test/int/read/harness';

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LAG_EVENTS = Number(process.env.BENCH_LAG_EVENTS ?? 200);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Run {
  opsPerSec: number;
  p50: number;
  p99: number;
}

async function closedLoop(calls: number, concurrency: number, op: () => Promise<unknown>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { opsPerSec: calls / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const fmt = (r: Run) =>
  `${r.opsPerSec.toFixed(0).padStart(7)} ops/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms`;

async function main(): Promise<void> {
  const config = loadConfig();
  const kafka = testKafka('bench-read');
  const topic = await createTestTopic(kafka, 'bench.read', 3);
  const mongo = await createTestMongo('bench_read');
  const keyPrefix = `${uniqueName('bench:read')}:`;
  const groupId = uniqueName('bench-read');
  const sent = new Map<string, number>();
  const lags: number[] = [];
  const stages = new Map<string, { ms: number; items: number; calls: number }>();
  const onStage = (name: string, ms: number, items: number) => {
    const s = stages.get(name) ?? { ms: 0, items: 0, calls: 0 };
    s.ms += ms;
    s.items += items;
    s.calls++;
    stages.set(name, s);
  };
  const service = await startReadService(
    readServiceOptions(config, {
      topic: topic.topic,
      topicPartitions: 3,
      groupId,
      dlqTopic: `${topic.topic}.dlq`,
      mongoDb: mongo.db.databaseName,
      redisKeyPrefix: keyPrefix,
      grpcPort: 0,
      grpcHost: '127.0.0.1',
      onStage,
      onProjected: (outcome, info) => {
        const at = info.eventId ? sent.get(info.eventId) : undefined;
        if (outcome === 'applied' && at !== undefined) lags.push(performance.now() - at);
      },
    }),
  );
  // As the gateway asks: on behalf of a verified caller (an administrator sees every ticket).
  const client = new ReadClient(`127.0.0.1:${service.grpc.port}`, { deadlineMs: 5000 }).forCaller(
    bearer('bench-admin', 'admin'),
  );
  const redis = new Redis(config.REDIS_URL, { keyPrefix });
  const producer = kafka.producer();
  await producer.connect();
  const send = (e: ReturnType<typeof envelope>) =>
    producer.send({ topic: topic.topic, messages: [{ key: e.aggregateId, value: JSON.stringify(e) }] });

  try {
    const s = purchaseStory();
    await send(s.ticketIssued);
    for (;;) {
      try {
        await client.getTicket({ ticketId: s.ids.ticketId });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await client.getTicket({ ticketId: s.ids.ticketId }); // stored in the cache
    const entry = `g1:e:ticket:${s.ids.ticketId}@1`;
    if ((await redis.exists(entry)) !== 1) throw new Error(`cache entry ${entry} missing`);

    // Warm both paths, then measure them back to back.
    await closedLoop(2000, CONCURRENCY, () => client.getTicket({ ticketId: s.ids.ticketId }));
    await closedLoop(2000, CONCURRENCY, () => redis.get(entry));
    const hitsBefore = service.cache.stats.hits;
    const grpc = await closedLoop(CALLS, CONCURRENCY, () => client.getTicket({ ticketId: s.ids.ticketId }));
    const hits = service.cache.stats.hits - hitsBefore;
    const raw = await closedLoop(CALLS, CONCURRENCY, () => redis.get(entry));
    // grpc-js's own ceiling on this machine: a unary call that does no work at all.
    const empty = await closedLoop(CALLS, CONCURRENCY, () => client.serving());

    console.log(`read bench: ${CALLS} calls, concurrency ${CONCURRENCY} (cache hits: ${hits}/${CALLS})`);
    console.log(`  gRPC GetTicket (cache hit)  ${fmt(grpc)}`);
    console.log(`  raw ioredis GET             ${fmt(raw)}`);
    console.log(`  gRPC Health.Check (no work) ${fmt(empty)}`);
    console.log(`  ratio gRPC/raw throughput   ${(grpc.opsPerSec / raw.opsPerSec).toFixed(3)}`);
    console.log(`  ratio gRPC/no-work gRPC     ${(grpc.opsPerSec / empty.opsPerSec).toFixed(3)}`);

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
    client.close();
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
