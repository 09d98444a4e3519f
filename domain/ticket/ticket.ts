import { AggregateRoot } from '../shared/aggregate-root';
import type { DomainContext } from '../shared/context';
import { validateId } from '../shared/ids';
import { Money } from '../shared/money';
import { err, ok, type Result } from '../shared/result';
import { formatSeats, sortSeats, type SeatRef } from '../shared/seat';
import { toInstant } from '../shared/time';
import type { PaymentSnapshot } from '../payment/payment';
import { PaymentStatus, refundBegun } from '../payment/payment-status';
import type { ReservationSnapshot } from '../reservation/reservation';
import { ReservationStatus } from '../reservation/reservation-status';
import type { TicketError } from './errors';
import type { TicketEvent } from './events';
import { TicketNumber } from './ticket-number';
import { TicketStatus } from './ticket-status';

/** Row shape of a ticket: denormalised with what is printed on it, as the ticket's GET shows. */
export interface TicketSnapshot {
  readonly id: string;
  readonly ticketNumber: string; // unique
  readonly reservationId: string;
  readonly paymentId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly movieTitle: string;
  readonly screeningTime: string;
  readonly auditoriumName: string;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number;
  readonly currency: string;
  readonly status: TicketStatus;
  readonly issuedAt: string;
  readonly usedAt: string | null;
  readonly voidedAt: string | null;
  readonly voidReason: string | null;
  readonly refundedAt: string | null;
  readonly refundReason: string | null;
  readonly version: number;
}

/** The parts of a reservation and a payment that decide whether a ticket may be issued. */
export type ReservationFacts = Pick<
  ReservationSnapshot,
  'id' | 'status' | 'showtimeId' | 'customerId' | 'seats' | 'totalAmountMinor' | 'currency'
>;
export type PaymentFacts = Pick<
  PaymentSnapshot,
  'id' | 'status' | 'reservationId' | 'amountMinor' | 'currency'
>;

export interface IssueTicket {
  readonly id: string;
  readonly ticketNumber: TicketNumber;
  readonly reservation: ReservationFacts;
  readonly payment: PaymentFacts;
  /** What the ticket shows about the screening. */
  readonly movieTitle: string;
  readonly screeningTime: Date | string;
  readonly auditoriumName: string;
  /**
   * The QR code's content, signed by the issuer over `ticketQrClaims` of this ticket (the domain
   * has no keys). Absent: the unsigned `QR:<ticketId>:<ticketNumber>`.
   */
  readonly qrCode?: string;
}

/** The validate response data. `reason` explains an invalid ticket; null when valid. */
export interface TicketValidation {
  readonly valid: boolean;
  readonly reason: string | null;
  readonly ticketNumber: string;
  readonly movieTitle: string;
  readonly screeningTime: string;
  readonly seats: string; // "Row 5, Seats 10-11"
}

/** `QR:<ticketId>:<ticketNumber>`, the unsigned qrCode content (tickets issued before signing). */
export const qrCodeFor = (ticketId: string, ticketNumber: string): string => `QR:${ticketId}:${ticketNumber}`;

interface TicketState {
  status: TicketStatus;
  usedAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
  refundedAt: Date | null;
  refundReason: string | null;
}

const reasonText = (reason: string, fallback: string) => reason.trim().slice(0, 500) || fallback;

/** Proof of a paid, confirmed reservation, admitting its holder once. */
export class Ticket extends AggregateRoot<TicketEvent> {
  protected readonly aggregateType = 'Ticket' as const;

  private constructor(
    id: string,
    version: number,
    readonly ticketNumber: TicketNumber,
    readonly reservationId: string,
    readonly paymentId: string,
    readonly showtimeId: string,
    readonly customerId: string,
    readonly movieTitle: string,
    readonly screeningTime: Date,
    readonly auditoriumName: string,
    readonly seats: readonly SeatRef[],
    readonly totalPrice: Money,
    readonly issuedAt: Date,
    private state: TicketState,
    /** Set when issued here; a ticket read back from storage shows the unsigned form. */
    private readonly issuedQrCode: string | null = null,
  ) {
    super(id, version);
  }

