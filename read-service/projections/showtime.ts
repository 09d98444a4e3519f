import type { ReadEnvelope } from '../decode';
import { Payload } from './payload';
import type { ViewWrite } from './types';

/** ShowtimeCreated is the whole showtime: every field is a fact. Availability comes from reservations. */
export function projectShowtime(e: ReadEnvelope): ViewWrite {
  const p = new Payload(e);
  const startsAt = p.time('startsAt');
  return {
    view: 'showtimes',
    id: e.aggregateId,
    version: e.aggregateVersion,
    facts: {
      movieId: p.str('movieId'),
      movieTitle: p.str('movieTitle'),
      runningTimeMinutes: p.int('runningTimeMinutes'),
      auditoriumId: p.str('auditoriumId'),
      auditoriumName: p.str('auditoriumName'),
      capacity: p.int('capacity'),
      startsAt,
      // The UTC day, so "showtimes on a date" is an equality match on an index.
      startsDate: startsAt.slice(0, 10),
      endsAt: p.time('endsAt'),
      priceAmountMinor: p.int('priceAmountMinor'),
      currency: p.str('currency'),
    },
    state: {},
  };
}
