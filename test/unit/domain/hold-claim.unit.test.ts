/** Reservation.claimFor: a purchase taking a customer's hold over, and who may release it after. */
import { Reservation, type HoldClaim } from '../../../domain/reservation/reservation';
import { expectErr, expectOk, testContext } from './fakes';
import { hall1, NOW, scheduledShowtime } from './fixtures';

const HOLD_UNTIL = new Date('2025-01-08T12:10:00Z');
const now = new Date(NOW);
const seats = [
  { row: 5, number: 10 },
  { row: 5, number: 11 },
];

const held = () => {
  const reservation = expectOk(
    Reservation.create(
      {
        id: 'res-1',
        customerId: 'customer-123',
        showtime: scheduledShowtime(),
        auditorium: hall1(),
        seats,
        takenSeats: [],
        holdExpiresAt: HOLD_UNTIL,
      },
      testContext(NOW),
    ),
  );
  reservation.pullEvents();
  return reservation;
};

const claim = (overrides: Partial<HoldClaim> = {}): HoldClaim => ({
  purchaseSagaId: 'purchase-a',
  customerId: 'customer-123',
  showtimeId: 'showtime-1',
  ...overrides,
});

describe('Reservation.claimFor', () => {
  it('gives the hold to the purchase, with or without the seats named, and raises no event', () => {
    const a = held();
    const b = held();

    expectOk(a.claimFor(claim(), now));
    expectOk(b.claimFor(claim({ seats: [...seats].reverse() }), now));

    expect(a.claimedBy).toBe('purchase-a');
    expect(b.claimedBy).toBe('purchase-a');
    expect(a.pullEvents()).toEqual([]);
    expect(a.toSnapshot()).toMatchObject({ status: 'Pending', claimedBy: 'purchase-a' });
  });

  it('is a no-op for the same purchase again (a retried step), even after it released the seats', () => {
    const reservation = held();
    expectOk(reservation.claimFor(claim(), now));
    reservation.cancel('payment declined', testContext(NOW));

    expectOk(reservation.claimFor(claim(), now));
  });

  it("reads another customer's hold, or one of another showtime, as not found", () => {
    expectErr(held().claimFor(claim({ customerId: 'customer-999' }), now), 'ReservationNotFound');
    expectErr(held().claimFor(claim({ showtimeId: 'showtime-2' }), now), 'ReservationNotFound');
  });

  it('refuses a hold that lapsed or ended as HoldExpired', () => {
    const cancelled = held();
    cancelled.cancel('changed my mind', testContext(NOW));

    expectErr(held().claimFor(claim(), HOLD_UNTIL), 'HoldExpired');
    expectErr(cancelled.claimFor(claim(), now), 'HoldExpired');
  });

  it('refuses other seats than the held ones as HoldSeatsMismatch', () => {
    const reservation = held();

    expectErr(reservation.claimFor(claim({ seats: [{ row: 5, number: 10 }] }), now), 'HoldSeatsMismatch');
    expect(reservation.claimedBy).toBeNull();
  });

  it('refuses a second purchase, and only the claiming purchase may release the seats', () => {
    const reservation = held();
    expectOk(reservation.claimFor(claim(), now));

    expectErr(reservation.claimFor(claim({ purchaseSagaId: 'purchase-b' }), now), 'HoldAlreadyClaimed');
    expect(reservation.mayBeReleasedBy('purchase-a')).toBe(true);
    expect(reservation.mayBeReleasedBy('reservation-res-1')).toBe(false);
    expect(held().mayBeReleasedBy('reservation-res-1')).toBe(true);
  });
});
