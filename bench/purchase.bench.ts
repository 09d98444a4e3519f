/**
 * Purchase load generator (`npm run bench:purchase`; not part of the test run): what a cinema would
 * run against its own deployment before a ticket drop. It drives the gateway over HTTP, like the
 * buyers' browsers, and nothing else:
 *
 * - closed loops at concurrency 1, 10 and 30 and an open loop at a target rate, buyers spread over
 *   the showtimes (one seat each, no two buyers after the same seat);
 * - a race: N buyers for M seats of one showtime, all at once (every buyer must get a final
 *   answer, no seat may be sold twice);
 * - for every phase: purchases/s, latency p50/p99/max, the answers by status code, and how long a
 *   bought ticket takes to appear in the read model (GET /api/tickets/{id} through the gateway);
 * - beside each closed and open phase, the same load of a trivial workflow (four no-op activities,
 *   bench/trivial-workflow.ts) on the same Temporal server, started by a client and worker inside
 *   this process, and the ratios purchase / trivial: the server's own floor, measured in the same
 *   run, because on a small shared machine an absolute time says more about the neighbours;
 * - on a private stack, where the read-model lag goes: relay or read side (bench/read-lag-stages.ts).
 *
 * Without --url it starts a private stack as separate processes (test/e2e/stack.ts: saga and relay
 * workers, read service, two API nodes, load balancer, gateway on free ports, its own databases,
 * task queues and Kafka topic, removed afterwards). With --url it drives that gateway (e.g. the one
 * of `npm run stack`, http://127.0.0.1:5005) and buys seats that are free there.
 *
 *   npm run bench:purchase
 *   npm run bench:purchase -- --url http://127.0.0.1:5005 --phases c1,c10 --c10 200
 *   npm run bench:purchase -- --phases race --buyers 200 --seats 40
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Command, InvalidArgumentError } from 'commander';

import { loadConfig } from '../config';
import { eventually, startStack, type Stack } from '../test/e2e/stack';
import { token as devToken } from '../test/support/auth';
import { uniqueTaskQueue } from '../test/support/temporal';
import { measureCpu } from './cpu-usage';
import { readLagStages, type WatchedTicket } from './read-lag-stages';
import { fmt, summarize } from './stats';
import type { TrivialActivities } from './trivial-workflow';

const int = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const PHASES = ['c1', 'c10', 'c30', 'open', 'race'] as const;
type PhaseName = (typeof PHASES)[number];

const opts = new Command('bench:purchase')
  .option('--url <gateway>', 'drive this gateway instead of starting a private stack')
  .option(
    '--token <jwt>',
    'one bearer token for every buyer, whose subject is then the customer id (default: $BENCH_TOKEN; ' +
      'else each buyer gets a development token of its own, role customer)',
  )
  .option('--phases <list>', `comma-separated, from ${PHASES.join(',')}`, PHASES.join(','))
  .option('--c1 <n>', 'purchases at concurrency 1', int, 30)
  .option('--c10 <n>', 'purchases at concurrency 10', int, 100)
  .option('--c30 <n>', 'purchases at concurrency 30', int, 150)
  .option('--rate <n>', 'open loop: target purchases/s', int, 15)
  .option('--seconds <n>', 'open loop: duration', int, 10)
  .option('--buyers <n>', 'race: buyers', int, 200)
  .option('--seats <n>', 'race: seats they race for (at most 40)', int, 40)
  .option('--warmup <n>', 'purchases and trivial workflows before measuring', int, 5)
  .option('--lag-watchers <n>', 'read-model lag: tickets watched at once (the rest are not watched)', int, 8)
  .option(
    '--lag-poll-ms <n>',
    'read-model lag: poll interval per watched ticket (5x after the first second)',
    int,
    50,
  )
  .option('--card <number>', 'test card (simulated provider)', '4111111111111111')
  .parse()
  .opts<{
    url?: string;
    token?: string;
    phases: string;
    c1: number;
    c10: number;
    c30: number;
    rate: number;
    seconds: number;
    buyers: number;
    seats: number;
    warmup: number;
    lagWatchers: number;
    lagPollMs: number;
    card: string;
  }>();

const phases = opts.phases.split(',').map((p) => p.trim()) as PhaseName[];
for (const p of phases) if (!PHASES.includes(p)) throw new InvalidArgumentError(`unknown phase ${p}`);
if (opts.seats > 40) throw new InvalidArgumentError('--seats: at most 40 (rows 1-5 x seats 1-8)');

/** Rows 1-5 x seats 1-8 exist in every seeded hall (db/seed/demo-data.ts). */
const SEATS: readonly Seat[] = Array.from({ length: 40 }, (_, i) => ({
  row: 1 + Math.floor(i / 8),
  number: 1 + (i % 8),
}));
const seatKey = (s: Seat) => `${s.row}-${s.number}`;
/** How long the race's double-sale check waits for the read model to show every sold seat. */
const SEAT_MAP_SETTLE_MS = 60_000;
const TICKET_APPEAR_GIVE_UP_MS = 60_000;
/** How long the race follows its 202s to their end before it reports them unresolved. */
const FOLLOW_GIVE_UP_MS = 120_000;

