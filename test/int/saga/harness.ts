/**
 * The saga on real services, for one test file: a fresh migrated PostgreSQL database, the running
 * Temporal dev server with a task queue of its own, a real Worker (real workflows, real
 * activities, the simulated payment provider with its ledger in that database) and a showtime to
 * buy seats for. Everything a test asserts is read back from SQL or from Temporal itself.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';

import { createBookingActivities, type BookingActivities } from '../../../activities';
import { loadConfig } from '../../../config';
import type { Database } from '../../../db/database';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { UnitOfWork } from '../../../db/unit-of-work';
import { CardNumber, expectOk, type SeatRef } from '../../../domain';
import { createPaymentProvider, tokenizeCard, type PaymentProvider } from '../../../providers/payment';
import { statusQuery, type TicketPurchaseInput } from '../../../workflows/purchase-contract';
import type { SagaStatusView } from '../../../domain';
import { ticketPurchase } from '../../../workflows';
import { connectTestTemporal, uniqueTaskQueue } from '../../support/temporal';
import { scheduleShowtime, testContext, type ScheduledShowtime } from '../db/fixtures';
import { availableDialects, createTestDatabase, type TestDatabase } from '../db/helpers';
import { TicketQrSigner } from '../../../providers/ticket-qr';

export const CARDS = {
  visa: '4111111111111111',
  visa2: '4242424242424242',
  declined: '4000000000000002',
  noFunds: '4000000000009995',
  transient: '4000000000000119',
  hang: '4000000000000259',
} as const;

export interface HarnessOptions {
  readonly name: string;
  /** Wraps the real activities, e.g. to inject a failure at one step for some sagas. */
  readonly wrapActivities?: (real: BookingActivities) => BookingActivities;
  /** Wraps the real payment provider, e.g. to look at SQL at the moment money moves. */
  readonly wrapProvider?: (real: PaymentProvider) => PaymentProvider;
  /** Skip the in-process worker (the crash test runs the worker as a child process). */
  readonly inProcessWorker?: boolean;
}

export interface SagaHarness {
  readonly env: TestWorkflowEnvironment;
  readonly database: TestDatabase;
  readonly db: Database;
  readonly taskQueue: string;
  readonly showtime: ScheduledShowtime;
  /** Starts a purchase for a fresh customer; its customer id keys the SQL checks below. */
  startPurchase(options: PurchaseOptions): Promise<Purchase>;
  /** Schedules another showtime (e.g. one that already started, with a clock in the past). */
  scheduleShowtime(
    startsInHours: number,
    layout?: { rows: number; seatsPerRow: number },
  ): Promise<ScheduledShowtime>;
  close(): Promise<void>;
}

export interface PurchaseOptions {
  readonly card: string;
  readonly seats: readonly SeatRef[];
  readonly holdSeconds?: number;
  readonly showtimeId?: string;
  /** Lets a wrapped activity recognise the saga (it is part of the saga id). */
  readonly tag?: string;
  /** The Idempotency-Key part of the saga id (default: tag + random), to reuse one on purpose. */
  readonly key?: string;
  /** Default: a fresh customer. */
  readonly customerId?: string;
}

export interface Purchase {
  readonly sagaId: string;
  readonly customerId: string;
  readonly handle: WorkflowHandle<typeof ticketPurchase>;
}

