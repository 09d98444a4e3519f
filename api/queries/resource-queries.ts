/**
 * What an API node's GET routes ask for, already in the public JSON shapes, answered from the
 * write database through the repositories (`writeDbResourceQueries`). Through the gateway the same GETs
 * are answered by the gRPC read service instead (api/gateway/read-routes.ts).
 */
import type { paymentBody } from '../presenters/payment';
import type { reservationBody } from '../presenters/reservation';
import type { showtimeBody } from '../presenters/showtime';
import type { ticketBody } from '../presenters/ticket';

export type PaymentView = ReturnType<typeof paymentBody>;
export type TicketView = ReturnType<typeof ticketBody>;
export type ReservationView = ReturnType<typeof reservationBody>;
export type ShowtimeView = ReturnType<typeof showtimeBody>;

/** Each lookup resolves to null when the thing does not exist. */
export interface ResourceQueries {
  payment(id: string): Promise<PaymentView | null>;
  ticket(id: string): Promise<TicketView | null>;
  ticketByNumber(ticketNumber: string): Promise<TicketView | null>;
  reservation(id: string): Promise<ReservationView | null>;
  showtime(id: string): Promise<ShowtimeView | null>;
}