interface Seat {
  readonly row: number;
  readonly number: number;
}
interface Buyer {
  readonly showtimeId: string;
  readonly seat: Seat;
}
interface Outcome {
  readonly status: number; // 0: no HTTP answer (connection error)
  readonly ms: number;
  readonly sagaId?: string;
  readonly ticketId?: string;
  readonly customerId?: string;
}
interface Run {
  readonly label: string;
  readonly outcomes: Outcome[];
  seconds: number;
  /** Purchase answered 200 -> GET /api/tickets/{id} answers 200, ms; per watched ticket. */
  readonly lags: number[];
  /** The same tickets with their wall-clock times, for the lag's stages (read-lag-stages.ts). */
  readonly watched: WatchedTicket[];
  unwatched: number;
  lagMissing: number;
}

const newRun = (label: string): Run => ({
  label,
  outcomes: [],
  seconds: 0,
  lags: [],
  watched: [],
  unwatched: 0,
  lagMissing: 0,
});

// ── progress line ──────────────────────────────────────────────────────────────────────────────
let live: { run: Run; total: number; started: number } | null = null;
const tty = process.stderr.isTTY;
let lastPlain = 0;
function progress(final = false): void {
  if (!live) return;
  const { run, total, started } = live;
  const done = run.outcomes.length;
  const elapsed = (performance.now() - started) / 1000;
  const lat = summarize(run.outcomes.map((o) => o.ms));
  const codes = byStatus(run.outcomes);
  const line =
    `${run.label.padEnd(22)} ${String(done).padStart(4)}/${total}  ${fmt(done / Math.max(elapsed, 1e-3), 1)}/s` +
    `  p50 ${fmt(lat.p50)} ms  max ${fmt(lat.max)} ms  ${codes}` +
    (run.lags.length ? `  read lag p50 ${fmt(summarize(run.lags).p50)} ms` : '');
  if (tty) process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
  else if (final || performance.now() - lastPlain > 5_000) {
    lastPlain = performance.now();
    process.stderr.write(`${line}\n`);
  }
}
const ticker = setInterval(() => progress(), 250);
ticker.unref();

