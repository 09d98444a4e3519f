import { SeatState } from '../../../proto/gen/cinema/read/v1/read';
import { toPurchaseSummary, toSeatMap, toShowtime } from '../../../read-service/mapping';

describe('seat availability', () => {
  // Claims as views.ts stores them on the showtime: seats, and each version's status.
  const showtime = {
    _id: 's1',
    capacity: 10,
    priceAmountMinor: 1250,
    currency: 'USD',
    claims: {
      r2: {
        seats: [{ row: 2, number: 1 }],
        states: { v2: { status: 'Confirmed' }, v1: { status: 'Pending' } },
      },
      r1: {
        seats: [
          { row: 1, number: 2 },
          { row: 1, number: 1 },
        ],
        states: { v1: { status: 'Pending' } },
      },
      r3: {
        seats: [{ row: 3, number: 1 }],
        states: { v1: { status: 'Pending' }, v2: { status: 'Expired' } },
      },
    },
  };

  test('held and sold seats are listed in seat order, with no reservation id; the rest are available', () => {
    const map = toSeatMap(showtime);
    expect(map.availableSeats).toBe(7);
    expect(map.taken).toEqual([
      { seat: { row: 1, number: 1 }, state: SeatState.SEAT_STATE_HELD },
      { seat: { row: 1, number: 2 }, state: SeatState.SEAT_STATE_HELD },
      { seat: { row: 2, number: 1 }, state: SeatState.SEAT_STATE_SOLD },
    ]);
  });

  test('the showtime counts held and sold seats', () => {
    expect(toShowtime(showtime)).toMatchObject({
      availableSeats: 7,
      heldSeats: 2,
      soldSeats: 1,
      price: { amountMinor: 1250, currency: 'USD' },
    });
  });
});

test('purchase steps come out in time order whatever order they were stored in', () => {
  const summary = toPurchaseSummary({
    _id: 'saga1',
    status: 'Compensated',
    steps: {
      b: {
        stepName: 'ReleaseSeats',
        stepNumber: 0,
        success: true,
        message: 'released',
        timestamp: '2025-01-08T12:00:03.000Z',
      },
      a: {
        stepName: 'ReserveSeats',
        stepNumber: 1,
        success: true,
        message: 'reserved',
        timestamp: '2025-01-08T12:00:01.000Z',
      },
      c: {
        stepName: 'ProcessPayment',
        stepNumber: 2,
        success: false,
        message: 'declined',
        timestamp: '2025-01-08T12:00:02.000Z',
      },
    },
  });
  expect(summary.steps.map((s) => s.stepName)).toEqual(['ReserveSeats', 'ProcessPayment', 'ReleaseSeats']);
});
