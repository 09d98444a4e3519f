import { err, ok, type DomainError, type Result } from '../shared/result';
import { addMinutes } from '../shared/time';

/**
 * When a showtime occupies the screen: from the start until the film ends. The cleaning gap is
 * not part of it; it belongs to the scheduling policy, which can change without rewriting data.
 */
export class ScreeningTime {
  private constructor(
    readonly startsAt: Date,
    readonly endsAt: Date,
  ) {
    Object.freeze(this);
  }

  static create(
    startsAt: Date,
    runningTimeMinutes: number,
  ): Result<ScreeningTime, DomainError<'InvalidScreeningTime'>> {
    if (Number.isNaN(startsAt.getTime()))
      return err('InvalidScreeningTime', 'start time is not a valid instant');
    if (!Number.isInteger(runningTimeMinutes) || runningTimeMinutes < 1) {
      return err('InvalidScreeningTime', 'running time must be a positive number of minutes');
    }
    return ok(new ScreeningTime(new Date(startsAt.getTime()), addMinutes(startsAt, runningTimeMinutes)));
  }

  static fromInstants(startsAt: Date, endsAt: Date): ScreeningTime {
    return new ScreeningTime(new Date(startsAt.getTime()), new Date(endsAt.getTime()));
  }

  get durationMinutes(): number {
    return (this.endsAt.getTime() - this.startsAt.getTime()) / 60_000;
  }

  hasStartedAt(now: Date): boolean {
    return now.getTime() >= this.startsAt.getTime();
  }
}
