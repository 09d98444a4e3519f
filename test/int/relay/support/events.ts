/** Events for relay tests: synthetic multi-version aggregates, and real purchases through the UoW. */
import { randomUUID } from 'node:crypto';

import { appendToOutbox, type Database, type UnitOfWork } from '../../../../db';
import type { EventEnvelope } from '../../../../domain/shared/events';
import { expectOk } from '../../../../domain/shared/result';
import {
  completedPayment,
  issuedTicket,
  newReservation,
  scheduleShowtime,
  stepCompletedPayload,
  testContext,
  type ScheduledShowtime,
} from '../../db/fixtures';

/**
 * `aggregates` saga aggregates with `versions` events each, interleaved (every aggregate's v1,
 * then every v2, ...) so one claim batch holds several versions of many aggregates. Saga events
 * are ignored by the reporting model, which keeps big runs cheap to project.
 */
export function sagaEvents(aggregates: number, versions: number): EventEnvelope[] {
  const ids = Array.from({ length: aggregates }, () => `saga-${randomUUID()}`);
  const out: EventEnvelope[] = [];
  for (let v = 1; v <= versions; v++) {
    for (const aggregateId of ids) {
      out.push({
        eventId: randomUUID(),
        eventType: 'StepCompleted',
        aggregateType: 'TicketPurchaseSaga',
        aggregateId,
        aggregateVersion: v,
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
        correlationId: aggregateId,
        requestId: null,
        payload: stepCompletedPayload(aggregateId, v),
      });
    }
  }
  return out;
}

/** Writes events in transactions of `perTransaction`, in order. */
export async function writeEvents(
  db: Database,
  events: readonly EventEnvelope[],
  perTransaction = 500,
): Promise<void> {
  for (let i = 0; i < events.length; i += perTransaction) {
    const chunk = events.slice(i, i + perTransaction);
    await db.transaction((tx) => appendToOutbox(tx, chunk));
  }
}

export interface Purchases {
  readonly scheduled: ScheduledShowtime;
  readonly tickets: number;
  readonly seats: number;
  readonly revenueMinor: number;
}

/** A showtime and `count` paid purchases of two seats each, every step through the unit of work. */
export async function writePurchases(uow: UnitOfWork, count: number): Promise<Purchases> {
  const ctx = testContext();
  const scheduled = await scheduleShowtime(uow, ctx, { rows: 4, seatsPerRow: 10, priceMinor: 1000 });
  let revenueMinor = 0;
  for (let i = 0; i < count; i++) {
    const reservation = newReservation(ctx, scheduled, [
      { row: 1 + (i % 4), number: 1 + 2 * Math.floor(i / 4) },
      { row: 1 + (i % 4), number: 2 + 2 * Math.floor(i / 4) },
    ]);
    const sagaId = `purchase-${randomUUID()}`;
    expectOk(await uow.run((tx) => tx.reservations.save(reservation), { correlationId: sagaId }));
    expectOk(reservation.confirm(ctx));
    const payment = completedPayment(ctx, reservation);
    const ticket = issuedTicket(ctx, scheduled, reservation, payment, i);
    await uow.run(
      async (tx) => {
        expectOk(await tx.reservations.save(reservation));
        await tx.payments.save(payment);
        await tx.tickets.save(ticket);
      },
      { correlationId: sagaId },
    );
    revenueMinor += reservation.totalPrice.amountMinor;
  }
  return { scheduled, tickets: count, seats: 2 * count, revenueMinor };
}
