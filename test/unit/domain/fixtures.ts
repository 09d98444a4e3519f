import { Money } from '../../../domain/shared/money';
import { Auditorium } from '../../../domain/showtime/auditorium';
import { Movie } from '../../../domain/showtime/movie';
import { Showtime } from '../../../domain/showtime/showtime';
import { expectOk, testContext, type TestContext } from './fakes';

export const NOW = '2025-01-08T12:00:00Z';
export const SHOW_START = '2025-12-12T20:00:00Z';

export const usd = (decimal: string): Money => expectOk(Money.fromDecimal(decimal, 'USD'));

export const inception = (): Movie =>
  expectOk(
    Movie.create({ id: 'movie-inception', title: 'Inception', runningTimeMinutes: 148, rating: 'PG-13' }),
  );

/** 10 rows of 12 seats, except row 5 which has an aisle where seats 6 and 7 would be. */
export const hall1 = (): Auditorium =>
  expectOk(
    Auditorium.create({
      id: 'aud-hall-1',
      name: 'Hall 1',
      rows: Array.from({ length: 10 }, (_, i) => ({
        row: i + 1,
        seats: Array.from({ length: 12 }, (_, j) => j + 1).filter((n) => i + 1 !== 5 || (n !== 6 && n !== 7)),
      })),
    }),
  );

export const scheduledShowtime = (price = usd('12.50'), ctx: TestContext = testContext(NOW)): Showtime =>
  expectOk(
    Showtime.schedule(
      {
        id: 'showtime-1',
        movie: inception(),
        auditorium: hall1(),
        startsAt: new Date(SHOW_START),
        pricePerSeat: price,
        existingShowtimes: [],
      },
      ctx,
    ),
  );
