/**
 * Payload codec benchmark (`npm run bench:codec`; not part of the test run): what the AES-256-GCM
 * codec (codec/payload-codec.ts, wired by codec/data-converter.ts) costs. Every figure is a ratio
 * against a baseline measured side by side in the same run, because on a small shared machine a
 * lone absolute time says more about the neighbours than about the codec.
 *
 * 1. micro: encode + decode through the SDK's full data converter (JSON payload converter, then
 *    the codec) vs. the default converter alone, for the saga's workflow input and result and its
 *    ProcessPayment activity input (built like the real ones); interleaved rounds, median of
 *    rounds; plus the serialized payload size with and without encryption.
 * 2. macro: purchases through the real saga workflow and activities on the Temporal dev server,
 *    against a private PostgreSQL database: one worker + client pair with the codec plugin, one
 *    without, each on its own task queue; batches alternate between the two (ABBA order), and each
 *    batch is a closed loop at fixed concurrency. purchases/s and p50/p99 saga latency (start to
 *    result, seen by the client).
 *
 *   npm run bench:codec -- --purchases 100 --concurrency 10 --batch 20 --rounds 15
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type LoadedDataConverter, type Payload } from '@temporalio/common';
import {
  decodeFromPayloadsAtIndex,
  encodeToPayloads,
} from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers';
import { temporal } from '@temporalio/proto';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundle,
} from '@temporalio/worker';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';

import { createBookingActivities, type ProcessPaymentInput } from '../activities';
import { codecPlugin, createDataConverter } from '../codec/data-converter';
import { loadConfig, type Config } from '../config';
import { UnitOfWork } from '../db/unit-of-work';
import { CardNumber, expectOk, type SagaEvent, type SeatRef } from '../domain';
import { createPaymentProvider, tokenizeCard } from '../providers/payment';
import { requestIdLogAttributes } from '../workers/request-id-log-attributes';
import { ticketPurchase } from '../workflows';
import type { PurchaseSucceeded, TicketPurchaseInput } from '../workflows/purchase-contract';
import { scheduleShowtime, testContext, type ScheduledShowtime } from '../test/int/db/fixtures';
import { availableDialects, createTestDatabase } from '../test/int/db/helpers';
import { uniqueTaskQueue } from '../test/support/temporal';
import { fmt, summarize } from './stats';
import { TicketQrSigner } from '../providers/ticket-qr';

const int = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const options = new Command('bench:codec')
  .option('--rounds <n>', 'micro: interleaved rounds per payload', int, 15)
  .option('--iterations <n>', 'micro: encode+decode round trips per round', int, 2_000)
  .option('--purchases <n>', 'macro: purchases per variant (codec, plain)', int, 100)
  .option('--concurrency <n>', 'macro: purchases in flight per batch', int, 10)
  .option('--batch <n>', 'macro: purchases per batch (variants alternate by batch)', int, 20)
  .option('--warmup <n>', 'macro: purchases per variant before measuring', int, 10)
  .parse()
  .opts<{
    rounds: number;
    iterations: number;
    purchases: number;
    concurrency: number;
    batch: number;
    warmup: number;
  }>();

const median = (values: readonly number[]) => summarize(values).p50;
const ratio = (a: number, b: number) => fmt(a / b, 2);
const ProtoPayload = temporal.api.common.v1.Payload;
const bytesOf = (payload: Payload) => ProtoPayload.encode(payload).finish().length;

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : c.padStart(widths[i]!))).join('');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

// ---- representative payloads (shapes of workflows/purchase-contract.ts and activities/types.ts)

const CARD = tokenizeCard(expectOk(CardNumber.parse('4111111111111111')));
const SEATS: SeatRef[] = [
  { row: 7, number: 11 },
  { row: 7, number: 12 },
];

function purchaseInput(showtimeId: string, seats: readonly SeatRef[]): TicketPurchaseInput {
  const sagaId = `purchase-${randomUUID()}`;
  return {
    sagaId,
    requestId: `req-${randomUUID()}`,
    showtimeId,
    customerId: `customer-${randomUUID().slice(0, 13)}`,
    seats,
    payment: {
      method: 'CreditCard',
      token: CARD.token,
      cardBrand: CARD.brand,
      cardLast4: CARD.last4,
      cardHolderName: 'John Doe',
    },
    holdSeconds: 600,
  };
}

function purchaseResult(input: TicketPurchaseInput): PurchaseSucceeded {
  return {
    success: true,
    sagaId: input.sagaId,
    ticketId: randomUUID(),
    ticketNumber: 'TKT-20261122-4F7A9C',
    reservationId: randomUUID(),
    paymentId: randomUUID(),
    movieTitle: 'Inception',
    screeningTime: new Date().toISOString(),
    seats: input.seats,
    totalAmountMinor: 2500,
    currency: 'USD',
  };
}

/** ProcessPayment's input: it carries the events raised since ReserveSeats committed. */
function paymentInput(input: TicketPurchaseInput, reservationId: string): ProcessPaymentInput {
  const at = new Date().toISOString();
  const event = <E extends SagaEvent>(
    eventType: E['eventType'],
    version: number,
    payload: E['payload'],
  ): SagaEvent =>
    ({
      eventId: randomUUID(),
      eventType,
      aggregateType: 'TicketPurchaseSaga',
      aggregateId: input.sagaId,
      aggregateVersion: version,
      occurredAt: at,
      payload,
    }) as SagaEvent;
  return {
    workflowId: input.sagaId,
    requestId: input.requestId,
    sagaEvents: [
      event('SagaStarted', 1, {
        sagaId: input.sagaId,
        customerId: input.customerId,
        showtimeId: input.showtimeId,
        seats: input.seats,
        startedAt: at,
      }),
      event('StepCompleted', 2, {
        sagaId: input.sagaId,
        stepName: 'ReserveSeats',
        stepNumber: 1,
        message: 'Reserved 2 seat(s)',
        reservationId,
        paymentId: null,
        ticketId: null,
        ticketNumber: null,
      }),
    ],
    paymentId: randomUUID(),
    reservationId,
    customerId: input.customerId,
    payment: {
      method: input.payment.method,
      token: input.payment.token,
      cardBrand: input.payment.cardBrand,
      cardLast4: input.payment.cardLast4,
    },
  };
}

