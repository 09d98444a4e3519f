import { SeatState } from '../../../proto/gen/cinema/read/v1/read';
import { toPurchaseSummary, toSeatMap, toShowtime } from '../../../read-service/mapping';

describe('seat availability', () => {
  const showtime = { _id: 's1', capacity: 10, priceAmountMinor: 1250, currency: 'USD' };
  const claims = [
    { _id: 'r2', status: 'Confirmed', seats: [{ row: 2, number: 1 }] },
    {
      _id: 'r1',
      status: 'Pending',
      seats: [
        { row: 1, number: 2 },
        { row: 1, number: 1 },
      ],
    },
  ];

  test('held and sold seats are listed in seat order; the rest are available', () => {
    const map = toSeatMap(showtime, claims);
    expect(map.availableSeats).toBe(7);
    expect(map.taken).toEqual([
      { seat: { row: 1, number: 1 }, state: SeatState.SEAT_STATE_HELD, reservationId: 'r1' },
      { seat: { row: 1, number: 2 }, state: SeatState.SEAT_STATE_HELD, reservationId: 'r1' },
      { seat: { row: 2, number: 1 }, state: SeatState.SEAT_STATE_SOLD, reservationId: 'r2' },
    ]);
  });

  test('the showtime counts held and sold seats', () => {
    expect(toShowtime(showtime, claims)).toMatchObject({
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
