/**
 * The gRPC read benchmark's load generator (`npm run bench:grpc` forks it): a process of its own,
 * so the read service's CPU is not shared with the client's in one event loop. It opens
 * `channels` HTTP/2 connections (a local subchannel pool each, as separate clients would) and
 * runs closed loops of `concurrency` callers over them, phase by phase, round after round, with
 * the metadata the gateway sends (service token, caller token). Results go back over IPC.
 */
import { performance } from 'node:perf_hooks';

import { Channel, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import Redis from 'ioredis';

import { ReadDiagnosticsClient } from '../proto/gen/cinema/read/v1/diagnostics';
import { ReadServiceClient } from '../proto/gen/cinema/read/v1/read';
import { CALLER_AUTH_METADATA, SERVICE_AUTH_METADATA } from '../read-service/access';

export type LoadPhase = 'echo' | 'hit' | 'miss';

export interface LoadRequest {
  readonly address: string;
  readonly serviceToken: string;
  /** The end user's `Authorization` value (the ticket's own customer). */
  readonly callerAuthorization: string;
  readonly ticketId: string;
  /** Echo's payload size: the encoded ticket's, so both answers are the same size on the wire. */
  readonly echoBytes: number;
  /** The ticket's cache tag key (with the key prefix): bumped before each `miss` call. */
  readonly redisUrl: string;
  readonly tagKey: string;
  /** The ticket's cache entry key without its `@<generation>` (with the key prefix). */
  readonly entryKey: string;
  readonly channels: number;
  readonly concurrency: number;
  readonly calls: number;
  readonly warmupCalls: number;
  readonly rounds: number;
  readonly phases: readonly LoadPhase[];
}

export interface PhaseResult {
  readonly phase: LoadPhase;
  readonly calls: number;
  readonly errors: number;
  /** Calls per second of each round, in order. */
  readonly roundOpsPerSec: number[];
  /** All rounds' calls over all rounds' time. */
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p99: number;
}

export type LoadReply = { ok: true; results: PhaseResult[] } | { ok: false; error: string };

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `calls` calls by `concurrency` callers, each as soon as its previous one answered. */
async function closedLoop(
  calls: number,
  concurrency: number,
  op: (worker: number) => Promise<void>,
  latencies: number[],
): Promise<{ seconds: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next++ < calls) {
        const t = performance.now();
        try {
          await op(worker);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, errors };
}

async function run(req: LoadRequest): Promise<PhaseResult[]> {
  const channels = Array.from(
    { length: req.channels },
    () =>
      new Channel(req.address, credentials.createInsecure(), {
        'grpc.use_local_subchannel_pool': 1,
      }),
  );
  const reads = channels.map(
    (channel) =>
      new ReadServiceClient(req.address, credentials.createInsecure(), { channelOverride: channel }),
  );
  const diagnostics = channels.map(
    (channel) =>
      new ReadDiagnosticsClient(req.address, credentials.createInsecure(), { channelOverride: channel }),
  );
  const redis = new Redis(req.redisUrl);
  const payload = Buffer.alloc(req.echoBytes, 0x61);
  // As the gateway's ReadClient does: fresh metadata and a deadline on every call.
  const metadata = () => {
    const m = new Metadata();
    m.set(SERVICE_AUTH_METADATA, `Bearer ${req.serviceToken}`);
    m.set(CALLER_AUTH_METADATA, req.callerAuthorization);
    return m;
  };
  const deadline = () => ({ deadline: new Date(Date.now() + 5000) });
  const settle = (resolve: () => void, reject: (e: unknown) => void) => (e: ServiceError | null) =>
    e ? reject(e) : resolve();
  const getTicket = (w: number) =>
    new Promise<void>((resolve, reject) =>
      reads[w % reads.length]!.getTicket(
        { ticketId: req.ticketId },
        metadata(),
        deadline(),
        settle(resolve, reject),
      ),
    );
  const ops: Record<LoadPhase, (w: number) => Promise<void>> = {
    echo: (w) =>
      new Promise<void>((resolve, reject) =>
        diagnostics[w % diagnostics.length]!.echo(
          { payload },
          metadata(),
          deadline(),
          settle(resolve, reject),
        ),
      ),
    hit: getTicket,
    // A new tag generation makes the entry unreachable (read-service/cache.ts): the call reads
    // MongoDB and stores the answer again. The INCR is outside the timed call, inside ops/s.
    miss: async (w) => {
      await redis.incr(req.tagKey);
      await getTicket(w);
    },
  };
  const cachedGeneration = async () => {
    await getTicket(0);
    const generation = (await redis.get(req.tagKey)) ?? '0';
    if ((await redis.exists(`${req.entryKey}@${generation}`)) !== 1) {
      throw new Error(`no cache entry ${req.entryKey}@${generation} before a hit phase`);
    }
    return generation;
  };
  const acc = new Map(
    req.phases.map((p) => [p, { latencies: [] as number[], seconds: 0, errors: 0, rounds: [] as number[] }]),
  );
  try {
    for (const phase of req.phases) {
      await closedLoop(req.warmupCalls, req.concurrency, ops[phase], []);
    }
    for (let r = 0; r < req.rounds; r++) {
      for (const phase of req.phases) {
        const a = acc.get(phase)!;
        const latencies: number[] = [];
        // Every hit is one: the entry is there before (one untimed call stores it after a miss
        // phase) and its tag does not move during the phase.
        const generation = phase === 'hit' ? await cachedGeneration() : undefined;
        const { seconds, errors } = await closedLoop(req.calls, req.concurrency, ops[phase], latencies);
        if (generation !== undefined && (await redis.get(req.tagKey)) !== generation) {
          throw new Error("the ticket's cache tag moved during a hit phase");
        }
        a.latencies.push(...latencies);
        a.seconds += seconds;
        a.errors += errors;
        a.rounds.push(req.calls / seconds);
      }
    }
  } finally {
    for (const c of [...reads, ...diagnostics]) c.close();
    for (const c of channels) c.close();
    redis.disconnect();
  }
  return req.phases.map((phase) => {
    const a = acc.get(phase)!;
    const sorted = a.latencies.sort((x, y) => x - y);
    return {
      phase,
      calls: req.calls * req.rounds,
      errors: a.errors,
      roundOpsPerSec: a.rounds,
      opsPerSec: (req.calls * req.rounds) / a.seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  });
}

process.once('message', (req: LoadRequest) => {
  run(req).then(
    (results) => process.send!({ ok: true, results } satisfies LoadReply, () => process.exit(0)),
    (e: unknown) =>
      process.send!({ ok: false, error: String((e as Error)?.stack ?? e) } satisfies LoadReply, () =>
        process.exit(1),
      ),
  );
});
