/**
 * Activity tasks scheduled before the asking workflow's id was named `workflowId` carry it as
 * `sagaId`: recorded in histories, or in flight while a new worker takes over. The real
 * activities, on a real database, take them as before: same stored step results, same correlation
 * id on the events, so a retry with the new shape finds what the old-shaped attempt stored.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';

import { createBookingActivities, type BookingActivities } from '../../../activities';
import { loadConfig } from '../../../config';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { UnitOfWork } from '../../../db/unit-of-work';
import { createPaymentProvider } from '../../../providers/payment';
import { TicketQrSigner } from '../../../providers/ticket-qr';
import { scheduleShowtime, testContext, type ScheduledShowtime } from '../db/fixtures';
import { availableDialects, createTestDatabase, type TestDatabase } from '../db/helpers';

let database: TestDatabase;
let activities: BookingActivities;
let scheduled: ScheduledShowtime;

beforeAll(async () => {
  const postgres = availableDialects().targets.find((t) => t.dialect === 'postgres');
  if (!postgres) throw new Error('this test needs PostgreSQL (WRITE_DB_URL)');
  database = await createTestDatabase(postgres, { prefix: 'old_inputs', poolMax: 4 });
  const uow = new UnitOfWork(database.db);
  const config = loadConfig({ ...process.env, PAYMENT_SIM_LEDGER: 'database' });
  activities = createBookingActivities({
    db: database.db,
    uow,
    provider: createPaymentProvider(config, database.db),
    clock: { now: () => new Date() },
    ticketQr: TicketQrSigner.fromConfig(config),
    log: pino({ level: 'silent' }),
  });
  scheduled = await scheduleShowtime(uow, testContext());
});
afterAll(async () => database?.drop());

const run = <N extends keyof BookingActivities>(name: N, input: object) =>
  new MockActivityEnvironment({ activityType: name }).run(
    activities[name] as (input: object) => ReturnType<BookingActivities[N]>,
    input,
  );

async function storedSteps(workflowId: string): Promise<string[]> {
  const { rows } = await database.db.query(
    sql`SELECT step FROM saga_steps WHERE saga_id = ${workflowId} AND result IS NOT NULL ORDER BY step`,
  );
  return rows.map((r) => read.str(r.step, 'step'));
}

async function correlationIds(reservationId: string): Promise<string[]> {
  const { rows } = await database.db.query(
    sql`SELECT DISTINCT correlation_id FROM outbox_messages WHERE aggregate_id = ${reservationId}`,
  );
  return rows.map((r) => read.str(r.correlation_id, 'correlation_id'));
}

it("a hold's old-shaped reserve and release run under its workflow id, and a new-shaped retry finds the stored result", async () => {
  const reservationId = randomUUID();
  const holdId = `reservation-${reservationId}`;
  const placing = {
    requestId: 'req-old-shape',
    sagaEvents: [],
    reservationId,
    showtimeId: scheduled.showtime.id,
    customerId: 'customer-old-shape',
    seats: [{ row: 1, number: 1 }],
    holdExpiresAt: new Date(Date.now() + 60_000).toISOString(),
  };
  const placed = await run('reserveSeats', { ...placing, sagaId: holdId });
  const retried = await run('reserveSeats', { ...placing, workflowId: holdId });
  expect(retried).toEqual(placed);

  const released = await run('releaseSeats', {
    sagaId: holdId,
    requestId: 'req-old-shape',
    sagaEvents: [],
    reservationId,
    reason: 'Hold expired',
    fromHold: true,
  });
  expect(released).toMatchObject({ undone: true });
  expect(await storedSteps(holdId)).toEqual(['ReleaseSeats', 'ReserveSeats']);
  expect(await correlationIds(reservationId)).toEqual([holdId]);
});
