import type { ReadEnvelope } from '../decode';
import { utc } from './time';
import type { ViewWrite } from './types';

/** ShowtimeCreated is the whole showtime: every field is a fact. Availability comes from reservations. */
export function projectShowtime(e: ReadEnvelope): ViewWrite {
  if (e.eventType !== 'ShowtimeCreated') throw new Error(`not a showtime event: ${e.eventType}`);
  const p = e.payload;
  const startsAt = utc(p.startsAt);
  return {
    view: 'showtimes',
    id: e.aggregateId,
    version: e.aggregateVersion,
    facts: {
      movieId: p.movieId,
      movieTitle: p.movieTitle,
      runningTimeMinutes: p.runningTimeMinutes,
      auditoriumId: p.auditoriumId,
      auditoriumName: p.auditoriumName,
      capacity: p.capacity,
      startsAt,
      // The UTC day, so "showtimes on a date" is an equality match on an index.
      startsDate: startsAt.slice(0, 10),
      endsAt: utc(p.endsAt),
      priceAmountMinor: p.priceAmountMinor,
      currency: p.currency,
    },
    state: {},
  };
}