export async function startSagaHarness(options: HarnessOptions): Promise<SagaHarness> {
  const postgres = availableDialects().targets.find((t) => t.dialect === 'postgres');
  if (!postgres) throw new Error('the saga tests need PostgreSQL (WRITE_DB_URL)');
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const database = await createTestDatabase(postgres, { prefix: `saga_${options.name}`, poolMax: 10 });
    cleanups.push(() => database.drop());
    const env = await connectTestTemporal();
    cleanups.push(() => env.teardown());
    const taskQueue = uniqueTaskQueue(`saga-${options.name}`);
    const { db } = database;
    const uow = new UnitOfWork(db);
    const ctx = testContext();

    if (options.inProcessWorker !== false) {
      const config = loadConfig({
        ...process.env,
        PAYMENT_SIM_LATENCY_MS: '0',
        PAYMENT_SIM_TRANSIENT_FAILURES: '2',
        PAYMENT_SIM_HANG_MS: '0',
        PAYMENT_SIM_LEDGER: 'database',
      });
      const provider = createPaymentProvider(config, db);
      const real = createBookingActivities({
        db,
        uow,
        provider: options.wrapProvider ? options.wrapProvider(provider) : provider,
        clock: { now: () => new Date() },
        ticketQr: TicketQrSigner.fromConfig(config),
        log: pino({ level: 'silent' }),
      });
      const worker = await Worker.create({
        connection: env.nativeConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowsPath: require.resolve('../../../workflows'),
        activities: options.wrapActivities ? options.wrapActivities(real) : real,
      });
      const running = worker.run();
      cleanups.push(async () => {
        worker.shutdown();
        await running;
      });
    }

    const showtime = await scheduleShowtime(uow, ctx, { rows: 8, seatsPerRow: 12 });
    return {
      env,
      database,
      db,
      taskQueue,
      showtime,
      scheduleShowtime: (startsInHours, layout) =>
        scheduleShowtime(uow, testContext(new Date(Date.now() - 72 * 3_600_000)), {
          startsInHours: 72 + startsInHours,
          ...layout,
        }),
      async startPurchase(p) {
        const key = p.key ?? `${p.tag ?? 'buy'}-${randomUUID()}`;
        const sagaId = `purchase-${key}`;
        const customerId = p.customerId ?? `customer-${randomUUID().slice(0, 13)}`;
        const card = tokenizeCard(expectOk(CardNumber.parse(p.card)));
        const input: TicketPurchaseInput = {
          sagaId,
          requestId: `req-${randomUUID()}`,
          showtimeId: p.showtimeId ?? showtime.showtime.id,
          customerId,
          seats: p.seats,
          payment: {
            method: 'CreditCard',
            token: card.token,
            cardBrand: card.brand,
            cardLast4: card.last4,
            cardHolderName: 'John Doe',
          },
          holdSeconds: p.holdSeconds ?? 600,
        };
        const handle = await env.client.workflow.start(ticketPurchase, {
          taskQueue,
          workflowId: sagaId,
          args: [input],
        });
        return { sagaId, customerId, handle };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What a customer ends up with, read from the write DB and the provider's ledger. */
export interface CustomerMoneyAndSeats {
  readonly liveSeats: number;
  readonly liveTickets: number;
  readonly paymentStatuses: string[];
  /** Charged minus refunded at the provider, over the customer's payments. */
  readonly moneyKeptMinor: number;
  /** Successful charges at the provider. */
  readonly charges: number;
}

export async function customerState(db: Database, customerId: string): Promise<CustomerMoneyAndSeats> {
  const seats = await db.query(sql`
    SELECT count(*) AS n FROM reservation_seats s JOIN reservations r ON r.id = s.reservation_id
    WHERE r.customer_id = ${customerId} AND s.released_at IS NULL`);
  const tickets = await db.query(sql`
    SELECT count(*) AS n FROM tickets WHERE customer_id = ${customerId} AND status IN ('Issued', 'Used')`);
  const payments = await db.query(sql`SELECT id, status FROM payments WHERE customer_id = ${customerId}`);
  let moneyKeptMinor = 0;
  let charges = 0;
  for (const row of payments.rows) {
    const entry = await ledgerEntry(db, read.str(row.id, 'id'));
    if (entry?.status !== 'succeeded') continue;
    charges += 1;
    const refunded = Object.values(entry.refunds).reduce((sum, r) => sum + r.amountMinor, 0);
    moneyKeptMinor += entry.amountMinor - refunded;
  }
  return {
    liveSeats: read.int(seats.rows[0]?.n, 'n'),
    liveTickets: read.int(tickets.rows[0]?.n, 'n'),
    paymentStatuses: payments.rows.map((r) => read.str(r.status, 'status')),
    moneyKeptMinor,
    charges,
  };
}

interface LedgerRow {
  status: string;
  attempts: number;
  amountMinor: number;
  refunds: Record<string, { amountMinor: number }>;
}

export async function ledgerEntry(db: Database, paymentId: string): Promise<LedgerRow | null> {
  // The simulator creates its ledger on its first charge: no table yet means it never moved money.
  const { rows: table } = await db.query(sql`SELECT to_regclass('payment_sim_ledger') AS t`);
  if (table[0]?.t === null || table[0]?.t === undefined) return null;
  const { rows } = await db.query(sql`SELECT entry FROM payment_sim_ledger WHERE charge_key = ${paymentId}`);
  return rows[0]?.entry ? (read.jsonValue(rows[0].entry, 'entry') as LedgerRow) : null;
}

/** Event types in the outbox for one saga (correlation id), in commit order. */
export async function outboxEventTypes(db: Database, sagaId: string): Promise<string[]> {
  const { rows } = await db.query(
    sql`SELECT event_type FROM outbox_messages WHERE correlation_id = ${sagaId} ORDER BY sequence`,
  );
  return rows.map((r) => read.str(r.event_type, 'event_type'));
}

/** Versions of the saga aggregate's own events in the outbox, in version order. */
export async function sagaEventVersions(db: Database, sagaId: string): Promise<number[]> {
  const { rows } = await db.query(sql`
    SELECT aggregate_version FROM outbox_messages
    WHERE aggregate_type = 'TicketPurchaseSaga' AND aggregate_id = ${sagaId} ORDER BY aggregate_version`);
  return rows.map((r) => read.int(r.aggregate_version, 'aggregate_version'));
}

export const seat = (row: number, number: number): SeatRef => ({ row, number });

/** Polls a purchase's status query until `ready` holds (e.g. the step under test is in flight). */
export async function statusWhen(
  handle: WorkflowHandle,
  ready: (s: SagaStatusView) => boolean,
): Promise<SagaStatusView> {
  for (;;) {
    const status = await handle.query(statusQuery);
    if (ready(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
