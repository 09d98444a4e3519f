import { randomUUID } from 'node:crypto';

import type { EventEnvelope } from '../../../domain/shared/events';
import { expectOk } from '../../../domain/shared/result';
import { ConcurrencyConflictError } from '../../../db/errors';
import { shardKeyOf } from '../../../db/outbox/shard';
import { isTicketNumberTaken } from '../../../db/repositories/ticket-repository';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { readRepositories, UnitOfWork } from '../../../db/unit-of-work';
import {
  completedPayment,
  issuedTicket,
  newReservation,
  sagaStartedPayload,
  scheduleShowtime,
  testContext,
  uniqueId,
  type ScheduledShowtime,
} from './fixtures';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers';

interface OutboxRow {
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  eventType: string;
  correlationId: string | null;
  shardKey: number;
  envelope: EventEnvelope;
}

describeEachDialect((target) => {
  let t: TestDatabase;
  let uow: UnitOfWork;
  const ctx = testContext();
  let scheduled: ScheduledShowtime;

  beforeAll(async () => {
    t = await createTestDatabase(target);
    uow = new UnitOfWork(t.db);
    scheduled = await scheduleShowtime(uow, ctx);
  });
  afterAll(async () => t?.drop());

  async function outboxFor(aggregateId: string): Promise<OutboxRow[]> {
    const { rows } = await t.db.query(sql`
      SELECT aggregate_type, aggregate_id, aggregate_version, event_type, correlation_id, shard_key, payload
      FROM outbox_messages WHERE aggregate_id = ${aggregateId} ORDER BY sequence`);
    return rows.map((r) => ({
      aggregateType: read.str(r.aggregate_type, 'aggregate_type'),
      aggregateId: read.str(r.aggregate_id, 'aggregate_id'),
      aggregateVersion: read.int(r.aggregate_version, 'aggregate_version'),
      eventType: read.str(r.event_type, 'event_type'),
      correlationId: read.strOrNull(r.correlation_id, 'correlation_id'),
      shardKey: read.int(r.shard_key, 'shard_key'),
      envelope: read.jsonValue(r.payload, 'payload') as EventEnvelope,
    }));
  }

  const countOf = async (statement: ReturnType<typeof sql>) =>
    Number((await t.db.query(statement)).rows[0]?.n);
  const reservationRows = (id: string) =>
    countOf(sql`SELECT COUNT(*) AS n FROM reservations WHERE id = ${id}`);
  const claimRows = (id: string) =>
    countOf(sql`SELECT COUNT(*) AS n FROM reservation_seats WHERE reservation_id = ${id}`);

  describe('each write leaves exactly the expected outbox rows', () => {
    it('scheduling a showtime: the row and one ShowtimeCreated envelope', async () => {
      const { showtime } = scheduled;
      const stored = await readRepositories(t.db).showtimes.get(showtime.id);
      expect(stored?.toSnapshot()).toEqual(showtime.toSnapshot());
      const rows = await outboxFor(showtime.id);
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({
        aggregateType: 'Showtime',
        aggregateId: showtime.id,
        aggregateVersion: 1,
        eventType: 'ShowtimeCreated',
        correlationId: null,
        shardKey: shardKeyOf(showtime.id),
      });
      expect(row?.envelope).toMatchObject({
        eventType: 'ShowtimeCreated',
        aggregateType: 'Showtime',
        aggregateId: showtime.id,
        aggregateVersion: 1,
        schemaVersion: 1,
        correlationId: null,
        payload: { showtimeId: showtime.id, movieTitle: 'Inception', capacity: 50, priceAmountMinor: 1250 },
      });
      expect(row?.envelope.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(row?.envelope.occurredAt ?? '').toISOString()).toBe(row?.envelope.occurredAt);
      expect(showtime.pendingEvents).toEqual([]); // pulled after commit
    });

    it('reservation create -> confirm -> cancel: versions 1..3, claims released but kept as history', async () => {
      const reservation = newReservation(ctx, scheduled, [
        { row: 2, number: 3 },
        { row: 2, number: 4 },
      ]);
      const sagaId = `purchase-${randomUUID()}`;
      expectOk(await uow.run((tx) => tx.reservations.save(reservation), { correlationId: sagaId }));
      expect(await readRepositories(t.db).reservations.takenSeats(scheduled.showtime.id)).toEqual(
        expect.arrayContaining([
          { row: 2, number: 3 },
          { row: 2, number: 4 },
        ]),
      );

      await uow.run(
        async (tx) => {
          const loaded = await tx.reservations.get(reservation.id);
          expectOk(loaded!.confirm(ctx));
          return tx.reservations.save(loaded!);
        },
        { correlationId: sagaId },
      );
      await uow.run(
        async (tx) => {
          const loaded = await tx.reservations.get(reservation.id);
          expectOk(loaded!.cancel('customer changed their mind', ctx));
          return tx.reservations.save(loaded!);
        },
        { correlationId: sagaId },
      );

      const rows = await outboxFor(reservation.id);
      expect(rows.map((r) => [r.eventType, r.aggregateVersion, r.correlationId])).toEqual([
        ['ReservationCreated', 1, sagaId],
        ['ReservationConfirmed', 2, sagaId],
        ['ReservationCancelled', 3, sagaId],
      ]);
      expect(rows.every((r) => r.envelope.aggregateType === 'Reservation')).toBe(true);
      expect(rows[0]?.envelope.payload).toMatchObject({
        seats: [
          { row: 2, number: 3 },
          { row: 2, number: 4 },
        ],
      });

      const reloaded = await readRepositories(t.db).reservations.get(reservation.id);
      expect(reloaded?.toSnapshot()).toMatchObject({
        status: 'Cancelled',
        version: 3,
        seats: reservation.seatRefs(),
      });
      const claims = await t.db.query(
        sql`SELECT released_at FROM reservation_seats WHERE reservation_id = ${reservation.id}`,
      );
      expect(claims.rows).toHaveLength(2);
      expect(claims.rows.every((c) => c.released_at !== null)).toBe(true);
      const taken = await readRepositories(t.db).reservations.takenSeats(scheduled.showtime.id);
      expect(taken).not.toContainEqual({ row: 2, number: 3 });
    });

    it('payment and ticket: their events in order, card brand + last4 only', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 3, number: 1 }]);
      expectOk(reservation.confirm(ctx));
      const payment = completedPayment(ctx, reservation);
      const ticket = issuedTicket(ctx, scheduled, reservation, payment);
      const sagaId = `purchase-${randomUUID()}`;
      await uow.run(
        async (tx) => {
          expectOk(await tx.reservations.save(reservation));
          await tx.payments.save(payment);
          await tx.tickets.save(ticket);
        },
        { correlationId: sagaId },
      );

      expect((await outboxFor(payment.id)).map((r) => [r.eventType, r.aggregateVersion])).toEqual([
        ['PaymentCreated', 1],
        ['PaymentProcessingStarted', 2],
        ['PaymentCompleted', 3],
      ]);
      expect(
        (await outboxFor(ticket.id)).map((r) => [r.eventType, r.aggregateVersion, r.correlationId]),
      ).toEqual([['TicketIssued', 1, sagaId]]);
      expect((await outboxFor(reservation.id)).map((r) => r.eventType)).toEqual([
        'ReservationCreated',
        'ReservationConfirmed',
      ]);

      const repos = readRepositories(t.db);
      expect((await repos.payments.get(payment.id))?.toSnapshot()).toEqual(payment.toSnapshot());
      expect((await repos.payments.findByReservation(reservation.id))?.id).toBe(payment.id);
      expect((await repos.tickets.get(ticket.id))?.toSnapshot()).toEqual(ticket.toSnapshot());
      expect((await repos.tickets.findByNumber(ticket.ticketNumber.value))?.id).toBe(ticket.id);
      expect((await repos.tickets.findByReservation(reservation.id))?.id).toBe(ticket.id);

      const { rows } = await t.db.query(
        sql`SELECT card_brand, card_last4 FROM payments WHERE id = ${payment.id}`,
      );
      expect(rows[0]).toEqual({ card_brand: 'Visa', card_last4: '1111' });
    });

    it('saga events without a table of their own go to the outbox with the correlation id', async () => {
      const sagaId = `purchase-${randomUUID()}`;
      await uow.run(
        async (tx) =>
          tx.recordEvents([
            {
              eventId: randomUUID(),
              eventType: 'SagaStarted',
              aggregateType: 'TicketPurchaseSaga',
              aggregateId: sagaId,
              aggregateVersion: 1,
              occurredAt: new Date().toISOString(),
              payload: sagaStartedPayload(sagaId),
            },
          ]),
        { correlationId: sagaId },
      );
      expect(await outboxFor(sagaId)).toMatchObject([
        {
          eventType: 'SagaStarted',
          aggregateType: 'TicketPurchaseSaga',
          aggregateVersion: 1,
          correlationId: sagaId,
        },
      ]);
    });
  });

  describe('event payloads are checked against their schema before they are written', () => {
    it('a payload that breaks its schema fails the unit of work: no business row, no outbox row', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 4, number: 9 }]);
      const sagaId = `purchase-${randomUUID()}`;
      const started = {
        eventId: randomUUID(),
        eventType: 'SagaStarted',
        aggregateType: 'TicketPurchaseSaga' as const,
        aggregateId: sagaId,
        aggregateVersion: 1,
        occurredAt: new Date().toISOString(),
      };
      const attempt = uow.run(async (tx) => {
        expectOk(await tx.reservations.save(reservation));
        await tx.recordEvents([{ ...started, payload: { ...sagaStartedPayload(sagaId), seats: [] } }]);
      });
      await expect(attempt).rejects.toThrow(
        `invalid event envelope: SagaStarted ${started.eventId}: payload.seats:`,
      );
      expect(await reservationRows(reservation.id)).toBe(0);
      expect(await outboxFor(reservation.id)).toEqual([]);
      expect(await outboxFor(sagaId)).toEqual([]);
    });

    it('an event type the catalogue does not know, or from the wrong aggregate, is refused', async () => {
      const sagaId = `purchase-${randomUUID()}`;
      const event = {
        eventId: randomUUID(),
        eventType: 'SagaStarted',
        aggregateType: 'TicketPurchaseSaga' as const,
        aggregateId: sagaId,
        aggregateVersion: 1,
        occurredAt: new Date().toISOString(),
        payload: sagaStartedPayload(sagaId),
      };
      await expect(
        uow.run(async (tx) => tx.recordEvents([{ ...event, eventType: 'SagaTeleported' }])),
      ).rejects.toThrow('unknown event type');
      await expect(
        uow.run(async (tx) => tx.recordEvents([{ ...event, aggregateType: 'Ticket' }])),
      ).rejects.toThrow('raised by TicketPurchaseSaga, not Ticket');
      expect(await outboxFor(sagaId)).toEqual([]);
    });
  });

  describe('all or nothing', () => {
    it('a failure after the business write leaves neither business rows nor outbox rows', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 4, number: 7 }]);
      await expect(
        uow.run(async (tx) => {
          expectOk(await tx.reservations.save(reservation));
          throw new Error('payment provider exploded');
        }),
      ).rejects.toThrow('payment provider exploded');
      expect(await reservationRows(reservation.id)).toBe(0);
      expect(await claimRows(reservation.id)).toBe(0);
      expect(await outboxFor(reservation.id)).toEqual([]);
      // Not committed, so still pending: a later unit of work can save it.
      expect(reservation.pendingEvents.map((e) => e.eventType)).toEqual(['ReservationCreated']);
      expectOk(await uow.run((tx) => tx.reservations.save(reservation)));
      expect(await outboxFor(reservation.id)).toHaveLength(1);
    });

    it('a failed Result rolls back what was written before it and is returned as is', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 5, number: 9 }]);
      const result = await uow.run(async (tx) => {
        expectOk(await tx.reservations.save(reservation));
        return { ok: false as const, error: { code: 'PaymentDeclined', message: 'card declined' } };
      });
      expect(result).toEqual({ ok: false, error: { code: 'PaymentDeclined', message: 'card declined' } });
      expect(await reservationRows(reservation.id)).toBe(0);
      expect(await outboxFor(reservation.id)).toEqual([]);
    });

    it('an aggregate changed after its save fails the unit of work instead of losing the change', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 5, number: 10 }]);
      await expect(
        uow.run(async (tx) => {
          expectOk(await tx.reservations.save(reservation));
          expectOk(reservation.confirm(ctx)); // not saved again
        }),
      ).rejects.toThrow(/changed after it was saved/);
      expect(await reservationRows(reservation.id)).toBe(0);
    });

    it('saving twice in one unit of work writes each event once', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 1, number: 1 }]);
      await uow.run(async (tx) => {
        expectOk(await tx.reservations.save(reservation));
        expectOk(reservation.confirm(ctx));
        expectOk(await tx.reservations.save(reservation));
      });
      expect((await outboxFor(reservation.id)).map((r) => r.aggregateVersion)).toEqual([1, 2]);
    });
  });

  describe('optimistic concurrency', () => {
    it('a stale save throws ConcurrencyConflictError and writes nothing', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 1, number: 5 }]);
      expectOk(await uow.run((tx) => tx.reservations.save(reservation)));
      const repos = readRepositories(t.db);
      const first = (await repos.reservations.get(reservation.id))!;
      const second = (await repos.reservations.get(reservation.id))!;
      expectOk(first.confirm(ctx));
      expectOk(await uow.run((tx) => tx.reservations.save(first)));
      expectOk(second.cancel('too late', ctx));
      await expect(uow.run((tx) => tx.reservations.save(second))).rejects.toBeInstanceOf(
        ConcurrencyConflictError,
      );
      expect((await outboxFor(reservation.id)).map((r) => r.eventType)).toEqual([
        'ReservationCreated',
        'ReservationConfirmed',
      ]);
      expect((await repos.reservations.get(reservation.id))?.status).toBe('Confirmed');
    });

    it('a duplicate ticket number is recognizable for a retry with another number', async () => {
      const reservationA = newReservation(ctx, scheduled, [{ row: 3, number: 8 }]);
      const reservationB = newReservation(ctx, scheduled, [{ row: 3, number: 9 }]);
      expectOk(reservationA.confirm(ctx));
      expectOk(reservationB.confirm(ctx));
      const paymentA = completedPayment(ctx, reservationA);
      const paymentB = completedPayment(ctx, reservationB);
      await uow.run(async (tx) => {
        expectOk(await tx.reservations.save(reservationA));
        expectOk(await tx.reservations.save(reservationB));
        await tx.payments.save(paymentA);
        await tx.payments.save(paymentB);
        await tx.tickets.save(issuedTicket(ctx, scheduled, reservationA, paymentA, 4242));
      });
      const error = await uow
        .run((tx) => tx.tickets.save(issuedTicket(ctx, scheduled, reservationB, paymentB, 4242)))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isTicketNumberTaken(error)).toBe(true);
    });

    it('reads with a malformed id find nothing without reaching SQL', async () => {
      const repos = readRepositories(t.db);
      expect(await repos.reservations.get("x'; DROP TABLE reservations; --")).toBeNull();
      expect(await repos.tickets.findByNumber('not-a-ticket')).toBeNull();
      expect(await repos.showtimes.get(uniqueId('missing'))).toBeNull();
    });

    it('saving outside a unit of work is refused', async () => {
      const reservation = newReservation(ctx, scheduled, [{ row: 1, number: 9 }]);
      await expect(readRepositories(t.db).reservations.save(reservation)).rejects.toThrow(/unit of work/);
    });
  });
});
