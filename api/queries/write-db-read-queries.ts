/** ReadQueries over the write database's repositories (until the read service takes over). */
import type { Repositories } from '../../db/unit-of-work';
import { paymentBody } from '../presenters/payment';
import { reservationBody } from '../presenters/reservation';
import { showtimeBody } from '../presenters/showtime';
import { ticketBody } from '../presenters/ticket';
import type { ReadQueries } from './read-queries';

export function writeDbReadQueries(repos: Repositories): ReadQueries {
  return {
    async payment(id) {
      const payment = await repos.payments.get(id);
      return payment && paymentBody(payment);
    },
    async ticket(id) {
      const ticket = await repos.tickets.get(id);
      return ticket && ticketBody(ticket);
    },
    async ticketByNumber(ticketNumber) {
      const ticket = await repos.tickets.findByNumber(ticketNumber);
      return ticket && ticketBody(ticket);
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
