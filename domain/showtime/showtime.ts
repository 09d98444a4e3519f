import { AggregateRoot } from '../shared/aggregate-root';
import type { DomainContext } from '../shared/context';
import { validateId } from '../shared/ids';
import { Money, type MoneyError } from '../shared/money';
import { err, ok, type Result } from '../shared/result';
import type { Auditorium } from './auditorium';
import type { ShowtimeError } from './errors';
import type { ShowtimeEvent } from './events';
import type { AuditoriumId, MovieId } from './ids';
import type { Movie } from './movie';
import { DEFAULT_CLEANING_GAP_MINUTES, ensureNoOverlap, type ScheduledScreening } from './overlap-policy';
import { ScreeningTime } from './screening-time';

/** Row shape of a showtime; times are ISO-8601 UTC, the price in minor units. */
export interface ShowtimeSnapshot {
  readonly id: string;
  readonly movieId: string;
  readonly auditoriumId: string;
  readonly startsAt: string;
  readonly endsAt: string; // film end, without the cleaning gap
  readonly priceAmountMinor: number; // price per seat
  readonly currency: string;
  readonly createdAt: string;
  readonly version: number;
}

export interface ScheduleShowtime {
  readonly id: string;
  readonly movie: Movie;
  readonly auditorium: Auditorium;
  readonly startsAt: Date;
  readonly pricePerSeat: Money;
  /** The showtimes already scheduled in this auditorium (others are ignored). */
  readonly existingShowtimes: readonly ScheduledScreening[];
  readonly cleaningGapMinutes?: number;
}

/** A screening of one movie in one auditorium at one time, at a price per seat. */
export class Showtime extends AggregateRoot<ShowtimeEvent> {
  protected readonly aggregateType = 'Showtime' as const;

  private constructor(
    id: string,
    version: number,
    readonly movieId: MovieId,
    readonly auditoriumId: AuditoriumId,
    readonly screeningTime: ScreeningTime,
    readonly pricePerSeat: Money,
    readonly createdAt: Date,
  ) {
    super(id, version);
  }

  static schedule(cmd: ScheduleShowtime, ctx: DomainContext): Result<Showtime, ShowtimeError> {
    const now = ctx.clock.now();
    const id = validateId(cmd.id, 'showtimeId');
    if (!id.ok) return id;
    const time = ScreeningTime.create(cmd.startsAt, cmd.movie.runningTimeMinutes);
    if (!time.ok) return time;
    if (time.value.hasStartedAt(now)) return err('ShowtimeInPast', 'a showtime must start in the future');
    if (cmd.pricePerSeat.isZero()) return err('InvalidPrice', 'price per seat must be positive');
    const free = ensureNoOverlap(
      time.value,
      cmd.auditorium.id,
      cmd.existingShowtimes.filter((s) => s.id !== id.value),
      cmd.cleaningGapMinutes ?? DEFAULT_CLEANING_GAP_MINUTES,
    );
    if (!free.ok) return free;

    const showtime = new Showtime(
      id.value,
      0,
      cmd.movie.id,
      cmd.auditorium.id,
      time.value,
      cmd.pricePerSeat,
      now,
    );
    showtime.raise(
      'ShowtimeCreated',
      {
        showtimeId: showtime.id,
        movieId: cmd.movie.id,
        movieTitle: cmd.movie.title,
        runningTimeMinutes: cmd.movie.runningTimeMinutes,
        auditoriumId: cmd.auditorium.id,
        auditoriumName: cmd.auditorium.name,
        capacity: cmd.auditorium.capacity,
        startsAt: time.value.startsAt.toISOString(),
        endsAt: time.value.endsAt.toISOString(),
        priceAmountMinor: cmd.pricePerSeat.amountMinor,
        currency: cmd.pricePerSeat.currency,
      },
      ctx,
      now,
    );
    return ok(showtime);
  }

  static fromSnapshot(s: ShowtimeSnapshot): Showtime {
    return new Showtime(
      s.id,
      s.version,
      s.movieId as MovieId,
      s.auditoriumId as AuditoriumId,
      ScreeningTime.fromInstants(new Date(s.startsAt), new Date(s.endsAt)),
      Money.fromSnapshot({ amountMinor: s.priceAmountMinor, currency: s.currency }),
      new Date(s.createdAt),
    );
  }

  get startsAt(): Date {
    return new Date(this.screeningTime.startsAt.getTime());
  }

  hasStartedAt(now: Date): boolean {
    return this.screeningTime.hasStartedAt(now);
  }

  /** Seats x price per seat. */
  priceFor(seatCount: number): Result<Money, MoneyError> {
    return this.pricePerSeat.multiply(seatCount);
  }

  toSnapshot(): ShowtimeSnapshot {
    return {
      id: this.id,
      movieId: this.movieId,
      auditoriumId: this.auditoriumId,
      startsAt: this.screeningTime.startsAt.toISOString(),
      endsAt: this.screeningTime.endsAt.toISOString(),
      priceAmountMinor: this.pricePerSeat.amountMinor,
      currency: this.pricePerSeat.currency,
      createdAt: this.createdAt.toISOString(),
      version: this.version,
    };
  }
}
