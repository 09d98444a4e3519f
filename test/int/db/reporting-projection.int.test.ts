import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { EventEnvelope } from '../../../domain/shared/events';
import { expectOk } from '../../../domain/shared/result';
import { OutboxStore } from '../../../db/outbox/outbox-store';
import { getMovieSales, getShowtimeSales, projectEvents } from '../../../db/reporting/projection';
import type { Transaction } from '../../../db/database';
import { sql } from '../../../db/sql';
import { UnitOfWork } from '../../../db/unit-of-work';
import {
  completedPayment,
  issuedTicket,
  newReservation,
  scheduleShowtime,
  testContext,
  type ScheduledShowtime,
} from './fixtures';
import { createTestDatabase, describeEachDialect, REPORTING_MIGRATIONS, type TestDatabase } from './helpers';

describeEachDialect((target) => {
  let write: TestDatabase;
  let reporting: TestDatabase;
  let uow: UnitOfWork;
  let outbox: OutboxStore;
  const ctx = testContext();

  beforeAll(async () => {
    [write, reporting] = await Promise.all([
      createTestDatabase(target),
      createTestDatabase(target, { prefix: 'db_reporting', migrations: REPORTING_MIGRATIONS }),
    ]);
    uow = new UnitOfWork(write.db);
    outbox = new OutboxStore(write.db);
  });
  afterAll(async () => {
    await write?.drop();
    await reporting?.drop();
  });

  /** Two purchases of one showtime (2 and 3 seats at 12.50 USD); the second is refunded. */
  async function salesStory(): Promise<{ scheduled: ScheduledShowtime; events: EventEnvelope[] }> {
    const scheduled = await scheduleShowtime(uow, ctx, { priceMinor: 1250 });
    const purchase = async (seats: { row: number; number: number }[], refund: boolean) => {
      const sagaId = `purchase-${randomUUID()}`;
      const reservation = newReservation(ctx, scheduled, seats);
      expectOk(reservation.confirm(ctx));
      const payment = completedPayment(ctx, reservation);
      const ticket = issuedTicket(ctx, scheduled, reservation, payment);
      if (refund) {
        expectOk(payment.refund('customer request', ctx));
        expectOk(ticket.refund('customer request', ctx));
      }
      await uow.run(
        async (tx) => {
          expectOk(await tx.reservations.save(reservation));
          await tx.payments.save(payment);
          await tx.tickets.save(ticket);
        },
        { correlationId: sagaId },
      );
    };
    await purchase(
      [
        { row: 1, number: 1 },
        { row: 1, number: 2 },
      ],
      false,
    );
    await purchase(
      [
        { row: 2, number: 1 },
        { row: 2, number: 2 },
        { row: 2, number: 3 },
      ],
      true,
    );
    const claimed = await outbox.claimBatch({ shard: 0, shardCount: 1, limit: 1000, leaseMs: 60_000 });
    await outbox.markProcessed(claimed.map((m) => m.id));
    return { scheduled, events: claimed.map((m) => m.envelope) };
  }

  const expectedFigures = {
    capacity: 50,
    ticketsIssued: 2,
    ticketsRefunded: 1,
    seatsSold: 5,
    seatsRefunded: 3,
    seatsOccupied: 2,
    grossRevenueMinor: 5 * 1250,
    refundedMinor: 3 * 1250,
    netRevenueMinor: 2 * 1250,
    currency: 'USD',
  };

  it('projects sales and occupancy per showtime and per movie, net of refunds', async () => {
    const { scheduled, events } = await salesStory();
    const result = await projectEvents(reporting.db, events);
    expect(result.duplicates).toBe(0);
    expect(result.applied).toBeGreaterThan(0);
    expect(result.applied + result.ignored).toBe(events.length);

    expect(await getShowtimeSales(reporting.db, scheduled.showtime.id)).toEqual({
      showtimeId: scheduled.showtime.id,
      movieId: scheduled.movie.id,
      movieTitle: 'Inception',
      auditoriumName: scheduled.auditorium.name,
      startsAt: scheduled.showtime.startsAt.toISOString(),
      ...expectedFigures,
    });
    expect(await getMovieSales(reporting.db, scheduled.movie.id)).toEqual([
      { movieId: scheduled.movie.id, movieTitle: 'Inception', showtimes: 1, ...expectedFigures },
    ]);
  });

  it('projecting the same events again is a no-op (idempotent by event id)', async () => {
    const { scheduled, events } = await salesStory();
    const firstRun = await projectEvents(reporting.db, events);
    const before = await getShowtimeSales(reporting.db, scheduled.showtime.id);
    const again = await projectEvents(reporting.db, events);
    // Event types reporting does not use are ignored again (they were never recorded).
    expect(again).toEqual({ applied: 0, duplicates: firstRun.applied, ignored: firstRun.ignored });
    // Duplicates inside one batch count once too.
    const [first] = events;
    expect(await projectEvents(reporting.db, [first!, first!])).toMatchObject({ duplicates: 2 });
    expect(await getShowtimeSales(reporting.db, scheduled.showtime.id)).toEqual(before);
    const { rows } = await reporting.db.query(
      sql`SELECT COUNT(*) AS n FROM ticket_facts WHERE showtime_id = ${scheduled.showtime.id}`,
    );
    expect(Number(rows[0]?.n)).toBe(2);
  });

  it('gives the same figures when aggregates arrive in another order, across batches', async () => {
    const { scheduled, events } = await salesStory();
    // Per-aggregate order is kept (the relay guarantees it); aggregates come newest first, so
    // tickets and payments arrive before the reservation and the showtime they belong to.
    const byAggregate = new Map<string, EventEnvelope[]>();
    for (const e of events) byAggregate.set(e.aggregateId, [...(byAggregate.get(e.aggregateId) ?? []), e]);
    const reordered = [...byAggregate.values()].reverse().flat();
    for (let i = 0; i < reordered.length; i += 3)
      await projectEvents(reporting.db, reordered.slice(i, i + 3));
    expect(await getShowtimeSales(reporting.db, scheduled.showtime.id)).toMatchObject(expectedFigures);
    expect(await getMovieSales(reporting.db, scheduled.movie.id)).toMatchObject([
      { showtimes: 1, ...expectedFigures },
    ]);
  });

  it('concurrent relays projecting different aggregates of one showtime lose no update', async () => {
    const { scheduled, events } = await salesStory();
    const aggregates = [...new Set(events.map((e) => e.aggregateId))];
    const shardOf = (id: string) => aggregates.indexOf(id) % 3;
    await Promise.all(
      [0, 1, 2].map(async (shard) => {
        for (const e of events.filter((x) => shardOf(x.aggregateId) === shard))
          await projectEvents(reporting.db, [e]);
      }),
    );
    expect(await getShowtimeSales(reporting.db, scheduled.showtime.id)).toMatchObject(expectedFigures);
  });

  /**
   * A batch that can't find its showtime because another shard's batch has created it (or the
   * reservation leading to it) but not committed yet. The first batch's commit is held until the
   * second is done or has waited half a second: without a lock between them, each recomputes
   * without the other's fact and the summary loses one for good.
   */
  it.each([
    ['ShowtimeCreated', 'TicketIssued', { ticketsIssued: 1, seatsSold: 2 }],
    ['ReservationCreated', 'PaymentCompleted', { grossRevenueMinor: 2 * 1250 }],
  ] as const)(
    'a %s not yet committed and a %s projected beside it lose neither',
    async (firstType, secondType, figures) => {
      const { scheduled, events } = await salesStory();
      const firstOf = (type: string) => events.find((e) => e.eventType === type)!;
      if (firstType !== 'ShowtimeCreated') await projectEvents(reporting.db, [firstOf('ShowtimeCreated')]);
      let release = () => undefined as void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const heldCommit = new Proxy(reporting.db, {
        get: (db, name) =>
          name === 'transaction'
            ? (fn: (tx: Transaction) => Promise<unknown>, options?: object) =>
                db.transaction(async (tx) => {
                  const result = await fn(tx);
                  await gate;
                  return result;
                }, options)
            : Reflect.get(db, name, db),
      });

      const first = projectEvents(heldCommit, [firstOf(firstType)]);
      await sleep(200); // the first batch is in, its commit held
      const second = projectEvents(reporting.db, [firstOf(secondType)]);
      await Promise.race([second, sleep(500)]);
      release();
      await Promise.all([first, second]);

      expect(await getShowtimeSales(reporting.db, scheduled.showtime.id)).toMatchObject(figures);
    },
  );

  it('ignores event types the reporting model does not use, without a write', async () => {
    const saga: EventEnvelope = {
      eventId: randomUUID(),
      eventType: 'SagaStarted',
      aggregateType: 'TicketPurchaseSaga',
      aggregateId: `purchase-${randomUUID()}`,
      aggregateVersion: 1,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      correlationId: null,
      payload: {},
    };
    expect(await projectEvents(reporting.db, [saga])).toEqual({ applied: 0, duplicates: 0, ignored: 1 });
    expect(await projectEvents(reporting.db, [saga])).toEqual({ applied: 0, duplicates: 0, ignored: 1 });
    const { rows } = await reporting.db.query(
      sql`SELECT COUNT(*) AS n FROM processed_events WHERE event_id = ${saga.eventId}`,
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('refuses a malformed envelope and projects nothing of its batch', async () => {
    const { scheduled, events } = await salesStory();
    const broken = { ...events[1]!, eventId: 'nope' };
    await expect(projectEvents(reporting.db, [events[0]!, broken])).rejects.toThrow(/eventId/);
    const badPayload = { ...events[0]!, payload: { showtimeId: scheduled.showtime.id } };
    await expect(projectEvents(reporting.db, [badPayload])).rejects.toThrow();
    expect(await getShowtimeSales(reporting.db, scheduled.showtime.id)).toBeNull();
  });
});
