/**
 * Which cached answers a changed view document can affect, as cache tags (see cache.ts). Pure.
 * Seat availability is part of every showtime answer, so a reservation change touches its
 * showtime and all showtime lists; lists share one tag because a showtime belongs to several
 * (by movie, by date, unfiltered) and recomputing a list is cheap.
 */
import type { ViewName } from './projections';

export const tag = {
  showtime: (id: string) => `showtime:${id}`,
  showtimeLists: () => 'showtimes',
  reservation: (id: string) => `reservation:${id}`,
  payment: (id: string) => `payment:${id}`,
  ticket: (id: string) => `ticket:${id}`,
  ticketNumber: (n: string) => `ticketno:${n}`,
  customerTickets: (id: string) => `customer:${id}`,
  purchase: (id: string) => `purchase:${id}`,
};

export function tagsForChange(view: ViewName, doc: Readonly<Record<string, unknown>>): string[] {
  const id = String(doc._id);
  const field = (k: string): string | null => (typeof doc[k] === 'string' ? (doc[k] as string) : null);
  const tags: string[] = [];
  const add = (t: string | null) => {
    if (t !== null) tags.push(t);
  };
  switch (view) {
    case 'showtimes':
      add(tag.showtime(id));
      add(tag.showtimeLists());
      break;
    case 'reservations': {
      add(tag.reservation(id));
      const showtimeId = field('showtimeId');
      if (showtimeId) add(tag.showtime(showtimeId));
      add(tag.showtimeLists());
      break;
    }
    case 'payments':
      add(tag.payment(id));
      break;
    case 'tickets': {
      add(tag.ticket(id));
      const number = field('ticketNumber');
      if (number) add(tag.ticketNumber(number));
      const customer = field('customerId');
      if (customer) add(tag.customerTickets(customer));
      break;
    }
    case 'purchases':
      add(tag.purchase(id));
      break;
  }
  return tags;
}
