import { Reservation, seatsStillFree, type CreateReservation } from '../../../domain/reservation/reservation';
import { ReservationStatus, claimsSeats } from '../../../domain/reservation/reservation-status';
import { Auditorium } from '../../../domain/showtime/auditorium';
import { expectErr, expectOk, testContext, type TestContext } from './fakes';
import { hall1, NOW, scheduledShowtime } from './fixtures';

const HOLD_UNTIL = new Date('2025-01-08T12:10:00Z');

const command = (overrides: Partial<CreateReservation> = {}): CreateReservation => ({
  id: 'res-1',
  customerId: 'customer-123',
  showtime: scheduledShowtime(),
  auditorium: hall1(),
  seats: [
    { row: 5, number: 11 },
    { row: 5, number: 10 },
  ],
  takenSeats: [],
  holdExpiresAt: HOLD_UNTIL,
  ...overrides,
});

const pending = (ctx: TestContext = testContext(NOW)) => {
  const reservation = expectOk(Reservation.create(command(), ctx));
  reservation.pullEvents();
  return reservation;
};

describe('Reservation.create', () => {
  it('holds the seats, prices them from the showtime and raises ReservationCreated', () => {
    const reservation = expectOk(Reservation.create(command(), testContext(NOW)));
    expect(reservation.toSnapshot()).toEqual({
      id: 'res-1',
      showtimeId: 'showtime-1',
      customerId: 'customer-123',
      seats: [
        { row: 5, number: 10 },
        { row: 5, number: 11 },
      ],
      status: 'Pending',
      totalAmountMinor: 2500,
      currency: 'USD',
      holdExpiresAt: '2025-01-08T12:10:00.000Z',
      createdAt: '2025-01-08T12:00:00.000Z',
      confirmedAt: null,
      cancelledAt: null,
      cancellationReason: null,
      expiredAt: null,
      version: 1,
    });
    expect(reservation.totalPrice.toDecimalString()).toBe('25.00');
    const [event] = reservation.pullEvents();
    expect(event).toMatchObject({
      eventType: 'ReservationCreated',
      aggregateType: 'Reservation',
      aggregateId: 'res-1',
      aggregateVersion: 1,
      payload: {
        reservationId: 'res-1',
        showtimeId: 'showtime-1',
        customerId: 'customer-123',
        seats: [
          { row: 5, number: 10 },
          { row: 5, number: 11 },
        ],
        totalAmountMinor: 2500,
        currency: 'USD',
        holdExpiresAt: '2025-01-08T12:10:00.000Z',
      },
    });
  });

  it('requires at least one seat', () => {
    expectErr(Reservation.create(command({ seats: [] }), testContext(NOW)), 'NoSeatsRequested');
  });

  it('allows up to 10 seats and refuses 11', () => {
    const seats = (n: number) => Array.from({ length: n }, (_, i) => ({ row: 1, number: i + 1 }));
    expectOk(Reservation.create(command({ seats: seats(10) }), testContext(NOW)));
    expectErr(Reservation.create(command({ seats: seats(11) }), testContext(NOW)), 'TooManySeats');
  });

  it('lets the caller configure the seat limit', () => {
    expectErr(Reservation.create(command({ maxSeats: 1 }), testContext(NOW)), 'TooManySeats');
  });

  it('refuses the same seat twice in one request', () => {
    const seats = [
      { row: 5, number: 10 },
      { row: 5, number: 10 },
    ];
    expectErr(Reservation.create(command({ seats }), testContext(NOW)), 'DuplicateSeat');
  });

  it('refuses seats that do not exist in the auditorium, aisles included', () => {
    expectErr(
      Reservation.create(command({ seats: [{ row: 5, number: 6 }] }), testContext(NOW)),
      'SeatNotInAuditorium',
    );
    expectErr(
      Reservation.create(command({ seats: [{ row: 11, number: 1 }] }), testContext(NOW)),
      'SeatNotInAuditorium',
    );
  });

  it('refuses malformed seats', () => {
    expectErr(
      Reservation.create(command({ seats: [{ row: 'A', number: 1 }] }), testContext(NOW)),
      'InvalidSeat',
    );
    expectErr(
      Reservation.create(command({ seats: [{ row: 1, number: -1 }] }), testContext(NOW)),
      'InvalidSeat',
    );
  });

  it('refuses a seat held by a live claim', () => {
    const e = expectErr(
      Reservation.create(command({ takenSeats: [{ row: 5, number: 11 }] }), testContext(NOW)),
      'SeatAlreadyTaken',
    );
    expect(e.message).toContain('row 5 seat 11');
    expectOk(Reservation.create(command({ takenSeats: [{ row: 5, number: 12 }] }), testContext(NOW)));
  });

  it('seatsStillFree: the same rule for a check before any reservation (the API before a workflow)', () => {
    const wanted = [
      { row: 2, number: 3 },
      { row: 2, number: 4 },
    ];
    expectOk(seatsStillFree(wanted, [{ row: 2, number: 5 }]));
    expectOk(seatsStillFree(wanted, []));
    const e = expectErr(
      seatsStillFree(wanted, [
        { row: 3, number: 3 },
        { row: 2, number: 4 },
      ]),
      'SeatAlreadyTaken',
    );
    expect(e.message).toBe('row 2 seat 4 is already taken');
  });

  it('refuses a showtime that has started', () => {
    expectErr(Reservation.create(command(), testContext('2025-12-12T20:00:00Z')), 'ShowtimeInPast');
  });

  it('refuses a hold that expires now or earlier', () => {
    expectErr(
      Reservation.create(command({ holdExpiresAt: new Date(NOW) }), testContext(NOW)),
      'InvalidHoldExpiry',
    );
    expectErr(
      Reservation.create(command({ holdExpiresAt: new Date('nope') }), testContext(NOW)),
      'InvalidHoldExpiry',
    );
  });

  it('refuses an auditorium other than the showtime’s', () => {
    const other = expectOk(
      Auditorium.create({ id: 'aud-2', name: 'Hall 2', rows: [{ row: 5, seats: [10, 11] }] }),
    );
    expectErr(Reservation.create(command({ auditorium: other }), testContext(NOW)), 'AuditoriumMismatch');
  });

  it('refuses bad ids', () => {
    expectErr(Reservation.create(command({ id: '' }), testContext(NOW)), 'InvalidId');
    expectErr(Reservation.create(command({ customerId: 'a b' }), testContext(NOW)), 'InvalidId');
  });
});

