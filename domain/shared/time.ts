import { err, ok, type DomainError, type Result } from './result';

export type InstantErrorCode = 'InvalidInstant';

const MS_PER_MINUTE = 60_000;

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Accepts a Date or an ISO-8601 string with an explicit offset; returns a fresh Date. JavaScript
 * would silently roll "2025-02-30" over into March, so the calendar date is checked first.
 */
export function toInstant(value: unknown, what: string): Result<Date, DomainError<InstantErrorCode>> {
  if (isValidDate(value)) return ok(new Date(value.getTime()));
  const m = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const date = new Date(value as string);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && isValidDate(date)) return ok(date);
  }
  return err('InvalidInstant', `${what} must be an ISO-8601 instant with a time zone`);
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MS_PER_MINUTE);
}

export const iso = (instant: Date): string => instant.toISOString();
