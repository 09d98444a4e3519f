import { sortSeats, type SeatRef } from '../shared/seat';

/**
 * What a ticket's QR code asserts, signed by the box office so a door scanner can check it
 * offline: this ticket, with this number, admits to these seats of this showtime. Seats are in
 * the ticket's own order, so the same ticket always yields the same claims (and, with a
 * deterministic signature, the same QR code).
 */
export interface TicketQrClaims {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly showtimeId: string;
  readonly seats: readonly SeatRef[];
}

export function ticketQrClaims(ticket: {
  readonly id: string;
  readonly ticketNumber: string;
  readonly showtimeId: string;
  readonly seats: readonly SeatRef[];
}): TicketQrClaims {
  return {
    ticketId: ticket.id,
    ticketNumber: ticket.ticketNumber,
    showtimeId: ticket.showtimeId,
    seats: sortSeats(ticket.seats).map((s) => ({ row: s.row, number: s.number })),
  };
}