// ---- micro

/** Mean ns per encode+decode round trip of `value` through `converter`. */
async function roundTrips(
  converter: LoadedDataConverter,
  value: unknown,
  iterations: number,
): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const payloads = await encodeToPayloads(converter, value);
    await decodeFromPayloadsAtIndex(converter, 0, payloads);
  }
  return ((performance.now() - started) * 1e6) / iterations;
}

async function micro(config: Config): Promise<void> {
  const plain = loadDataConverter();
  const coded = loadDataConverter(createDataConverter(config));
  const input = purchaseInput(randomUUID(), SEATS);
  const payloads: [string, unknown][] = [
    ['workflow input', input],
    ['workflow result', purchaseResult(input)],
    ['activity input (payment)', paymentInput(input, randomUUID())],
  ];
  const rows: string[][] = [];
  for (const [name, value] of payloads) {
    // Warm both paths (JIT, OpenSSL context) before measuring.
    await roundTrips(plain, value, options.iterations);
    await roundTrips(coded, value, options.iterations);
    const plainNs: number[] = [];
    const codedNs: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      // Alternate which goes first, so drift in the machine's load hits both alike.
      if (r % 2 === 0) {
        plainNs.push(await roundTrips(plain, value, options.iterations));
        codedNs.push(await roundTrips(coded, value, options.iterations));
      } else {
        codedNs.push(await roundTrips(coded, value, options.iterations));
        plainNs.push(await roundTrips(plain, value, options.iterations));
      }
    }
    const plainBytes = bytesOf(defaultPayloadConverter.toPayload(value));
    const codedBytes = bytesOf((await encodeToPayloads(coded, value))![0]!);
    const p = median(plainNs);
    const c = median(codedNs);
    rows.push([
      name,
      fmt(1e9 / c),
      fmt(1e9 / p),
      ratio(p, c),
      fmt(plainBytes),
      fmt(codedBytes),
      `+${fmt(codedBytes - plainBytes)} (${ratio(codedBytes, plainBytes)}x)`,
    ]);
  }
  console.log(
    `\nmicro: encode+decode through the data converter, codec vs default converter; ` +
      `median of ${options.rounds} interleaved rounds x ${fmt(options.iterations)} round trips\n`,
  );
  table(['payload', 'codec ops/s', 'plain ops/s', 'codec/plain', 'plain B', 'codec B', 'growth'], rows);
}

// ---- macro

interface Variant {
  readonly name: 'codec' | 'plain';
  readonly client: Client;
  readonly taskQueue: string;
  readonly showtime: ScheduledShowtime;
  nextSeat: number;
  readonly latencies: number[];
  seconds: number;
  failures: number;
}

/** Two adjacent seats nobody else in this run is buying (rows of 12 seats, 6 pairs per row). */
function takeSeats(variant: Variant): SeatRef[] {
  const pair = variant.nextSeat++;
  const row = Math.floor(pair / 6) + 1;
  const first = (pair % 6) * 2 + 1;
  return [
    { row, number: first },
    { row, number: first + 1 },
  ];
}

async function purchase(variant: Variant): Promise<number> {
  const input = purchaseInput(variant.showtime.showtime.id, takeSeats(variant));
  const started = performance.now();
  const result = await variant.client.workflow.execute(ticketPurchase, {
    taskQueue: variant.taskQueue,
    workflowId: input.sagaId,
    args: [input],
  });
  const ms = performance.now() - started;
  if (!result.success) {
    variant.failures += 1;
    console.error(`${variant.name}: ${input.sagaId} ended ${result.code}: ${result.error}`);
  }
  return ms;
}