function byStatus(outcomes: readonly Outcome[]): string {
  const counts = new Map<number, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === 0 ? 'err' : s}:${n}`)
    .join(' ');
}

// ── HTTP against the gateway ──────────────────────────────────────────────────────────────────
let gateway = '';
const fixedToken = opts.token ?? process.env.BENCH_TOKEN;
/** The subject of a given token: every purchase is then that customer's. */
const fixedCustomer = fixedToken
  ? String(
      (JSON.parse(Buffer.from(fixedToken.split('.')[1] ?? '', 'base64url').toString()) as { sub?: string })
        .sub,
    )
  : undefined;
const devTokens = new Map<string, string>();
/** A buyer's bearer header: the given token, or a development token (signed with the committed development key) for the buyer. */
function authHeaders(customerId = 'bench-reader'): Record<string, string> {
  if (fixedToken) return { authorization: `Bearer ${fixedToken}` };
  let t = devTokens.get(customerId);
  if (t === undefined) devTokens.set(customerId, (t = devToken(customerId, 'customer', { ttl: '2h' })));
  return { authorization: `Bearer ${t}` };
}

async function getJson(path: string, customerId?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${gateway}${path}`, { headers: authHeaders(customerId) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const runId = randomUUID().slice(0, 8);
let buyerSeq = 0;

async function purchase(buyer: Buyer, sentAt = performance.now()): Promise<Outcome> {
  const n = buyerSeq++;
  const customerId = fixedCustomer ?? `bench-customer-${runId}-${n}`;
  try {
    const res = await fetch(`${gateway}/api/ticketpurchase`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `bench-${runId}-${n}`,
        ...authHeaders(customerId),
      },
      body: JSON.stringify({
        showtimeId: buyer.showtimeId,
        customerId,
        seats: [buyer.seat],
        paymentMethod: 'CreditCard',
        cardNumber: opts.card,
        cardHolderName: 'Bench Buyer',
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { sagaId?: string; ticketId?: string };
    return {
      status: res.status,
      ms: performance.now() - sentAt,
      sagaId: body.sagaId,
      ticketId: body.ticketId,
      // The buyer's own token reads the ticket and the status back: anyone else gets a 404.
      customerId,
    };
  } catch {
    return { status: 0, ms: performance.now() - sentAt, customerId };
  }
}

// ── read-model lag ────────────────────────────────────────────────────────────────────────────
let watching = 0;
const watchers = new Set<Promise<void>>();
/** Polls the ticket through the gateway until the read model has it (a bounded number at once). */
function watchTicket(run: Run, ticketId: string, customerId?: string): void {
  if (watching >= opts.lagWatchers) {
    run.unwatched += 1;
    return;
  }
  watching += 1;
  const answeredAt = performance.now();
  const answeredWall = Date.now();
  const w = (async () => {
    while (performance.now() - answeredAt < TICKET_APPEAR_GIVE_UP_MS) {
      const sentAt = Date.now();
      const r = await getJson(`/api/tickets/${ticketId}`, customerId).catch(() => ({ status: 0 }));
      if (r.status === 200) {
        run.lags.push(performance.now() - answeredAt);
        run.watched.push({ ticketId, answeredAt: answeredWall, foundSentAt: sentAt, readableAt: Date.now() });
        return;
      }
      // Fine-grained while the lag is short, then gentler: the polls are load on the stack too.
      await sleep(performance.now() - answeredAt < 1_000 ? opts.lagPollMs : 5 * opts.lagPollMs);
    }
    run.lagMissing += 1;
  })().finally(() => {
    watching -= 1;
    watchers.delete(w);
  });
  watchers.add(w);
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function record(run: Run, o: Outcome): void {
  run.outcomes.push(o);
  if (o.status === 200 && o.ticketId) watchTicket(run, o.ticketId, o.customerId);
}

// ── load shapes ───────────────────────────────────────────────────────────────────────────────
async function closedLoop(
  run: Run,
  count: number,
  concurrency: number,
  task: (i: number) => Promise<Outcome>,
) {
  live = { run, total: count, started: performance.now() };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) record(run, await task(next++));
    }),
  );
  run.seconds = (performance.now() - t0) / 1000;
  progress(true);
  live = null;
}

/** Sends at a fixed rate whatever the answers do; latency counts from the scheduled send time. */
async function openLoop(
  run: Run,
  rate: number,
  seconds: number,
  task: (i: number, at: number) => Promise<Outcome>,
) {
  const total = rate * seconds;
  live = { run, total, started: performance.now() };
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(task(i, at).then((o) => record(run, o)));
  }
  await Promise.all(inflight);
  run.seconds = (performance.now() - t0) / 1000;
  progress(true);
  live = null;
}

// ── trivial workflow on the same Temporal server ──────────────────────────────────────────────
interface Trivial {
  once(sentAt?: number): Promise<Outcome>;
  close(): Promise<void>;
}

async function startTrivial(): Promise<Trivial> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = uniqueTaskQueue('bench-trivial');
  const native = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const activities: TrivialActivities = { noop: async (step) => step };
  const worker = await Worker.create({
    connection: native,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('./trivial-workflow'),
      logger: new DefaultLogger('WARN'),
    }),
    activities,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  let n = 0;
  return {
    async once(sentAt = performance.now()) {
      try {
        await client.workflow.execute('trivialFourSteps', { taskQueue, workflowId: `${taskQueue}-${n++}` });
        return { status: 200, ms: performance.now() - sentAt };
      } catch {
        return { status: 500, ms: performance.now() - sentAt };
      }
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
    },
  };
}

// ── seats ─────────────────────────────────────────────────────────────────────────────────────
interface ShowtimeRow {
  id: string;
  startsAt: string;
}

/**
 * Future showtimes and, per showtime, the bench seats nobody holds yet (from the read model). A
 * fresh stack's read model is still projecting the seeded showtimes: wait until it lists enough
 * of them for `seatsWanted`, or its list has stopped growing for 15 s.
 */
