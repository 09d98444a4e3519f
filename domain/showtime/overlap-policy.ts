import { err, ok, type DomainError, type Result } from '../shared/result';
import { addMinutes } from '../shared/time';
import type { ScreeningTime } from './screening-time';

/** Minutes the hall needs between one film's end and the next start. */
export const DEFAULT_CLEANING_GAP_MINUTES = 15;

/** What the policy needs to know of an already scheduled showtime (a ShowtimeSnapshot fits). */
export interface ScheduledScreening {
  readonly id: string;
  readonly auditoriumId: string;
  readonly startsAt: string | Date;
  readonly endsAt: string | Date;
}

/**
 * No two showtimes in one auditorium may overlap, counting the film's running time plus the
 * cleaning gap after each. Half-open intervals: a showtime may start exactly when the previous
 * one's film end + gap is reached, not a minute earlier.
 *
 * The db layer should run this inside the transaction that inserts the showtime (with a lock on
 * the auditorium's schedule), so two concurrent schedulers can't both pass the check.
 */
export function ensureNoOverlap(
  candidate: ScreeningTime,
  auditoriumId: string,
  existing: readonly ScheduledScreening[],
  cleaningGapMinutes: number = DEFAULT_CLEANING_GAP_MINUTES,
): Result<void, DomainError<'ShowtimeOverlaps' | 'InvalidScreeningTime'>> {
  if (!Number.isInteger(cleaningGapMinutes) || cleaningGapMinutes < 0) {
    return err('InvalidScreeningTime', 'cleaning gap must be a non-negative number of minutes');
  }
  const start = candidate.startsAt.getTime();
  const busyUntil = addMinutes(candidate.endsAt, cleaningGapMinutes).getTime();
  for (const other of existing) {
    if (other.auditoriumId !== auditoriumId) continue;
    const otherStart = new Date(other.startsAt).getTime();
    const otherBusyUntil = addMinutes(new Date(other.endsAt), cleaningGapMinutes).getTime();
    if (start < otherBusyUntil && otherStart < busyUntil) {
      return err(
        'ShowtimeOverlaps',
        `auditorium ${auditoriumId} is busy with showtime ${other.id} (including a ${cleaningGapMinutes}-minute cleaning gap)`,
      );
    }
  }
  return ok(undefined);
}