  static issue(cmd: IssueTicket, ctx: DomainContext): Result<Ticket, TicketError> {
    const now = ctx.clock.now();
    const id = validateId(cmd.id, 'ticketId');
    if (!id.ok) return id;
    const { reservation, payment } = cmd;
    if (reservation.status !== ReservationStatus.Confirmed) {
      return err(
        'ReservationNotConfirmed',
        `reservation ${reservation.id} is ${reservation.status}, not Confirmed`,
      );
    }
    if (payment.status !== PaymentStatus.Completed) {
      return err('PaymentNotCompleted', `payment ${payment.id} is ${payment.status}, not Completed`);
    }
    if (payment.reservationId !== reservation.id) {
      return err('PaymentReservationMismatch', `payment ${payment.id} belongs to another reservation`);
    }
    if (payment.amountMinor !== reservation.totalAmountMinor || payment.currency !== reservation.currency) {
      return err('PaymentAmountMismatch', 'the payment amount differs from the reservation total');
    }
    const screeningTime = toInstant(cmd.screeningTime, 'screeningTime');
    if (!screeningTime.ok) return screeningTime;
    const movieTitle = cmd.movieTitle.trim();
    const auditoriumName = cmd.auditoriumName.trim();
    if (movieTitle === '' || auditoriumName === '') {
      return err('InvalidTicketDetails', 'a ticket needs the movie title and the auditorium name');
    }

    const ticket = new Ticket(
      id.value,
      0,
      cmd.ticketNumber,
      reservation.id,
      payment.id,
      reservation.showtimeId,
      reservation.customerId,
      movieTitle,
      screeningTime.value,
      auditoriumName,
      sortSeats(reservation.seats),
      Money.fromSnapshot({ amountMinor: reservation.totalAmountMinor, currency: reservation.currency }),
      now,
      {
        status: TicketStatus.Issued,
        usedAt: null,
        voidedAt: null,
        voidReason: null,
        refundedAt: null,
        refundReason: null,
      },
      cmd.qrCode ?? null,
    );
    ticket.raise(
      'TicketIssued',
      {
        ticketId: ticket.id,
        ticketNumber: ticket.ticketNumber.value,
        reservationId: ticket.reservationId,
        paymentId: ticket.paymentId,
        showtimeId: ticket.showtimeId,
        customerId: ticket.customerId,
        movieTitle: ticket.movieTitle,
        screeningTime: ticket.screeningTime.toISOString(),
        auditoriumName: ticket.auditoriumName,
        seats: sortSeats(ticket.seats),
        totalAmountMinor: ticket.totalPrice.amountMinor,
        currency: ticket.totalPrice.currency,
        qrCode: ticket.qrCode,
        issuedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(ticket);
  }

  static fromSnapshot(s: TicketSnapshot): Ticket {
    const number = TicketNumber.parse(s.ticketNumber);
    if (!number.ok) throw new Error(`corrupt ticket ${s.id}: ${number.error.message}`);
    const date = (v: string | null) => (v === null ? null : new Date(v));
    return new Ticket(
      s.id,
      s.version,
      number.value,
      s.reservationId,
      s.paymentId,
      s.showtimeId,
      s.customerId,
      s.movieTitle,
      new Date(s.screeningTime),
      s.auditoriumName,
      sortSeats(s.seats),
      Money.fromSnapshot({ amountMinor: s.totalAmountMinor, currency: s.currency }),
      new Date(s.issuedAt),
      {
        status: s.status,
        usedAt: date(s.usedAt),
        voidedAt: date(s.voidedAt),
        voidReason: s.voidReason,
        refundedAt: date(s.refundedAt),
        refundReason: s.refundReason,
      },
    );
  }

  get status(): TicketStatus {
    return this.state.status;
  }

  get usedAt(): Date | null {
    return this.state.usedAt;
  }

  get qrCode(): string {
    return this.issuedQrCode ?? qrCodeFor(this.id, this.ticketNumber.value);
  }

  /**
   * Why this ticket can't admit anyone, or null if it can. Given its payment, a refund that has
   * begun (recorded before the provider is asked) already stops the ticket at the door.
   */
  private unusableBecause(payment?: Pick<PaymentSnapshot, 'status'> | null): TicketError | null {
    if (this.state.status === TicketStatus.Issued && payment && refundBegun(payment.status)) {
      return { code: 'TicketRefunded', message: 'Ticket is being refunded' };
    }
    switch (this.state.status) {
      case TicketStatus.Issued:
        return null;
      case TicketStatus.Used:
        return { code: 'TicketAlreadyUsed', message: 'Ticket already used' };
      case TicketStatus.Voided:
        return { code: 'TicketVoided', message: 'Ticket has been voided' };
      case TicketStatus.Refunded:
        return { code: 'TicketRefunded', message: 'Ticket has been refunded' };
    }
  }

  /** The validate data: may this ticket be admitted now? Changes nothing. */
  validate(payment?: Pick<PaymentSnapshot, 'status'> | null): TicketValidation {
    const problem = this.unusableBecause(payment);
    return {
      valid: problem === null,
      reason: problem?.message ?? null,
      ticketNumber: this.ticketNumber.value,
      movieTitle: this.movieTitle,
      screeningTime: this.screeningTime.toISOString(),
      seats: formatSeats(this.seats),
    };
  }

  /**
   * Issued -> Used at the door. Not idempotent on purpose: a second scan is exactly the fraud
   * the rule exists to catch, so it answers TicketAlreadyUsed. Pass the ticket's payment, read
   * under the ticket's row lock: a ticket whose refund has begun is refused.
   */
  use(ctx: DomainContext, payment?: Pick<PaymentSnapshot, 'status'> | null): Result<void, TicketError> {
    const problem = this.unusableBecause(payment);
    if (problem) return { ok: false, error: problem };
    const now = ctx.clock.now();
    this.state = { ...this.state, status: TicketStatus.Used, usedAt: now };
    this.raise(
      'TicketUsed',
      { ticketId: this.id, ticketNumber: this.ticketNumber.value, usedAt: now.toISOString() },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /** Issued -> Voided (the saga's VoidTicket compensation). Voiding twice is a no-op. */
  void(reason: string, ctx: DomainContext): Result<void, TicketError> {
    if (this.state.status === TicketStatus.Voided) return ok(undefined);
    const problem = this.unusableBecause();
    if (problem) return { ok: false, error: problem };
    const now = ctx.clock.now();
    const why = reasonText(reason, 'Voided');
    this.state = { ...this.state, status: TicketStatus.Voided, voidedAt: now, voidReason: why };
    this.raise(
      'TicketCancelled',
      {
        ticketId: this.id,
        ticketNumber: this.ticketNumber.value,
        reservationId: this.reservationId,
        reason: why,
        cancelledAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /** Issued -> Refunded, when the payment is refunded. Refunding twice is a no-op. */
  refund(reason: string, ctx: DomainContext): Result<void, TicketError> {
    if (this.state.status === TicketStatus.Refunded) return ok(undefined);
    const problem = this.unusableBecause();
    if (problem) return { ok: false, error: problem };
    const now = ctx.clock.now();
    const why = reasonText(reason, 'Refunded');
    this.state = { ...this.state, status: TicketStatus.Refunded, refundedAt: now, refundReason: why };
    this.raise(
      'TicketRefunded',
      {
        ticketId: this.id,
        ticketNumber: this.ticketNumber.value,
        reservationId: this.reservationId,
        paymentId: this.paymentId,
        reason: why,
        refundedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  toSnapshot(): TicketSnapshot {
    const iso = (d: Date | null) => (d === null ? null : d.toISOString());
    return {
      id: this.id,
      ticketNumber: this.ticketNumber.value,
      reservationId: this.reservationId,
      paymentId: this.paymentId,
      showtimeId: this.showtimeId,
      customerId: this.customerId,
      movieTitle: this.movieTitle,
      screeningTime: this.screeningTime.toISOString(),
      auditoriumName: this.auditoriumName,
      seats: sortSeats(this.seats),
      totalAmountMinor: this.totalPrice.amountMinor,
      currency: this.totalPrice.currency,
      status: this.state.status,
      issuedAt: this.issuedAt.toISOString(),
      usedAt: iso(this.state.usedAt),
      voidedAt: iso(this.state.voidedAt),
      voidReason: this.state.voidReason,
      refundedAt: iso(this.state.refundedAt),
      refundReason: this.state.refundReason,
      version: this.version,
    };
  }
}
