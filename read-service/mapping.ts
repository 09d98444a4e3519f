/** View documents to the proto messages of cinema.read.v1. Pure. */
import {
  SeatState,
  type Money,
  type Payment,
  type PurchaseStep,
  type PurchaseSummary,
  type Reservation,
  type SeatMap,
  type Seat,
  type TakenSeat,
  type Showtime,
  type Ticket,
} from '../proto/gen/cinema/read/v1/read';
import type { ViewDoc } from './store';
import { materialize } from './views';

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const money = (amount: unknown, currency: unknown): Money => ({
  amountMinor: n(amount),
  currency: s(currency),
});
const seats = (v: unknown): Seat[] =>
  Array.isArray(v)
    ? v.map((x: { row?: unknown; number?: unknown }) => ({ row: n(x.row), number: n(x.number) }))
    : [];

/** Reservations in these statuses claim their seats (domain/reservation claimsSeats). */
export const CLAIMING_STATUSES: ReadonlySet<string> = new Set(['Pending', 'Confirmed']);

/**
 * The seats a showtime's reservations claim, from the claims stored on the showtime document
 * (views.ts). Row, number and state only: who holds a seat is not public.
 */
export function toSeatMap(showtime: ViewDoc): SeatMap {
  const claims = (showtime.claims ?? {}) as Record<string, Record<string, unknown>>;
  const taken: TakenSeat[] = [];
  for (const claim of Object.values(claims)) {
    const status = s(materialize(claim).status);
    if (!CLAIMING_STATUSES.has(status)) continue;
    const state = status === 'Confirmed' ? SeatState.SEAT_STATE_SOLD : SeatState.SEAT_STATE_HELD;
    for (const seat of seats(claim.seats)) taken.push({ seat, state });
  }
  taken.sort(
    (a, b) => (a.seat?.row ?? 0) - (b.seat?.row ?? 0) || (a.seat?.number ?? 0) - (b.seat?.number ?? 0),
  );
  return {
    showtimeId: showtime._id,
    capacity: n(showtime.capacity),
    availableSeats: Math.max(0, n(showtime.capacity) - taken.length),
    taken,
  };
}

export function toShowtime(doc: ViewDoc): Showtime {
  const map = toSeatMap(doc);
  const sold = map.taken.filter((t) => t.state === SeatState.SEAT_STATE_SOLD).length;
  return {
    id: doc._id,
    movieId: s(doc.movieId),
    movieTitle: s(doc.movieTitle),
    runningTimeMinutes: n(doc.runningTimeMinutes),
    auditoriumId: s(doc.auditoriumId),
    auditoriumName: s(doc.auditoriumName),
    capacity: n(doc.capacity),
    startsAt: s(doc.startsAt),
    endsAt: s(doc.endsAt),
    price: money(doc.priceAmountMinor, doc.currency),
    availableSeats: map.availableSeats,
    heldSeats: map.taken.length - sold,
    soldSeats: sold,
  };
}

export function toTicket(doc: ViewDoc): Ticket {
  const status = s(doc.status);
  return {
    id: doc._id,
    ticketNumber: s(doc.ticketNumber),
    reservationId: s(doc.reservationId),
    paymentId: s(doc.paymentId),
    showtimeId: s(doc.showtimeId),
    customerId: s(doc.customerId),
    movieTitle: s(doc.movieTitle),
    screeningTime: s(doc.screeningTime),
    auditoriumName: s(doc.auditoriumName),
    seats: seats(doc.seats),
    totalPrice: money(doc.totalAmountMinor, doc.currency),
    status,
    qrCode: s(doc.qrCode),
    issuedAt: s(doc.issuedAt),
    usedAt: s(doc.usedAt),
    cancelledAt: s(doc.cancelledAt),
    refundedAt: s(doc.refundedAt),
    statusReason:
      status === 'Refunded' ? s(doc.refundReason) : status === 'Voided' ? s(doc.cancelReason) : '',
  };
}

export function toPayment(doc: ViewDoc): Payment {
  return {
    id: doc._id,
    reservationId: s(doc.reservationId),
    customerId: s(doc.customerId),
    amount: money(doc.amountMinor, doc.currency),
    status: s(doc.status),
    method: s(doc.method),
    cardBrand: s(doc.cardBrand),
    cardLast4: s(doc.cardLast4),
    transactionId: s(doc.transactionId),
    processedAt: s(doc.processedAt),
    refundedAmount:
      doc.refundedAmountMinor === undefined ? undefined : money(doc.refundedAmountMinor, doc.currency),
    refundReason: s(doc.refundReason),
    refundedAt: s(doc.refundedAt),
    failureReason: s(doc.failureReason),
  };
}

export function toReservation(doc: ViewDoc): Reservation {
  return {
    id: doc._id,
    showtimeId: s(doc.showtimeId),
    customerId: s(doc.customerId),
    seats: seats(doc.seats),
    totalPrice: doc.totalAmountMinor === undefined ? undefined : money(doc.totalAmountMinor, doc.currency),
    status: s(doc.status),
    holdExpiresAt: s(doc.holdExpiresAt),
    confirmedAt: s(doc.confirmedAt),
    cancelledAt: s(doc.cancelledAt),
    cancelReason: s(doc.cancelReason),
    expiredAt: s(doc.expiredAt),
  };
}

export function toPurchaseSummary(doc: ViewDoc): PurchaseSummary {
  const raw = (doc.steps ?? {}) as Record<string, Partial<PurchaseStep>>;
  const steps: PurchaseStep[] = Object.values(raw).map((x) => ({
    stepName: s(x.stepName),
    stepNumber: n(x.stepNumber),
    success: x.success === true,
    message: s(x.message),
    timestamp: s(x.timestamp),
  }));
  steps.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.stepNumber - b.stepNumber);
  return {
    sagaId: doc._id,
    status: s(doc.status),
    customerId: s(doc.customerId),
    showtimeId: s(doc.showtimeId),
    seats: seats(doc.seats),
    reservationId: s(doc.reservationId),
    paymentId: s(doc.paymentId),
    ticketId: s(doc.ticketId),
    ticketNumber: s(doc.ticketNumber),
    steps,
    failureReason: s(doc.failureReason),
    startedAt: s(doc.startedAt),
    finishedAt: s(doc.finishedAt),
  };
}
