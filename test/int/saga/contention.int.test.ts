/**
 * 200 concurrent buyers asking for overlapping pairs of seats of one 40-seat showtime: no seat is
 * sold twice, every seat is either sold once or free again, and every losing buyer is rolled
 * back with nothing charged. Counted in SQL and in the provider's ledger.
 */
import { sql } from '../../../db/sql';
import * as read from '../../../db/row';
import type { TicketPurchaseResult } from '../../../workflows/purchase-contract';
import { CARDS, customerState, seat, startSagaHarness, type Purchase, type SagaHarness } from './harness';

const BUYERS = 200;
const ROWS = 4;
const SEATS_PER_ROW = 10;

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({ name: 'contention' });
});

afterAll(async () => {
  await h?.close();
});

it('200 buyers, 40 seats: no seat sold twice, every loser compensated with nothing charged', async () => {
  const { showtime } = await h.scheduleShowtime(48, { rows: ROWS, seatsPerRow: SEATS_PER_ROW });
  // Buyer i wants two adjacent seats; the pairs overlap heavily (36 possible pairs for 200 buyers).
  const pairOf = (i: number) => {
    const row = (i % ROWS) + 1;
    const first = ((i * 7) % (SEATS_PER_ROW - 1)) + 1;
    return [seat(row, first), seat(row, first + 1)];
  };

  const purchases: Purchase[] = await Promise.all(
    Array.from({ length: BUYERS }, (_, i) =>
      h.startPurchase({ card: i % 2 ? CARDS.visa : CARDS.visa2, seats: pairOf(i), showtimeId: showtime.id }),
    ),
  );
  const results: TicketPurchaseResult[] = await Promise.all(purchases.map((p) => p.handle.result()));

  const winners = results.filter((r) => r.success).length;
  expect(winners).toBeGreaterThan(0);
  expect(winners * 2).toBeLessThanOrEqual(ROWS * SEATS_PER_ROW);

  // Each seat is claimed by at most one live reservation, and every live claim belongs to a winner.
  const { rows } = await h.db.query(sql`
    SELECT s.seat_row, s.seat_number, count(*) AS claims, min(r.status) AS status
    FROM reservation_seats s JOIN reservations r ON r.id = s.reservation_id
    WHERE s.showtime_id = ${showtime.id} AND s.released_at IS NULL
    GROUP BY s.seat_row, s.seat_number`);
  expect(rows.every((r) => read.int(r.claims, 'claims') === 1 && r.status === 'Confirmed')).toBe(true);
  expect(rows).toHaveLength(winners * 2);

  const codes = new Set<string>();
  for (const [i, purchase] of purchases.entries()) {
    const result = results[i];
    const state = await customerState(h.db, purchase.customerId);
    if (result?.success) {
      expect(state).toMatchObject({ liveSeats: 2, liveTickets: 1, charges: 1, moneyKeptMinor: 2500 });
    } else {
      expect(state).toMatchObject({ liveSeats: 0, liveTickets: 0, moneyKeptMinor: 0 });
      codes.add(result?.code ?? 'none');
    }
  }
  expect([...codes]).toEqual(['SeatAlreadyTaken']);
}, 300_000);