describe('Reservation transitions', () => {
  it('confirms a pending reservation before the hold lapses', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    ctx.clock.advanceMinutes(9);
    expectOk(r.confirm(ctx));
    expect(r.status).toBe('Confirmed');
    expect(r.toSnapshot().confirmedAt).toBe('2025-01-08T12:09:00.000Z');
    const [event] = r.pullEvents();
    expect(event).toMatchObject({ eventType: 'ReservationConfirmed', aggregateVersion: 2 });
  });

  it('treats a repeated confirm as a no-op without a new event', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    expectOk(r.confirm(ctx));
    r.pullEvents();
    expectOk(r.confirm(ctx));
    expect(r.pullEvents()).toEqual([]);
    expect(r.version).toBe(2);
  });

  it('refuses to confirm at or after the hold expiry', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    ctx.clock.set(HOLD_UNTIL);
    expectErr(r.confirm(ctx), 'ReservationExpired');
    expect(r.status).toBe('Pending');
    expect(r.pullEvents()).toEqual([]);
  });

  it('confirms a lapsed hold that its completed payment paid for, and only that', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    ctx.clock.set(HOLD_UNTIL);
    expectErr(r.confirm(ctx, { status: 'Processing', reservationId: r.id }), 'ReservationExpired');
    expectErr(r.confirm(ctx, { status: 'Completed', reservationId: 'someone-else' }), 'ReservationExpired');
    expectOk(r.confirm(ctx, { status: 'Completed', reservationId: r.id }));
    expect(r.status).toBe('Confirmed');
  });

  it('refuses to confirm a cancelled or expired reservation', () => {
    const ctx = testContext(NOW);
    const cancelled = pending(ctx);
    expectOk(cancelled.cancel('changed my mind', ctx));
    expectErr(cancelled.confirm(ctx), 'ReservationNotPending');

    const expired = pending(ctx);
    ctx.clock.set(HOLD_UNTIL);
    expectOk(expired.expire(ctx));
    expectErr(expired.confirm(ctx), 'ReservationNotPending');
  });

  it('cancels a pending reservation, releasing its seats', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    expectOk(r.cancel('  Customer request ', ctx));
    expect(r.status).toBe('Cancelled');
    expect(r.claimsSeats).toBe(false);
    const [event] = r.pullEvents();
    expect(event?.payload).toEqual({
      reservationId: 'res-1',
      showtimeId: 'showtime-1',
      seats: [
        { row: 5, number: 10 },
        { row: 5, number: 11 },
      ],
      previousStatus: 'Pending',
      reason: 'Customer request',
      cancelledAt: '2025-01-08T12:00:00.000Z',
    });
  });

  it('cancels a confirmed reservation (the saga’s CancelReservation compensation)', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    expectOk(r.confirm(ctx));
    r.pullEvents();
    expectOk(r.cancel('Ticket could not be issued', ctx));
    expect(r.status).toBe('Cancelled');
    expect(r.pullEvents()[0]?.payload).toMatchObject({ previousStatus: 'Confirmed' });
  });

  it('treats cancelling a cancelled or expired reservation as done: ok, no event', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    expectOk(r.cancel('first', ctx));
    r.pullEvents();
    expectOk(r.cancel('again', ctx));
    expect(r.pullEvents()).toEqual([]);
    expect(r.toSnapshot().cancellationReason).toBe('first');

    const expired = pending(ctx);
    ctx.clock.set(HOLD_UNTIL);
    expectOk(expired.expire(ctx));
    expired.pullEvents();
    expectOk(expired.cancel('release seats', ctx));
    expect(expired.status).toBe('Expired');
    expect(expired.pullEvents()).toEqual([]);
  });

  it('expires a pending reservation exactly at the hold expiry, not before', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    ctx.clock.set(new Date(HOLD_UNTIL.getTime() - 1));
    expectErr(r.expire(ctx), 'HoldNotExpired');
    ctx.clock.set(HOLD_UNTIL);
    expectOk(r.expire(ctx));
    expect(r.status).toBe('Expired');
    expect(r.pullEvents()[0]).toMatchObject({
      eventType: 'ReservationExpired',
      payload: { expiredAt: '2025-01-08T12:10:00.000Z' },
    });
    expectOk(r.expire(ctx)); // the hold timer fired twice
    expect(r.pullEvents()).toEqual([]);
  });

  it('refuses to expire a confirmed or cancelled reservation', () => {
    const ctx = testContext(NOW);
    const confirmed = pending(ctx);
    expectOk(confirmed.confirm(ctx));
    const cancelled = pending(ctx);
    expectOk(cancelled.cancel('x', ctx));
    ctx.clock.set(HOLD_UNTIL);
    expectErr(confirmed.expire(ctx), 'ReservationNotPending');
    expectErr(cancelled.expire(ctx), 'ReservationNotPending');
  });

  it('says which statuses claim seats', () => {
    expect(claimsSeats(ReservationStatus.Pending)).toBe(true);
    expect(claimsSeats(ReservationStatus.Confirmed)).toBe(true);
    expect(claimsSeats(ReservationStatus.Cancelled)).toBe(false);
    expect(claimsSeats(ReservationStatus.Expired)).toBe(false);
  });

  it('reports a lapsed hold before expire() runs', () => {
    const r = pending();
    expect(r.isHoldLapsed(new Date('2025-01-08T12:09:59Z'))).toBe(false);
    expect(r.isHoldLapsed(HOLD_UNTIL)).toBe(true);
  });

  it('round-trips its snapshot through JSON, keeping version and state', () => {
    const ctx = testContext(NOW);
    const r = pending(ctx);
    expectOk(r.confirm(ctx));
    const snapshot = JSON.parse(JSON.stringify(r.toSnapshot()));
    const copy = Reservation.fromSnapshot(snapshot);
    expect(copy.toSnapshot()).toEqual(r.toSnapshot());
    expect(copy.version).toBe(2);
    expect(copy.pullEvents()).toEqual([]);
    expectOk(copy.cancel('after reload', ctx));
    expect(copy.pullEvents()[0]?.aggregateVersion).toBe(3);
  });
});