async function freeSeats(seatsWanted: number): Promise<Map<string, Seat[]>> {
  let rows: ShowtimeRow[] = [];
  for (let grewAt = performance.now(); performance.now() - grewAt < 15_000;) {
    const r = await getJson('/api/showtimes').catch(() => ({ status: 0, body: undefined }));
    const list = r.status === 200 ? ((r.body as ShowtimeRow[] | undefined) ?? []) : [];
    // An hour of margin: a showtime about to start refuses purchases.
    const future = list.filter((s) => Date.parse(s.startsAt) > Date.now() + 3_600_000);
    if (future.length > rows.length) grewAt = performance.now();
    rows = future;
    if (rows.length * SEATS.length >= seatsWanted) break;
    await sleep(1_000);
  }
  const free = new Map<string, Seat[]>();
  for (const s of rows) {
    const map = await getJson(`/api/showtimes/${encodeURIComponent(s.id)}/seats`);
    if (map.status !== 200) continue;
    const taken = new Set(((map.body as { taken: Seat[] }).taken ?? []).map(seatKey));
    free.set(
      s.id,
      SEATS.filter((seat) => !taken.has(seatKey(seat))),
    );
  }
  return free;
}

/** Hands out seats round robin over showtimes: consecutive buyers never want the same showtime's seat. */
function spreadBuyers(free: Map<string, Seat[]>): () => Buyer {
  const ids = [...free.keys()];
  let i = 0;
  return () => {
    for (let tries = 0; tries < ids.length; tries++) {
      const id = ids[i++ % ids.length]!;
      const seat = free.get(id)!.shift();
      if (seat) return { showtimeId: id, seat };
    }
    throw new Error('out of free seats: fewer purchases per phase, or a fresh stack');
  };
}

// ── report ────────────────────────────────────────────────────────────────────────────────────
const table: string[] = [
  '| phase | runner | n | purchases/s | p50 ms | p99 ms | max ms | answers | read model lag p50 / p99 / max ms |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
];
const ratios: string[] = [];
const lagTables: string[] = [];
const cpuTables: string[] = [];

/** CPU ms per purchase (and per trivial workflow) of each part of the stack, largest first. */
function reportCpu(
  phase: string,
  purchases: number,
  purchaseCpu: Map<string, number>,
  trivials = 0,
  trivialCpu = new Map<string, number>(),
): void {
  const total = (cpu: Map<string, number>) => [...cpu.values()].reduce((a, b) => a + b, 0);
  const per = (ms: number | undefined, n: number) => (n > 0 && ms !== undefined ? fmt(ms / n, 1) : '-');
  const rows = [...purchaseCpu.entries()].sort((a, b) => b[1] - a[1]);
  const all = total(purchaseCpu);
  cpuTables.push(
    `\nCPU ms per purchase by process, ${phase} (${purchases} purchases${trivials ? `; per trivial workflow beside it, ${trivials} runs` : ''}):\n`,
    `| process | purchase | share |${trivials ? ' trivial workflow |' : ''}`,
    `| --- | ---: | ---: |${trivials ? ' ---: |' : ''}`,
    ...rows.map(
      ([part, ms]) =>
        `| ${part} | ${per(ms, purchases)} | ${fmt((100 * ms) / all)}% |${trivials ? ` ${per(trivialCpu.get(part), trivials)} |` : ''}`,
    ),
    `| all | ${per(all, purchases)} | 100% |${trivials ? ` ${per(total(trivialCpu), trivials)} |` : ''}`,
  );
}

