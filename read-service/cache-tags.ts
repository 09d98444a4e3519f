/**
 * The cache tags (see cache.ts) a projected batch invalidates (projector.ts). Seat availability is
 * part of every showtime answer, so a reservation change touches its showtime and all showtime
 * lists; lists share one tag because a showtime belongs to several (by movie, by date, unfiltered)
 * and recomputing a list is cheap.
 */

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
