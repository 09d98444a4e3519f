/**
 * No double booking under contention: the database's unique index over live claims is the
 * arbiter, not the domain's read-then-check (which every racer here passes with an empty
 * `takenSeats`, as concurrent requests would).
 */
import type { ReservationError } from '../../../domain/reservation';
import { expectOk, type Result } from '../../../domain/shared/result';
import type { SeatRef } from '../../../domain/shared/seat';
import { Auditorium, SeatLayout } from '../../../domain/showtime';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { UnitOfWork } from '../../../db/unit-of-work';
import { newReservation, scheduleShowtime, testContext, uniqueId, type ScheduledShowtime } from './fixtures';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers';

const RACERS = 50;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1-4 distinct seats out of a pool of 12 (rows 1-2, seats 1-6): heavy overlap between racers. */
function pickSeats(random: () => number): SeatRef[] {
  const wanted = 1 + Math.floor(random() * 4);
  const chosen = new Map<string, SeatRef>();
  while (chosen.size < wanted) {
    const seat = { row: 1 + Math.floor(random() * 2), number: 1 + Math.floor(random() * 6) };
    chosen.set(`${seat.row}:${seat.number}`, seat);
  }
  return [...chosen.values()];
}

describeEachDialect((target) => {
  let t: TestDatabase;
  let uow: UnitOfWork;
  const ctx = testContext();

  beforeAll(async () => {
    t = await createTestDatabase(target, { poolMax: 25 });
    uow = new UnitOfWork(t.db);
  });
  afterAll(async () => t?.drop());

  it.each([1, 2, 3])(
    `${RACERS} concurrent reservations over overlapping seats: each seat held at most once (seed %i)`,
    async (seed) => {
      const scheduled: ScheduledShowtime = await scheduleShowtime(uow, ctx, { rows: 3, seatsPerRow: 8 });
      const random = prng(seed);
      const attempts = Array.from({ length: RACERS }, () => ({
        id: uniqueId('res'),
        seats: pickSeats(random),
      }));

      const outcomes = await Promise.all(
        attempts.map(async (a): Promise<Result<void, ReservationError>> =>
          uow.run((tx) => tx.reservations.save(newReservation(ctx, scheduled, a.seats, { id: a.id }))),
        ),
      );

      const winners = attempts.filter((_, i) => outcomes[i]?.ok);
      const losers = outcomes.filter((o) => !o.ok);
      expect(winners.length).toBeGreaterThan(0);
      expect(losers.length).toBeGreaterThan(0); // 50 racers over 12 seats: most must lose
      for (const loser of losers) expect(!loser.ok && loser.error.code).toBe('SeatAlreadyTaken');

      // Counted by SQL: at most one live claim per seat.
      const perSeat = await t.db.query(sql`
        SELECT seat_row, seat_number, COUNT(*) AS claims FROM reservation_seats
        WHERE showtime_id = ${scheduled.showtime.id} AND released_at IS NULL
        GROUP BY seat_row, seat_number`);
      expect(perSeat.rows.every((r) => read.int(r.claims, 'claims') === 1)).toBe(true);

      // The winners hold exactly their seats, and nothing of a loser was written.
      const claims = await t.db.query(sql`
        SELECT reservation_id, seat_row, seat_number FROM reservation_seats
        WHERE showtime_id = ${scheduled.showtime.id}`);
      const held = claims.rows
        .map(
          (r) =>
            `${read.str(r.reservation_id, 'id')}@${read.int(r.seat_row, 'r')}:${read.int(r.seat_number, 'n')}`,
        )
        .sort();
      const expected = winners.flatMap((w) => w.seats.map((s) => `${w.id}@${s.row}:${s.number}`)).sort();
      expect(held).toEqual(expected);
      const reservations = await t.db.query(
        sql`SELECT COUNT(*) AS n FROM reservations WHERE showtime_id = ${scheduled.showtime.id}`,
      );
      expect(Number(reservations.rows[0]?.n)).toBe(winners.length);
      const created = await t.db.query(sql`
        SELECT COUNT(*) AS n FROM outbox_messages o JOIN reservations r ON r.id = o.aggregate_id
        WHERE r.showtime_id = ${scheduled.showtime.id} AND o.event_type = 'ReservationCreated'`);
      expect(Number(created.rows[0]?.n)).toBe(winners.length);
    },
  );

  it('a released seat can be claimed again, and the released claim stays as history', async () => {
    const scheduled = await scheduleShowtime(uow, ctx, { rows: 1, seatsPerRow: 4 });
    const seat = { row: 1, number: 2 };
    const first = newReservation(ctx, scheduled, [seat]);
    expect((await uow.run((tx) => tx.reservations.save(first))).ok).toBe(true);
    const blocked = await uow.run((tx) => tx.reservations.save(newReservation(ctx, scheduled, [seat])));
    expect(blocked).toEqual({
      ok: false,
      error: { code: 'SeatAlreadyTaken', message: 'row 1 seat 2 is already taken' },
    });

    await uow.run(async (tx) => {
      const loaded = (await tx.reservations.get(first.id))!;
      loaded.cancel('changed plans', ctx);
      return tx.reservations.save(loaded);
    });
    const second = newReservation(ctx, scheduled, [seat]);
    expect((await uow.run((tx) => tx.reservations.save(second))).ok).toBe(true);

    const { rows } = await t.db.query(sql`
      SELECT reservation_id, released_at FROM reservation_seats
      WHERE showtime_id = ${scheduled.showtime.id} ORDER BY id`);
    expect(rows.map((r) => [r.reservation_id, r.released_at === null])).toEqual([
      [first.id, false],
      [second.id, true],
    ]);
  });

  it('seatsHeldAt: live holds and sold seats, not lapsed holds nor released claims', async () => {
    const scheduled = await scheduleShowtime(uow, ctx, { rows: 1, seatsPerRow: 4 });
    const [held, sold, cancelled] = [1, 2, 3].map((number) =>
      newReservation(ctx, scheduled, [{ row: 1, number }]),
    );
    expectOk(sold!.confirm(ctx));
    cancelled!.cancel('changed plans', ctx);
    await uow.run(async (tx) => {
      for (const r of [held!, sold!, cancelled!]) expectOk(await tx.reservations.save(r));
    });
    const now = ctx.clock.now();
    const afterHold = new Date(now.getTime() + 11 * 60_000); // holds last 10 minutes (fixtures)
    const at = async (when: Date) =>
      (await uow.run((tx) => tx.reservations.seatsHeldAt(scheduled.showtime.id, when))).map((s) => s.number);

    expect((await at(now)).sort()).toEqual([1, 2]);
    expect(await at(afterHold)).toEqual([2]);
  });

  it('a seat outside the auditorium is refused by the database too', async () => {
    const scheduled = await scheduleShowtime(uow, ctx, { rows: 1, seatsPerRow: 4 });
    // The domain is shown a bigger layout of the same hall, so its own check passes; the FK does not.
    const imagined = expectOk(
      Auditorium.create({
        id: scheduled.auditorium.id,
        name: scheduled.auditorium.name,
        rows: expectOk(SeatLayout.rectangular(9, 20)).toSnapshot(),
      }),
    );
    const reservation = newReservation(ctx, { ...scheduled, auditorium: imagined }, [{ row: 9, number: 20 }]);
    await expect(uow.run((tx) => tx.reservations.save(reservation))).rejects.toThrow();
    const { rows } = await t.db.query(
      sql`SELECT COUNT(*) AS n FROM reservations WHERE id = ${reservation.id}`,
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