function report(phase: string, runner: string, run: Run): { rate: number; p50: number } {
  const ok = run.outcomes.filter((o) => o.status === 200).length;
  const rate = ok / run.seconds;
  const lat = summarize(run.outcomes.map((o) => o.ms));
  const lag = summarize(run.lags);
  const lagText = run.lags.length
    ? `${fmt(lag.p50)} / ${fmt(lag.p99)} / ${fmt(lag.max)} (${run.lags.length} watched${run.lagMissing ? `, ${run.lagMissing} never appeared` : ''})`
    : runner === 'purchase'
      ? '-'
      : 'n/a';
  table.push(
    `| ${phase} | ${runner} | ${run.outcomes.length} | ${fmt(rate, 1)} | ${fmt(lat.p50)} | ${fmt(lat.p99)} | ${fmt(lat.max)} | ${byStatus(run.outcomes)} | ${lagText} |`,
  );
  return { rate, p50: lat.p50 };
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  let stack: Stack | undefined;
  let trivial: Trivial | undefined;
  const stopAll = async () => {
    await trivial?.close().catch(() => undefined);
    await stack?.shutdown().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    if (opts.url) gateway = opts.url.replace(/\/$/, '');
    else {
      process.stderr.write('starting a private stack (workers, read service, 2 API nodes, lb, gateway)...\n');
      // The load balancer's production check interval: the test stack polls five times as often
      // for quick failover tests, which costs the API nodes and the read service CPU.
      stack = await startStack('bench', {
        LB_HEALTH_INTERVAL_MS: String(loadConfig().LB_HEALTH_INTERVAL_MS),
      });
      gateway = stack.gateway;
      await eventually(
        async () => ((await fetch(`${gateway}/health`)).status === 200 ? true : undefined),
        500,
      );
    }
    process.stderr.write(
      `gateway ${gateway}${fixedToken ? ` (token of ${fixedCustomer})` : ' (development tokens)'}\n`,
    );
    trivial = await startTrivial();

    const needed =
      opts.warmup +
      phases.reduce((n, p) => n + (p === 'open' ? opts.rate * opts.seconds : p === 'race' ? 0 : opts[p]), 0);
    // Some margin: seats already taken on a deployment that has sold some.
    const free = await freeSeats(1.2 * needed + (phases.includes('race') ? SEATS.length : 0));
    // The race takes the showtime with the most free bench seats; the other phases the rest.
    const raceShowtime = phases.includes('race')
      ? [...free.entries()].sort((a, b) => b[1].length - a[1].length)[0]
      : undefined;
    if (raceShowtime) free.delete(raceShowtime[0]);
    const available = [...free.values()].reduce((n, seats) => n + seats.length, 0);
    if (available < needed) {
      throw new Error(
        `${needed} purchases need as many free seats; ${available} are free: fewer purchases per phase`,
      );
    }
    const nextBuyer = spreadBuyers(free);

    // Warm-up: JIT, connection pools, workflow bundle caches on both sides.
    for (let i = 0; i < opts.warmup; i++) {
      await purchase(nextBuyer());
      await trivial.once();
    }

    for (const phase of phases) {
      if (phase === 'race') continue;
      const t = newRun(`${phase} trivial`);
      const p = newRun(`${phase} purchase`);
      // Each run's CPU includes what it leaves behind: the read side projecting its tickets.
      let trivialCpu: Map<string, number>;
      let purchaseCpu: Map<string, number>;
      if (phase === 'open') {
        trivialCpu = await measureCpu(() =>
          openLoop(t, opts.rate, opts.seconds, (_i, at) => trivial!.once(at)),
        );
        purchaseCpu = await measureCpu(async () => {
          await openLoop(p, opts.rate, opts.seconds, (_i, at) => purchase(nextBuyer(), at));
          await Promise.all(watchers);
        });
      } else {
        const concurrency = Number(phase.slice(1));
        const count = opts[phase];
        trivialCpu = await measureCpu(() => closedLoop(t, count, concurrency, () => trivial!.once()));
        const buyers = Array.from({ length: count }, nextBuyer);
        purchaseCpu = await measureCpu(async () => {
          await closedLoop(p, count, concurrency, (i) => purchase(buyers[i]!));
          await Promise.all(watchers);
        });
      }
      const label = phase === 'open' ? `open ${opts.rate}/s` : `closed c=${phase.slice(1)}`;
      const tr = report(label, 'trivial', t);
      const pr = report(label, 'purchase', p);
      reportCpu(label, p.outcomes.length, purchaseCpu, t.outcomes.length, trivialCpu);
      if (stack?.env.WRITE_DB_URL)
        lagTables.push(...(await readLagStages(stack.env.WRITE_DB_URL, p.watched, label)));
      ratios.push(
        `${label}: purchase/trivial p50 ${fmt(pr.p50 / tr.p50, 2)}x, rate ${fmt(pr.rate / tr.rate, 2)}x`,
      );
    }

    let raceLines: string[] = [];
    if (raceShowtime) raceLines = await race(raceShowtime[0], raceShowtime[1].slice(0, opts.seats));

    console.log(`\nbench:purchase, ${new Date().toISOString()}, gateway ${gateway}\n`);
    console.log(table.join('\n'));
    console.log(`\nratios (same run):\n  ${ratios.join('\n  ')}`);
    console.log(cpuTables.join('\n'));
    console.log(lagTables.join('\n'));
    if (raceLines.length) console.log(`\n${raceLines.join('\n')}`);
    console.log(
      '\ngoals: c=1 purchase p50 <= 150 ms and <= 2x trivial; c=10 >= 20 purchases/s and >= 0.8x trivial; ' +
        'race: no 202, done in < 10 s, no seat sold twice',
    );
  } finally {
    await stopAll();
  }
}

