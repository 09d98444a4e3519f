import { AggregateRoot } from '../shared/aggregate-root';
import type { DomainContext } from '../shared/context';
import { validateId } from '../shared/ids';
import { Money } from '../shared/money';
import { err, ok, type Result } from '../shared/result';
import { seatKey, sortSeats, validateSeat, type SeatRef } from '../shared/seat';
import { isValidDate } from '../shared/time';
import type { PaymentSnapshot } from '../payment/payment';
import { PaymentStatus } from '../payment/payment-status';
import type { Auditorium } from '../showtime/auditorium';
import type { Showtime } from '../showtime/showtime';
import type { ReservationError } from './errors';
import type { ReservationEvent } from './events';
import { ReservationSeat } from './reservation-seat';
import { ReservationStatus, claimsSeats } from './reservation-status';

export const DEFAULT_MAX_SEATS_PER_RESERVATION = 10;

/** Row shape of a reservation (seats become child rows or a JSON column, the db layer's call). */
export interface ReservationSnapshot {
  readonly id: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly seats: readonly SeatRef[]; // sorted by row, then number
  readonly status: ReservationStatus;
  readonly totalAmountMinor: number;
  readonly currency: string;
  readonly holdExpiresAt: string;
  readonly createdAt: string;
  readonly confirmedAt: string | null;
  readonly cancelledAt: string | null;
  readonly cancellationReason: string | null;
  readonly expiredAt: string | null;
  readonly version: number;
  /** The purchase saga that took this hold over (absent: none did, or read before it existed). */
  readonly claimedBy?: string | null;
}

/** A purchase asking to take over a hold: who buys, for which showtime, which seats (or all of them). */
export interface HoldClaim {
  readonly purchaseSagaId: string;
  readonly customerId: string;
  readonly showtimeId: string;
  /** Omitted: the hold's own seats. */
  readonly seats?: readonly SeatRef[];
}

export interface CreateReservation {
  readonly id: string;
  readonly customerId: string;
  readonly showtime: Showtime;
  readonly auditorium: Auditorium;
  /** Requested seats, straight from the request body: validated here. */
  readonly seats: readonly unknown[];
  /** Seats of this showtime held by live claims of other reservations. */
  readonly takenSeats: Iterable<SeatRef>;
  readonly holdExpiresAt: Date;
  readonly maxSeats?: number;
}

/**
 * The availability rule: none of the wanted seats is among those live claims hold. A new
 * reservation applies it under its transaction; the API applies it before starting a purchase,
 * to turn away a buyer of sold seats without a saga.
 */
export function seatsStillFree(
  wanted: Iterable<SeatRef>,
  taken: Iterable<SeatRef>,
): Result<void, ReservationError> {
  const takenKeys = new Set<string>();
  for (const seat of taken) takenKeys.add(seatKey(seat));
  for (const seat of wanted) {
    if (takenKeys.has(seatKey(seat)))
      return err('SeatAlreadyTaken', `row ${seat.row} seat ${seat.number} is already taken`);
  }
  return ok(undefined);
}

/**
 * A customer's hold on seats of one showtime. Pending until paid (and only until its hold
 * expires), then Confirmed; Cancelled or Expired release the seats.
 */
export class Reservation extends AggregateRoot<ReservationEvent> {
  protected readonly aggregateType = 'Reservation' as const;

  private constructor(
    id: string,
    version: number,
    readonly showtimeId: string,
    readonly customerId: string,
    readonly seats: readonly ReservationSeat[],
    readonly totalPrice: Money,
    readonly holdExpiresAt: Date,
    readonly createdAt: Date,
    private state: {
      status: ReservationStatus;
      confirmedAt: Date | null;
      cancelledAt: Date | null;
      cancellationReason: string | null;
      expiredAt: Date | null;
      claimedBy: string | null;
    },
  ) {
    super(id, version);
  }

  static create(cmd: CreateReservation, ctx: DomainContext): Result<Reservation, ReservationError> {
    const now = ctx.clock.now();
    const id = validateId(cmd.id, 'reservationId');
    if (!id.ok) return id;
    const customerId = validateId(cmd.customerId, 'customerId');
    if (!customerId.ok) return customerId;
    if (cmd.auditorium.id !== cmd.showtime.auditoriumId) {
      return err('AuditoriumMismatch', `showtime ${cmd.showtime.id} plays in another auditorium`);
    }
    if (cmd.showtime.hasStartedAt(now)) return err('ShowtimeInPast', 'the showtime has already started');
    if (!isValidDate(cmd.holdExpiresAt) || cmd.holdExpiresAt.getTime() <= now.getTime()) {
      return err('InvalidHoldExpiry', 'the hold must expire in the future');
    }

    const seats = Reservation.checkSeats(cmd);
    if (!seats.ok) return seats;
    const total = cmd.showtime.priceFor(seats.value.length);
    if (!total.ok) return total;

    const reservation = new Reservation(
      id.value,
      0,
      cmd.showtime.id,
      customerId.value,
      seats.value,
      total.value,
      new Date(cmd.holdExpiresAt.getTime()),
      now,
      {
        status: ReservationStatus.Pending,
        confirmedAt: null,
        cancelledAt: null,
        cancellationReason: null,
        expiredAt: null,
        claimedBy: null,
      },
    );
    reservation.raise(
      'ReservationCreated',
      {
        reservationId: reservation.id,
        showtimeId: reservation.showtimeId,
        customerId: reservation.customerId,
        seats: reservation.seatRefs(),
        totalAmountMinor: total.value.amountMinor,
        currency: total.value.currency,
        holdExpiresAt: reservation.holdExpiresAt.toISOString(),
      },
      ctx,
      now,
    );
    return ok(reservation);
  }

