import { PoisonEventError } from '../decode';

/**
 * A payload instant (ISO-8601 with an offset, as the event's schema requires) in UTC `toISOString()`
 * form, so string order is time order: the date filter and the step order rely on it.
 */
export function utc(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new PoisonEventError(`${instant} is not a time`);
  return new Date(ms).toISOString();
}
