import { randomUUID } from 'node:crypto';

import { err, ok } from '../../../domain/shared/result';
import { findStepResult, runOnce } from '../../../db/run-once';
import { sql } from '../../../db/sql';
import { UnitOfWork } from '../../../db/unit-of-work';
import { newReservation, scheduleShowtime, testContext, type ScheduledShowtime } from './fixtures';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('returns the stored result on a second call without running the work again', async () => {
    const sagaId = `purchase-${randomUUID()}`;
    let calls = 0;
    const work = async () => {
      calls += 1;
      return {
        reservationId: 'res-1',
        seats: [{ row: 5, number: 10 }],
        at: new Date('2025-01-01T00:00:00Z'),
      };
    };
    const first = await uow.run((tx) => runOnce(tx.db, sagaId, 'ReserveSeats', work));
    const second = await uow.run((tx) => runOnce(tx.db, sagaId, 'ReserveSeats', work));
    expect(calls).toBe(1);
    expect(second).toEqual(first);
    expect(first).toEqual({
      reservationId: 'res-1',
      seats: [{ row: 5, number: 10 }],
      at: '2025-01-01T00:00:00.000Z',
    });
    expect(await findStepResult(t.db, sagaId, 'ReserveSeats')).toEqual({ found: true, value: first });
    // Another step of the same saga is independent.
    await uow.run((tx) => runOnce(tx.db, sagaId, 'ProcessPayment', work));
    expect(calls).toBe(2);
  });

  it('an activity retried after its commit neither reserves twice nor writes events twice', async () => {
    const sagaId = `purchase-${randomUUID()}`;
    const reserve = () =>
      uow.run(
        (tx) =>
          runOnce(tx.db, sagaId, 'ReserveSeats', async () => {
            // The activity builds a new reservation on every attempt (fresh id, as a naive retry would).
            const reservation = newReservation(ctx, scheduled, [{ row: 4, number: 4 }]);
            const saved = await tx.reservations.save(reservation);
            return saved.ok ? ok({ reservationId: reservation.id }) : saved;
          }),
        { correlationId: sagaId },
      );
    const first = await reserve();
    const retried = await reserve(); // the worker died after COMMIT; Temporal retries the activity
    expect(retried).toEqual(first);
    const { rows } = await t.db.query(
      sql`SELECT COUNT(*) AS n FROM outbox_messages WHERE correlation_id = ${sagaId}`,
    );
    expect(Number(rows[0]?.n)).toBe(1);
    const claims = await t.db.query(sql`
      SELECT COUNT(*) AS n FROM reservation_seats
      WHERE showtime_id = ${scheduled.showtime.id} AND seat_row = 4 AND seat_number = 4`);
    expect(Number(claims.rows[0]?.n)).toBe(1);
  });

  it('stores nothing when the work throws or returns a failed Result, so a retry runs it', async () => {
    const sagaId = `purchase-${randomUUID()}`;
    let calls = 0;
    await expect(
      uow.run((tx) =>
        runOnce(tx.db, sagaId, 'IssueTicket', async () => {
          calls += 1;
          throw new Error('database hiccup');
        }),
      ),
    ).rejects.toThrow('database hiccup');
    const declined = await uow.run((tx) =>
      runOnce(tx.db, sagaId, 'IssueTicket', async () => {
        calls += 1;
        return err('PaymentNotCompleted', 'not yet');
      }),
    );
    expect(declined.ok).toBe(false);
    expect(await findStepResult(t.db, sagaId, 'IssueTicket')).toEqual({ found: false });
    const issued = await uow.run((tx) =>
      runOnce(tx.db, sagaId, 'IssueTicket', async () => {
        calls += 1;
        return ok('TKT-20250108123456-1234');
      }),
    );
    expect(issued).toEqual(ok('TKT-20250108123456-1234'));
    expect(calls).toBe(3);
  });

  it('two concurrent attempts of one step run the work once and both get its result', async () => {
    const sagaId = `purchase-${randomUUID()}`;
    let calls = 0;
    const attempt = () =>
      uow.run((tx) =>
        runOnce(tx.db, sagaId, 'ProcessPayment', async () => {
          calls += 1;
          await sleep(300); // still inside the transaction when the other attempt arrives
          return { paymentId: 'pay-1', transactionId: `TXN-${calls}` };
        }),
      );
    const [a, b] = await Promise.all([attempt(), attempt()]);
    expect(calls).toBe(1);
    expect(a).toEqual(b);
  });

  it('a scalar or undefined result round-trips too', async () => {
    const sagaId = `purchase-${randomUUID()}`;
    expect(
      await uow.run((tx) => runOnce(tx.db, sagaId, 'ReleaseSeats', async () => undefined)),
    ).toBeUndefined();
    expect(
      await uow.run((tx) => runOnce(tx.db, sagaId, 'ReleaseSeats', async () => 'ignored')),
    ).toBeUndefined();
    expect(await uow.run((tx) => runOnce(tx.db, sagaId, 'RefundPayment', async () => 42))).toBe(42);
  });

  it('refuses malformed step names before SQL', async () => {
    await expect(uow.run((tx) => runOnce(tx.db, 'saga-1', "x'; --", async () => 1))).rejects.toThrow();
  });
});