  /** Seat rules, cheapest first: count, shape, duplicates, existence, availability. */
  private static checkSeats(cmd: CreateReservation): Result<ReservationSeat[], ReservationError> {
    const max = cmd.maxSeats ?? DEFAULT_MAX_SEATS_PER_RESERVATION;
    if (!Array.isArray(cmd.seats) || cmd.seats.length === 0) {
      return err('NoSeatsRequested', 'choose at least one seat');
    }
    if (cmd.seats.length > max) return err('TooManySeats', `at most ${max} seats per reservation`);

    const chosen = new Map<string, SeatRef>();
    for (const raw of cmd.seats) {
      const seat = validateSeat(raw);
      if (!seat.ok) return seat;
      const key = seatKey(seat.value);
      if (chosen.has(key))
        return err('DuplicateSeat', `row ${seat.value.row} seat ${seat.value.number} is listed twice`);
      if (!cmd.auditorium.hasSeat(seat.value)) {
        return err(
          'SeatNotInAuditorium',
          `row ${seat.value.row} seat ${seat.value.number} does not exist in ${cmd.auditorium.name}`,
        );
      }
      chosen.set(key, seat.value);
    }
    const free = seatsStillFree(chosen.values(), cmd.takenSeats);
    if (!free.ok) return free;
    return ok(sortSeats([...chosen.values()]).map(ReservationSeat.from));
  }

  static fromSnapshot(s: ReservationSnapshot): Reservation {
    const date = (v: string | null) => (v === null ? null : new Date(v));
    return new Reservation(
      s.id,
      s.version,
      s.showtimeId,
      s.customerId,
      sortSeats(s.seats).map(ReservationSeat.from),
      Money.fromSnapshot({ amountMinor: s.totalAmountMinor, currency: s.currency }),
      new Date(s.holdExpiresAt),
      new Date(s.createdAt),
      {
        status: s.status,
        confirmedAt: date(s.confirmedAt),
        cancelledAt: date(s.cancelledAt),
        cancellationReason: s.cancellationReason,
        expiredAt: date(s.expiredAt),
        claimedBy: s.claimedBy ?? null,
      },
    );
  }

  get status(): ReservationStatus {
    return this.state.status;
  }

  /** True once the hold time has passed (whether or not `expire()` has run yet). */
  isHoldLapsed(now: Date): boolean {
    return now.getTime() >= this.holdExpiresAt.getTime();
  }

  /** Whether this reservation still claims its seats. */
  get claimsSeats(): boolean {
    return claimsSeats(this.state.status);
  }

  /** The purchase saga that took this hold over, or null. */
  get claimedBy(): string | null {
    return this.state.claimedBy;
  }

  /**
   * A purchase takes this hold over: from then on only that purchase confirms or releases it, and
   * the hold's own release leaves it alone. Someone else's hold reads as not found (its existence
   * is none of the caller's business); a hold no longer Pending, or lapsed, is HoldExpired; one
   * another purchase took first is HoldAlreadyClaimed; other seats than the held ones are
   * HoldSeatsMismatch. The same purchase claiming again (an activity retry) is a no-op. No event:
   * the seats stay held exactly as before, only who may let go of them changes.
   */
  claimFor(claim: HoldClaim, now: Date): Result<void, ReservationError> {
    if (claim.customerId !== this.customerId || claim.showtimeId !== this.showtimeId) {
      return err('ReservationNotFound', `No reservation ${this.id}`);
    }
    if (this.state.claimedBy === claim.purchaseSagaId) return ok(undefined);
    if (this.state.claimedBy !== null) {
      return err('HoldAlreadyClaimed', 'another purchase is already buying these held seats');
    }
    if (this.state.status !== ReservationStatus.Pending) {
      return err('HoldExpired', `the hold has ended (${this.state.status}); choose the seats again`);
    }
    if (this.isHoldLapsed(now)) return err('HoldExpired', 'the hold has expired; choose the seats again');
    if (claim.seats !== undefined && !sameSeats(claim.seats, this.seatRefs())) {
      return err('HoldSeatsMismatch', 'the seats differ from the held seats');
    }
    this.state = { ...this.state, claimedBy: claim.purchaseSagaId };
    return ok(undefined);
  }

