/**
 * Loads the demo data through the real aggregates and repositories (so showtimes pass the
 * overlap rule and raise ShowtimeCreated into the outbox). Idempotent: movies and halls are
 * upserted, and a showtime whose stable id already exists is left alone.
 */
import { randomUUID } from 'node:crypto';

import type { DomainContext } from '../../domain/shared/context';
import { Money } from '../../domain/shared/money';
import { expectOk } from '../../domain/shared/result';
import { addMinutes } from '../../domain/shared/time';
import { Auditorium, DEFAULT_CLEANING_GAP_MINUTES, Movie, Showtime } from '../../domain/showtime';
import type { Database } from '../database';
import { UnitOfWork } from '../unit-of-work';
import {
  DAY_STARTS_AT_MINUTES,
  DEMO_AUDITORIUMS,
  DEMO_CURRENCY,
  DEMO_MOVIES,
  EVENING_FROM_MINUTES,
  LAST_START_MINUTES,
  type DemoAuditorium,
} from './demo-data';

export interface SeedOptions {
  readonly now?: Date;
  /** Days of programme, starting tomorrow (UTC). */
  readonly days?: number;
}

export interface SeedReport {
  readonly movies: number;
  readonly auditoriums: number;
  readonly showtimesCreated: number;
  readonly showtimesExisting: number;
  readonly showtimesSkipped: string[]; // refused by the domain (e.g. overlapping a manual showtime)
}

export interface PlannedShowtime {
  readonly id: string;
  readonly auditoriumId: string;
  readonly movieId: string;
  readonly startsAt: Date;
  readonly priceMinor: number;
}

const ceilToQuarterHour = (minutes: number) => Math.ceil(minutes / 15) * 15;

/** The programme of one hall on one UTC day: films back to back with the cleaning gap. */
export function planDay(auditorium: DemoAuditorium, dayStartUtc: Date): PlannedShowtime[] {
  const day = dayStartUtc.toISOString().slice(0, 10).replace(/-/g, '');
  const planned: PlannedShowtime[] = [];
  let start = DAY_STARTS_AT_MINUTES;
  for (let i = 0; start <= LAST_START_MINUTES; i++) {
    const movieId = auditorium.programme[i % auditorium.programme.length]!;
    const movie = DEMO_MOVIES.find((m) => m.id === movieId)!;
    const hhmm = `${String(Math.floor(start / 60)).padStart(2, '0')}${String(start % 60).padStart(2, '0')}`;
    planned.push({
      id: `st-${day}-${auditorium.id.replace(/^aud-/, '')}-${hhmm}`,
      auditoriumId: auditorium.id,
      movieId,
      startsAt: addMinutes(dayStartUtc, start),
      priceMinor:
        start >= EVENING_FROM_MINUTES ? auditorium.priceMinor.evening : auditorium.priceMinor.matinee,
    });
    start = ceilToQuarterHour(start + movie.runningTimeMinutes + DEFAULT_CLEANING_GAP_MINUTES);
  }
  return planned;
}

export async function seedDemoData(db: Database, options: SeedOptions = {}): Promise<SeedReport> {
  const now = options.now ?? new Date();
  const days = options.days ?? 3;
  const ctx: DomainContext = { clock: { now: () => now }, ids: { nextId: () => randomUUID() } };
  const uow = new UnitOfWork(db);

  const movies = DEMO_MOVIES.map((m) => expectOk(Movie.create(m)));
  const auditoriums = DEMO_AUDITORIUMS.map((a) => expectOk(Auditorium.create(a)));
  await uow.run(async (tx) => {
    for (const movie of movies) await tx.showtimes.saveMovie(movie);
    for (const auditorium of auditoriums) await tx.showtimes.saveAuditorium(auditorium);
  });

  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  let created = 0;
  let existing = 0;
  const skipped: string[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(tomorrow.getTime() + d * 86_400_000);
    for (const hall of DEMO_AUDITORIUMS) {
      for (const plan of planDay(hall, day)) {
        const outcome = await uow.run(async (tx) => {
          if (await tx.showtimes.get(plan.id)) return 'existing' as const;
          const movie = movies.find((m) => m.id === plan.movieId)!;
          const auditorium = auditoriums.find((a) => a.id === plan.auditoriumId)!;
          const scheduled = Showtime.schedule(
            {
              id: plan.id,
              movie,
              auditorium,
              startsAt: plan.startsAt,
              pricePerSeat: expectOk(Money.of(plan.priceMinor, DEMO_CURRENCY)),
              existingShowtimes: await tx.showtimes.scheduleAround(plan.auditoriumId, plan.startsAt),
            },
            ctx,
          );
          if (!scheduled.ok) return scheduled.error.message;
          await tx.showtimes.save(scheduled.value);
          return 'created' as const;
        });
        if (outcome === 'created') created += 1;
        else if (outcome === 'existing') existing += 1;
        else skipped.push(`${plan.id}: ${outcome}`);
      }
    }
  }
  return {
    movies: movies.length,
    auditoriums: auditoriums.length,
    showtimesCreated: created,
    showtimesExisting: existing,
    showtimesSkipped: skipped,
  };
}