/** N buyers for M seats at once: each seat is wanted by N/M buyers. */
async function race(showtimeId: string, seats: Seat[]): Promise<string[]> {
  if (seats.length < opts.seats) throw new Error(`race: only ${seats.length} free seats on ${showtimeId}`);
  const run = newRun(`race ${opts.buyers}->${seats.length}`);
  const buyers: Buyer[] = Array.from({ length: opts.buyers }, (_, i) => ({
    showtimeId,
    seat: seats[i % seats.length]!,
  }));
  const answers: Outcome[] = [];
  const cpu = await measureCpu(async () => {
    await closedLoop(
      run,
      buyers.length,
      buyers.length,
      async (i) => (answers[i] = await purchase(buyers[i]!)),
    );
    await Promise.all(watchers);
  });
  const label = `race ${opts.buyers} buyers / ${seats.length} seats`;
  report(label, 'purchase', run);
  reportCpu(label, run.outcomes.length, cpu);

  // Sold per seat from the answers; a 202 may still sell its seat later, so follow it to its end.
  const soldBy = new Map<string, number>();
  let lateSold = 0;
  let unresolved = 0;
  const followDeadline = performance.now() + FOLLOW_GIVE_UP_MS;
  for (let i = 0; i < buyers.length; i++) {
    const o = answers[i]!;
    let sold = o.status === 200;
    if (o.status === 202 && o.sagaId) {
      const final = await finalStatus(o.sagaId, o.customerId, followDeadline);
      if (final === undefined) unresolved += 1;
      sold = final === 'Completed';
      if (sold) lateSold += 1;
    }
    if (sold) soldBy.set(seatKey(buyers[i]!.seat), (soldBy.get(seatKey(buyers[i]!.seat)) ?? 0) + 1);
  }
  const twice = [...soldBy.values()].filter((n) => n > 1).length;
  const sold = [...soldBy.values()].reduce((a, b) => a + b, 0);
  // The read model's seat map must show exactly the seats sold (it may need a moment to catch up).
  const wanted = new Set(seats.map(seatKey));
  const deadline = performance.now() + SEAT_MAP_SETTLE_MS;
  let mapSold = -1;
  while (performance.now() < deadline) {
    const map = await getJson(`/api/showtimes/${encodeURIComponent(showtimeId)}/seats`);
    const taken = ((map.body as { taken?: (Seat & { state: string })[] } | undefined)?.taken ?? []).filter(
      (t) => wanted.has(seatKey(t)) && t.state === 'Sold',
    );
    mapSold = taken.length;
    if (mapSold === sold) break;
    await sleep(250);
  }
  const pending = run.outcomes.filter((o) => o.status === 202).length;
  return [
    `race: ${opts.buyers} buyers for ${seats.length} seats of ${showtimeId}: ${fmt(run.seconds, 2)} s from first send to last answer;` +
      ` ${byStatus(run.outcomes)}; ${pending} without a final answer (202)${pending ? `, ${lateSold} of them sold later` : ''};` +
      ` ${sold} seats sold, ${twice} sold twice; read model seat map shows ${mapSold} of them sold` +
      (unresolved ? `; ${unresolved} still without a final status after ${FOLLOW_GIVE_UP_MS / 1000} s` : ''),
  ];
}

/** A 202's final status, polled until `deadline`; undefined when it has none by then. */
async function finalStatus(sagaId: string, customerId: string | undefined, deadline: number) {
  while (performance.now() < deadline) {
    const s = await getJson(`/api/ticketpurchase/${sagaId}/status`, customerId).catch(() => undefined);
    const status = (s?.body as { status?: string } | undefined)?.status;
    if (status === 'Completed' || status === 'Compensated' || status === 'Failed') return status;
    await sleep(250);
  }
  return undefined;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