  /**
   * Whether a release asked for by `sagaId` may free these seats: not once a purchase has taken
   * the hold over, unless it is that purchase asking.
   */
  mayBeReleasedBy(sagaId: string): boolean {
    return this.state.claimedBy === null || this.state.claimedBy === sagaId;
  }

  seatRefs(): SeatRef[] {
    return this.seats.map((s) => s.toJSON());
  }

  /**
   * Pending -> Confirmed, before the hold lapses. Confirming twice is a no-op (activity retry).
   * Given its completed payment, a hold that lapsed while the charge ran is confirmed all the
   * same, as long as nobody released its seats meanwhile (it is still Pending): refunding a
   * customer because the provider answered late costs more than a seat held a few seconds longer.
   */
  confirm(
    ctx: DomainContext,
    payment?: Pick<PaymentSnapshot, 'status' | 'reservationId'> | null,
  ): Result<void, ReservationError> {
    const now = ctx.clock.now();
    if (this.state.status === ReservationStatus.Confirmed) return ok(undefined);
    if (this.state.status !== ReservationStatus.Pending) {
      return err('ReservationNotPending', `a ${this.state.status} reservation can't be confirmed`);
    }
    const paid = payment?.reservationId === this.id && payment.status === PaymentStatus.Completed;
    if (this.isHoldLapsed(now) && !paid) return err('ReservationExpired', 'the seat hold has expired');
    this.state = { ...this.state, status: ReservationStatus.Confirmed, confirmedAt: now };
    this.raise(
      'ReservationConfirmed',
      {
        reservationId: this.id,
        showtimeId: this.showtimeId,
        customerId: this.customerId,
        seats: this.seatRefs(),
        confirmedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /**
   * Pending or Confirmed -> Cancelled, releasing the seats. Already Cancelled or Expired means the
   * seats are already free, which is all a cancel (or the saga's ReleaseSeats / CancelReservation
   * compensation, retried) asks for: success, no new event.
   */
  cancel(reason: string, ctx: DomainContext): Result<void, ReservationError> {
    if (!this.claimsSeats) return ok(undefined);
    const now = ctx.clock.now();
    const previousStatus = this.state.status;
    const why = reason.trim().slice(0, 500) || 'Cancelled';
    this.state = {
      ...this.state,
      status: ReservationStatus.Cancelled,
      cancelledAt: now,
      cancellationReason: why,
    };
    this.raise(
      'ReservationCancelled',
      {
        reservationId: this.id,
        showtimeId: this.showtimeId,
        seats: this.seatRefs(),
        previousStatus,
        reason: why,
        cancelledAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /** Pending -> Expired once the hold has lapsed. Expiring twice is a no-op (timer retry). */
  expire(ctx: DomainContext): Result<void, ReservationError> {
    const now = ctx.clock.now();
    if (this.state.status === ReservationStatus.Expired) return ok(undefined);
    if (this.state.status !== ReservationStatus.Pending) {
      return err('ReservationNotPending', `a ${this.state.status} reservation can't expire`);
    }
    if (!this.isHoldLapsed(now)) return err('HoldNotExpired', 'the seat hold has not expired yet');
    this.state = { ...this.state, status: ReservationStatus.Expired, expiredAt: now };
    this.raise(
      'ReservationExpired',
      {
        reservationId: this.id,
        showtimeId: this.showtimeId,
        seats: this.seatRefs(),
        expiredAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  toSnapshot(): ReservationSnapshot {
    const iso = (d: Date | null) => (d === null ? null : d.toISOString());
    return {
      id: this.id,
      showtimeId: this.showtimeId,
      customerId: this.customerId,
      seats: this.seatRefs(),
      status: this.state.status,
      totalAmountMinor: this.totalPrice.amountMinor,
      currency: this.totalPrice.currency,
      holdExpiresAt: this.holdExpiresAt.toISOString(),
      createdAt: this.createdAt.toISOString(),
      confirmedAt: iso(this.state.confirmedAt),
      cancelledAt: iso(this.state.cancelledAt),
      cancellationReason: this.state.cancellationReason,
      expiredAt: iso(this.state.expiredAt),
      version: this.version,
      // Only when set: the snapshot of an unclaimed reservation stays as it always was.
      ...(this.state.claimedBy === null ? {} : { claimedBy: this.state.claimedBy }),
    };
  }
}

function sameSeats(a: readonly SeatRef[], b: readonly SeatRef[]): boolean {
  const keys = (seats: readonly SeatRef[]) => sortSeats(seats).map(seatKey).join(',');
  return a.length === b.length && keys(a) === keys(b);
}
