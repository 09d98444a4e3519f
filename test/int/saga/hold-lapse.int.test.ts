/**
 * When a seat hold's time runs out: a lapsed hold nobody confirmed never blocks the next buyer,
 * whatever became of its workflow (here: terminated with the charge in flight); and a charge that
 * succeeds just after the hold ran out is honoured, not refunded.
 */
import type { BookingActivities } from '../../../activities';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { statusQuery } from '../../../workflows/purchase-contract';
import { CARDS, customerState, seat, startSagaHarness, type SagaHarness } from './harness';

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({
    name: 'holdlapse',
    wrapActivities: (real): BookingActivities => ({
      ...real,
      // The charge succeeds at the provider, then its answer takes 3 s to come back: longer than
      // the 2 s hold of these sagas, shorter than the activity's heartbeat timeout.
      processPayment: async (input) => {
        const result = await real.processPayment(input);
        if (input.workflowId.includes('slowcharge'))
          await new Promise((resolve) => setTimeout(resolve, 3_000));
        return result;
      },
    }),
  });
});

afterAll(async () => {
  await h?.close();
});

async function reservationStatuses(customerId: string): Promise<string[]> {
  const { rows } = await h.db.query(sql`SELECT status FROM reservations WHERE customer_id = ${customerId}`);
  return rows.map((r) => read.str(r.status, 'status'));
}

/** Waits until the database's clock is past the customer's hold (not a timed assertion). */
async function holdLapsed(customerId: string): Promise<void> {
  for (;;) {
    const { rows } = await h.db.query(sql`
      SELECT count(*) AS n FROM reservations WHERE customer_id = ${customerId} AND hold_expires_at < now()`);
    if (read.int(rows[0]?.n, 'n') > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a lapsed hold', () => {
  it('of a terminated purchase does not block the next buyer: the claim releases it', async () => {
    const stuck = await h.startPurchase({
      card: CARDS.hang,
      seats: [seat(3, 1), seat(3, 2)],
      holdSeconds: 2,
    });
    for (;;) {
      const s = await stuck.handle.query(statusQuery);
      if (s.status === 'InProgress' && s.currentStep === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stuck.handle.terminate('operator pulled the plug');
    await holdLapsed(stuck.customerId);

    const next = await h.startPurchase({ card: CARDS.visa, seats: [seat(3, 2)] });
    const result = await next.handle.result();

    expect(result).toMatchObject({ success: true });
    expect(await reservationStatuses(stuck.customerId)).toEqual(['Expired']);
    expect(await customerState(h.db, stuck.customerId)).toMatchObject({ liveSeats: 0, charges: 0 });
    expect(await customerState(h.db, next.customerId)).toMatchObject({ liveSeats: 1, liveTickets: 1 });
  });
});

describe('a charge that succeeds just after the hold ran out', () => {
  it('is honoured: the reservation is confirmed and the ticket issued, nothing refunded', async () => {
    const purchase = await h.startPurchase({
      card: CARDS.visa,
      seats: [seat(4, 1)],
      holdSeconds: 2,
      tag: 'slowcharge',
    });

    const result = await purchase.handle.result();

    expect(result).toMatchObject({ success: true });
    expect(await reservationStatuses(purchase.customerId)).toEqual(['Confirmed']);
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({
      liveSeats: 1,
      liveTickets: 1,
      charges: 1,
      moneyKeptMinor: 1250,
      paymentStatuses: ['Completed'],
    });
  });
});
