/**
 * ResourceQueries over the write database's repositories: the GETs an API node answers when asked
 * directly. Through the gateway the same GETs are answered by the read model
 * (api/gateway/read-routes.ts).
 */
import type { Repositories } from '../../db/unit-of-work';
import { ticketQrClaims, type Ticket } from '../../domain/ticket';
import type { TicketQrSigner } from '../../providers/ticket-qr';
import { paymentBody } from '../presenters/payment';
import { reservationBody } from '../presenters/reservation';
import { showtimeBody } from '../presenters/showtime';
import { ticketBody } from '../presenters/ticket';
import type { ResourceQueries } from './resource-queries';

export function writeDbResourceQueries(repos: Repositories, ticketQr: TicketQrSigner): ResourceQueries {
  // The same signature the saga put into TicketIssued (Ed25519 is deterministic), so the write
  // database and the read model show one QR code for a ticket.
  const presentTicket = async (ticket: Ticket) =>
    ticketBody(
      ticket,
      await ticketQr.sign(
        ticketQrClaims({
          id: ticket.id,
          ticketNumber: ticket.ticketNumber.value,
          showtimeId: ticket.showtimeId,
          seats: ticket.seats,
        }),
      ),
    );
  return {
    async payment(id) {
      const payment = await repos.payments.get(id);
      return payment && paymentBody(payment);
    },
    async ticket(id) {
      const ticket = await repos.tickets.get(id);
      return ticket && presentTicket(ticket);
    },
    async ticketByNumber(ticketNumber) {
      const ticket = await repos.tickets.findByNumber(ticketNumber);
      return ticket && presentTicket(ticket);
    },
    async reservation(id) {
      const reservation = await repos.reservations.get(id);
      return reservation && reservationBody(reservation);
    },
    async showtime(id) {
      const details = await repos.showtimes.getDetails(id);
      if (!details) return null;
      return showtimeBody(details, await repos.reservations.takenSeats(id));
    },
  };
}
