/**
 * `npm run bench:grpc` (not part of the tests): gRPC reads against a no-work baseline, three
 * processes as in the stack.
 *
 * - The read service: `read-service/server.ts` in a process of its own, on its own topic, Mongo
 *   database, cache prefix and port, with a service token (as the stack runs it) and
 *   READ_GRPC_DIAGNOSTICS on, which serves the diagnostic Echo (proto/cinema/read/v1/
 *   diagnostics.proto): the same server, wrapper and access checks as GetTicket, and no work.
 * - The load generator: bench/grpc-load.ts, forked, with BENCH_GRPC_CHANNELS connections and
 *   BENCH_CONCURRENCY callers, the gateway's metadata (service token, the ticket's customer's
 *   token). Phases (BENCH_GRPC_PHASES): `echo`, `hit` (GetTicket answered from Redis), `miss`
 *   (GetTicket after its cache tag was bumped: Redis, then MongoDB, then a store), interleaved
 *   over BENCH_GRPC_ROUNDS rounds of BENCH_CALLS calls each so a change in the machine's load
 *   falls on all of them alike.
 * - This process: publishes the ticket, prints ops/s, p50/p99, the ratios to echo and `uptime`.
 *   The load generator checks every `hit` call was one (its entry was there and its tag did not
 *   move during the phase).
 *
 * BENCH_GRPC_PROFILE=<dir> runs the read service under `--cpu-prof` and prints where its CPU time
 * went (self time by module), to tell a read's cost from the protocol's (run one phase at a time).
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';

import Redis from 'ioredis';

import { loadConfig } from '../config';
import { Ticket } from '../proto/gen/cinema/read/v1/read';
import { ReadClient } from '../read-service/client';
import { bearer } from '../test/support/auth';
import { createTestTopic, testKafka } from '../test/support/kafka';
import { createTestMongo } from '../test/support/mongo';
import { uniqueName } from '../test/support/unique';
import { purchaseStory } from '../test/int/read/harness';
import type { LoadPhase, LoadReply, LoadRequest, PhaseResult } from './grpc-load';

const root = resolve(__dirname, '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CHANNELS = Number(process.env.BENCH_GRPC_CHANNELS ?? 4);
const ROUNDS = Number(process.env.BENCH_GRPC_ROUNDS ?? 3);
const PHASES = (process.env.BENCH_GRPC_PHASES ?? 'echo,hit,miss').split(',').filter(Boolean) as LoadPhase[];
const PROFILE_DIR = process.env.BENCH_GRPC_PROFILE;

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** The read service as `npm run read-service` starts it, with the bench's own names. */
function startReadServiceProcess(env: Record<string, string>) {
  const args = ['--import', 'tsx'];
  if (PROFILE_DIR) args.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`);
  const child = spawn(process.execPath, [...args, 'read-service/server.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit');
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function runLoad(req: LoadRequest): Promise<PhaseResult[]> {
  const child = fork(join(__dirname, 'grpc-load.ts'), [], { execArgv: ['--import', 'tsx'], cwd: root });
  child.send(req);
  return new Promise((resolvePromise, reject) => {
    child.once('message', (reply: LoadReply) =>
      reply.ok ? resolvePromise(reply.results) : reject(new Error(`load generator: ${reply.error}`)),
    );
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
  });
}

/** Self time of the read service's profile by module, largest first (node --cpu-prof format). */
function profileSummary(dir: string, since: number): void {
  // The largest of this run's profiles is the main thread's (tsx's loader thread writes one too).
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ path: join(dir, f), stat: statSync(join(dir, f)) }))
    .filter((f) => f.stat.mtimeMs >= since)
    .sort((a, b) => a.stat.size - b.stat.size)
    .pop()?.path;
  if (!file) return console.log(`  no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inHandler = (id: number | undefined): boolean =>
    id !== undefined &&
    (byId.get(id)!.url.endsWith('read-service/grpc-server.ts') || inHandler(parent.get(id)));
  // The window of the calls: from the first sample inside a gRPC handler to the last (start-up
  // and the one projected event fall before it).
  const first = profile.samples.findIndex((id) => inHandler(id));
  const last = profile.samples.length - 1 - [...profile.samples].reverse().findIndex((id) => inHandler(id));
  const samples = profile.samples.slice(Math.max(first, 0), last + 1);
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const id of samples) {
    const frame = byId.get(id)!;
    const url = frame.url.replace(/^file:\/\//, '');
    const module = !url
      ? `(${frame.functionName || 'native'})`
      : url.includes('node_modules/')
        ? url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1')
        : url.startsWith('node:')
          ? url
          : relative(root, url);
    modules.set(module, (modules.get(module) ?? 0) + 1);
    const fn = `${frame.functionName || '(anonymous)'} ${module}`;
    functions.set(fn, (functions.get(fn) ?? 0) + 1);
  }
  const total = samples.length;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `    ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  console.log(
    `read service CPU profile (${file}, ${total} samples from the first call to the last), self time by module:`,
  );
  console.log(top(modules, 20));
  console.log('  by function:');
  console.log(top(functions, 25));
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const kafka = testKafka('bench-grpc');
  const topic = await createTestTopic(kafka, 'bench.grpc', 3);
  const mongo = await createTestMongo('bench_grpc');
  const keyPrefix = `${uniqueName('bench:grpc')}:`;
  const groupId = uniqueName('bench-grpc');
  const serviceToken = randomBytes(32).toString('base64url');
  const port = await freePort();
  const mongoUrl = new URL(config.MONGO_URL);
  mongoUrl.pathname = `/${mongo.db.databaseName}`;
  const service = startReadServiceProcess({
    KAFKA_TOPIC: topic.topic,
    KAFKA_TOPIC_PARTITIONS: '3',
    READ_CONSUMER_GROUP: groupId,
    READ_DLQ_TOPIC: `${topic.topic}.dlq`,
    MONGO_URL: mongoUrl.toString(),
    READ_CACHE_KEY_PREFIX: keyPrefix,
    READ_GRPC_HOST: '127.0.0.1',
    READ_GRPC_PORT: String(port),
    READ_SERVICE_TOKEN: serviceToken,
    READ_GRPC_DIAGNOSTICS: 'true',
    LOG_LEVEL: 'warn',
  });
  const address = `127.0.0.1:${port}`;
  const s = purchaseStory();
  const caller = bearer(s.ids.customerId, 'customer');
  const client = new ReadClient(address, { deadlineMs: 5000, serviceToken }).forCaller(caller);
  const redis = new Redis(config.REDIS_URL, { keyPrefix });
  const producer = kafka.producer();
  await producer.connect();
  let results: PhaseResult[] | undefined;
  const before = uptime();
  try {
    await producer.send({
      topic: topic.topic,
      messages: [{ key: s.ticketIssued.aggregateId, value: JSON.stringify(s.ticketIssued) }],
    });
    let ticket: Ticket | undefined;
    for (let tries = 0; ticket === undefined; tries++) {
      try {
        ticket = await client.getTicket({ ticketId: s.ids.ticketId });
      } catch (e) {
        if (tries > 1500) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await client.getTicket({ ticketId: s.ids.ticketId }); // the first answer stored it
    const tag = `g1:tag:ticket:${s.ids.ticketId}`;
    const entry = async () => `g1:pb:ticket:${s.ids.ticketId}@${(await redis.get(tag)) ?? '0'}`;
    const hitEntry = await entry();
    if ((await redis.exists(hitEntry)) !== 1) throw new Error(`cache entry ${hitEntry} missing`);
    const echoBytes = Ticket.encode(ticket).finish().length;

    results = await runLoad({
      address,
      serviceToken,
      callerAuthorization: caller,
      ticketId: s.ids.ticketId,
      echoBytes,
      redisUrl: config.REDIS_URL,
      tagKey: `${keyPrefix}${tag}`,
      entryKey: `${keyPrefix}g1:pb:ticket:${s.ids.ticketId}`,
      channels: CHANNELS,
      concurrency: CONCURRENCY,
      calls: CALLS,
      warmupCalls: Math.min(CALLS, 1000),
      rounds: ROUNDS,
      phases: PHASES,
    });
    console.log(
      `gRPC reads: read service and load generator in processes of their own; ${ROUNDS} rounds x ${CALLS} calls per phase, ` +
        `${CONCURRENCY} callers over ${CHANNELS} connections; ticket answer ${echoBytes} bytes, echo payload the same`,
    );
    const echo = results.find((r) => r.phase === 'echo');
    for (const r of results) {
      const ratio = echo && r !== echo ? `  ${(r.opsPerSec / echo.opsPerSec).toFixed(2)}x echo` : '';
      const label = {
        echo: 'Echo (no work, same checks)',
        hit: 'GetTicket, cache hit',
        miss: 'GetTicket, cache miss (MongoDB)',
      }[r.phase];
      console.log(
        `  ${label.padEnd(32)} ${r.opsPerSec.toFixed(0).padStart(6)} ops/s  p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms` +
          `  rounds ${r.roundOpsPerSec.map((o) => o.toFixed(0)).join('/')}${r.errors ? `  ERRORS ${r.errors}` : ''}${ratio}`,
      );
    }
    if (PHASES.includes('miss')) {
      console.log(
        '  (miss: the load generator bumps the tag with one Redis INCR before each call; ops/s include it)',
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
  console.log(`uptime before: ${before}`);
  console.log(`uptime after:  ${uptime()}`);
  if (PROFILE_DIR) profileSummary(PROFILE_DIR, started);
  if (results?.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
