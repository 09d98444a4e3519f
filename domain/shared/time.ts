import { err, ok, type DomainError, type Result } from './result';

export type InstantErrorCode = 'InvalidInstant';

const MS_PER_MINUTE = 60_000;

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** Accepts a Date or an ISO-8601 string with an explicit offset; returns a fresh Date. */
export function toInstant(value: unknown, what: string): Result<Date, DomainError<InstantErrorCode>> {
  if (isValidDate(value)) return ok(new Date(value.getTime()));
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  ) {
    const date = new Date(value);
    if (isValidDate(date)) return ok(date);
  }
  return err('InvalidInstant', `${what} must be an ISO-8601 instant with a time zone`);
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MS_PER_MINUTE);
}

export const iso = (instant: Date): string => instant.toISOString();
