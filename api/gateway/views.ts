/**
 * Read-service messages (proto3: '' and 0 for "not set") as the public JSON shapes, the same ones
 * the API node's presenters produce, so a client can't tell which side answered.
 */
import {
  SeatState,
  type Money,
  type Payment,
  type Reservation,
  type SeatMap,
  type Seat,
  type Showtime,
  type Ticket,
} from '../../proto/gen/cinema/read/v1/read';
import { decimalAmount } from '../presenters/money';

const orNull = (s: string): string | null => (s === '' ? null : s);
const amount = (m: Money | undefined): number | null =>
  m === undefined || m.currency === '' ? null : decimalAmount(m.amountMinor, m.currency);
const seats = (list: readonly Seat[]) => list.map((s) => ({ row: s.row, number: s.number }));

export function showtimeView(s: Showtime) {
  return {
    id: s.id,
    movieId: s.movieId,
    movieTitle: s.movieTitle,
    auditoriumId: s.auditoriumId,
    auditoriumName: s.auditoriumName,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    price: amount(s.price),
    currency: s.price?.currency ?? null,
    capacity: s.capacity,
    seatsAvailable: s.availableSeats,
  };
}

/** The proto enum as a word: a client should not need the read service's numbering. */
function seatStateName(state: SeatState): 'Held' | 'Sold' {
  if (state === SeatState.SEAT_STATE_HELD) return 'Held';
  if (state === SeatState.SEAT_STATE_SOLD) return 'Sold';
  // A taken seat without a state is a read-model bug: fail loudly rather than guess.
  throw new Error(`the read service sent a taken seat in state ${state}`);
}

/** Row, number and state of each taken seat: who holds it is nobody else's business. */
export function seatMapView(m: SeatMap) {
  return {
    showtimeId: m.showtimeId,
    capacity: m.capacity,
    seatsAvailable: m.availableSeats,
    taken: m.taken.map((t) => ({
      row: t.seat?.row ?? 0,
      number: t.seat?.number ?? 0,
      state: seatStateName(t.state),
      // No reservation id: the seat map is public, and that id leads to a customer and their tickets.
    })),
  };
}

export function ticketView(t: Ticket) {
  return {
    id: t.id,
    ticketNumber: t.ticketNumber,
    reservationId: t.reservationId,
    paymentId: t.paymentId,
    showtimeId: t.showtimeId,
    customerId: t.customerId,
    movieTitle: t.movieTitle,
    screeningTime: t.screeningTime,
    auditoriumName: t.auditoriumName,
    seats: seats(t.seats),
    totalPrice: amount(t.totalPrice),
    status: t.status,
    qrCode: t.qrCode,
  };
}

export function paymentView(p: Payment) {
  return {
    id: p.id,
    reservationId: p.reservationId,
    customerId: p.customerId,
    amount: amount(p.amount),
    currency: p.amount?.currency ?? null,
    status: p.status,
    method: p.method,
    transactionId: orNull(p.transactionId),
    processedAt: orNull(p.processedAt),
  };
}

export function reservationView(r: Reservation) {
  return {
    id: r.id,
    showtimeId: r.showtimeId,
    customerId: r.customerId,
    seats: seats(r.seats),
    status: r.status,
    totalPrice: amount(r.totalPrice),
    currency: r.totalPrice?.currency ?? null,
    holdExpiresAt: orNull(r.holdExpiresAt),
    confirmedAt: orNull(r.confirmedAt),
    cancelledAt: orNull(r.cancelledAt),
    cancellationReason: orNull(r.cancelReason),
    expiredAt: orNull(r.expiredAt),
  };
}