/** A closed loop of `count` purchases, `concurrency` in flight; returns latencies and wall time. */
async function batch(variant: Variant, count: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, count) }, async () => {
      while (next++ < count) latencies.push(await purchase(variant));
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function macro(config: Config): Promise<void> {
  const postgres = availableDialects().targets.find((t) => t.dialect === 'postgres');
  if (!postgres) throw new Error('the macro benchmark needs PostgreSQL (WRITE_DB_URL)');
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const database = await createTestDatabase(postgres, { prefix: 'bench_codec', poolMax: 20 });
    cleanups.push(() => database.drop());
    const uow = new UnitOfWork(database.db);
    const workerConfig = loadConfig({
      ...process.env,
      PAYMENT_SIM_LATENCY_MS: '0',
      PAYMENT_SIM_HANG_MS: '0',
      PAYMENT_SIM_LEDGER: 'database',
    });
    const activities = createBookingActivities({
      db: database.db,
      uow,
      provider: createPaymentProvider(workerConfig, database.db),
      clock: { now: () => new Date() },
      ticketQr: TicketQrSigner.fromConfig(workerConfig),
      log: pino({ level: 'silent' }),
    });
    // One bundle for both workers: the workflow code is byte for byte the same.
    const workflowBundle: WorkflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      logger: new DefaultLogger('WARN'),
    });
    const rowsNeeded = Math.ceil((options.purchases + options.warmup) / 6);

    const start = async (name: Variant['name']): Promise<Variant> => {
      const plugins = name === 'codec' ? [codecPlugin(config)] : [];
      const native = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, plugins });
      cleanups.push(() => native.close());
      const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, plugins });
      cleanups.push(() => connection.close());
      const taskQueue = uniqueTaskQueue(`bench-codec-${name}`);
      const worker = await Worker.create({
        connection: native,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowBundle,
        activities,
        interceptors: { activity: [requestIdLogAttributes] },
      });
      const running = worker.run();
      cleanups.push(async () => {
        worker.shutdown();
        await running;
      });
      const showtime = await scheduleShowtime(uow, testContext(), { rows: rowsNeeded, seatsPerRow: 12 });
      return {
        name,
        client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
        taskQueue,
        showtime,
        nextSeat: 0,
        latencies: [],
        seconds: 0,
        failures: 0,
      };
    };
    const codec = await start('codec');
    const plain = await start('plain');

    await batch(codec, options.warmup);
    await batch(plain, options.warmup);
    codec.failures = plain.failures = 0;

    const batches = Math.ceil(options.purchases / options.batch);
    // codec/plain purchases/s of each pair of batches run back to back: the spread shows the noise.
    const pairRatios: number[] = [];
    for (let b = 0; b < batches; b++) {
      const count = Math.min(options.batch, options.purchases - b * options.batch);
      // ABBA: codec, plain, plain, codec, ... so neither always runs on the warmer machine.
      const order = b % 2 === 0 ? [codec, plain] : [plain, codec];
      const rate = new Map<Variant, number>();
      for (const variant of order) {
        const run = await batch(variant, count);
        variant.latencies.push(...run.latencies);
        variant.seconds += run.seconds;
        rate.set(variant, count / run.seconds);
      }
      pairRatios.push(rate.get(codec)! / rate.get(plain)!);
    }

    const c = summarize(codec.latencies);
    const p = summarize(plain.latencies);
    const cRate = codec.latencies.length / codec.seconds;
    const pRate = plain.latencies.length / plain.seconds;
    console.log(
      `\nmacro: ${fmt(options.purchases)} purchases per variant through the saga worker (dev server, ` +
        `private PostgreSQL), ${batches} alternating batches of ${options.batch}, concurrency ` +
        `${options.concurrency}, after ${options.warmup} warm-up purchases each\n`,
    );
    table(
      ['metric', 'codec', 'plain', 'codec/plain'],
      [
        ['purchases/s', fmt(cRate, 1), fmt(pRate, 1), ratio(cRate, pRate)],
        ['saga latency p50 (ms)', fmt(c.p50), fmt(p.p50), ratio(c.p50, p.p50)],
        ['saga latency p99 (ms)', fmt(c.p99), fmt(p.p99), ratio(c.p99, p.p99)],
      ],
    );
    const spread = summarize(pairRatios);
    console.log(
      `\ncodec/plain purchases/s per batch pair: median ${fmt(spread.p50, 2)}, ` +
        `range ${fmt(Math.min(...pairRatios), 2)}-${fmt(spread.max, 2)} over ${batches} pairs`,
    );
    if (codec.failures + plain.failures > 0) {
      console.log(
        `\npurchases that did not end with a ticket: codec ${codec.failures}, plain ${plain.failures}`,
      );
      process.exitCode = 1;
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  await micro(config);
  await macro(config);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
