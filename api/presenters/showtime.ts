/** JSON of a showtime with what a buyer needs to pick seats. */
import type { SeatRef } from '../../domain/shared/seat';
import type { ShowtimeDetails } from '../../db/repositories/showtime-repository';
import type { ShowtimeBody } from '../openapi/bodies/resources';
import { decimalAmount } from './money';

export function showtimeBody(details: ShowtimeDetails, takenSeats: readonly SeatRef[]): ShowtimeBody {
  const s = details.showtime.toSnapshot();
  return {
    id: s.id,
    movieId: s.movieId,
    movieTitle: details.movie.title,
    auditoriumId: s.auditoriumId,
    auditoriumName: details.auditorium.name,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    price: decimalAmount(s.priceAmountMinor, s.currency),
    currency: s.currency,
    capacity: details.auditorium.capacity,
    seatsAvailable: details.auditorium.capacity - takenSeats.length,
  };
}
