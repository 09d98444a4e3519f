/** Routes an event to the projection of its aggregate's view. Pure: no I/O. */
import type { ReadEnvelope } from '../decode';
import { projectPayment } from './payment';
import { projectPurchase } from './purchase';
import { projectReservation } from './reservation';
import { projectShowtime } from './showtime';
import { projectTicket } from './ticket';
import type { ViewWrite } from './types';

export { VIEW_NAMES, type ViewName, type ViewWrite } from './types';

export function project(e: ReadEnvelope): ViewWrite {
  switch (e.aggregateType) {
    case 'Showtime':
      return projectShowtime(e);
    case 'Reservation':
      return projectReservation(e);
    case 'Payment':
      return projectPayment(e);
    case 'Ticket':
      return projectTicket(e);
    case 'TicketPurchaseSaga':
      return projectPurchase(e);
  }
}
