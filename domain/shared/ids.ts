import { err, ok, type DomainError, type Result } from './result';

export type IdErrorCode = 'InvalidId';

/**
 * Ids are opaque strings minted elsewhere (UUIDs, or a "pay-xyz789" style). The domain
 * only refuses what would break a URL, a log line or a Kafka key: empty, too long, odd characters.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export function validateId(value: unknown, what: string): Result<string, DomainError<IdErrorCode>> {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    return err('InvalidId', `${what} must be 1-100 characters of letters, digits, '.', '_', ':' or '-'`);
  }
  return ok(value);
}
