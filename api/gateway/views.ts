/**
 * Read-service messages (proto3: '' and 0 for "not set") as the public JSON bodies, typed by their
 * schemas (api/openapi/bodies), the same ones the API node's command answers are typed by.
 *
 * A view the read model has only in part (a later event projected before the creating one) is
 * not there yet: IncompleteView, answered like a resource not projected yet (read-routes.ts). A
 * value the public body does not allow (an unknown status) is a read-model bug and fails loudly.
 */
import { PAYMENT_METHODS } from '../../domain/payment/payment-method';
import { PAYMENT_STATUSES } from '../../domain/payment/payment-status';
import { RESERVATION_STATUSES } from '../../domain/reservation/reservation-status';
import { TICKET_STATUSES } from '../../domain/ticket/ticket-status';
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
import type {
  PaymentBody,
  ReservationBody,
  SeatMapBody,
  ShowtimeBody,
  TicketBody,
} from '../openapi/bodies/resources';
import { decimalAmount } from '../presenters/money';

/** The read model does not have all of this resource yet. */
export class IncompleteView extends Error {
  constructor(what: string, id: string, missing: string) {
    super(`the read model's ${what} ${id} has no ${missing} yet`);
    this.name = 'IncompleteView';
  }
}

/** The views of a list the read model has in full; the others are not there yet. */
export function completeViews<M, V>(list: readonly M[], view: (m: M) => V): V[] {
  const out: V[] = [];
  for (const m of list) {
    try {
      out.push(view(m));
    } catch (e) {
      if (!(e instanceof IncompleteView)) throw e;
    }
  }
  return out;
}

const orNull = (s: string): string | null => (s === '' ? null : s);
const seats = (list: readonly Seat[]) => list.map((s) => ({ row: s.row, number: s.number }));

/** The amount and its currency; a view without them is not complete yet. */
function money(m: Money | undefined, incomplete: () => IncompleteView): { amount: number; currency: string } {
  if (m === undefined || m.currency === '') throw incomplete();
  return { amount: decimalAmount(m.amountMinor, m.currency), currency: m.currency };
}

/** One of the domain's values: '' is not set yet; anything else unknown is a read-model bug. */
function oneOf<T extends string>(list: readonly T[], value: string, incomplete: () => IncompleteView): T {
  if ((list as readonly string[]).includes(value)) return value as T;
  if (value === '') throw incomplete();
  throw new Error(`the read service sent a value outside ${list.join(', ')}: ${JSON.stringify(value)}`);
}

export function showtimeView(s: Showtime): ShowtimeBody {
  const price = money(s.price, () => new IncompleteView('showtime', s.id, 'price'));
  return {
    id: s.id,
    movieId: s.movieId,
    movieTitle: s.movieTitle,
    auditoriumId: s.auditoriumId,
    auditoriumName: s.auditoriumName,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    price: price.amount,
    currency: price.currency,
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
export function seatMapView(m: SeatMap): SeatMapBody {
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

export function ticketView(t: Ticket): TicketBody {
  const incomplete = (missing: string) => () => new IncompleteView('ticket', t.id, missing);
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
    totalPrice: money(t.totalPrice, incomplete('price')).amount,
    status: oneOf(TICKET_STATUSES, t.status, incomplete('status')),
    qrCode: t.qrCode,
  };
}

export function paymentView(p: Payment): PaymentBody {
  const incomplete = (missing: string) => () => new IncompleteView('payment', p.id, missing);
  const amount = money(p.amount, incomplete('amount'));
  return {
    id: p.id,
    reservationId: p.reservationId,
    customerId: p.customerId,
    amount: amount.amount,
    currency: amount.currency,
    status: oneOf(PAYMENT_STATUSES, p.status, incomplete('status')),
    method: oneOf(PAYMENT_METHODS, p.method, incomplete('method')),
    transactionId: orNull(p.transactionId),
    processedAt: orNull(p.processedAt),
  };
}

export function reservationView(r: Reservation): ReservationBody {
  const incomplete = (missing: string) => () => new IncompleteView('reservation', r.id, missing);
  const total = money(r.totalPrice, incomplete('price'));
  if (r.holdExpiresAt === '') throw incomplete('hold expiry')();
  return {
    id: r.id,
    showtimeId: r.showtimeId,
    customerId: r.customerId,
    seats: seats(r.seats),
    status: oneOf(RESERVATION_STATUSES, r.status, incomplete('status')),
    totalPrice: total.amount,
    currency: total.currency,
    holdExpiresAt: r.holdExpiresAt,
    confirmedAt: orNull(r.confirmedAt),
    cancelledAt: orNull(r.cancelledAt),
    cancellationReason: orNull(r.cancelReason),
    expiredAt: orNull(r.expiredAt),
  };
}
