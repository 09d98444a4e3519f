import { err, ok, type DomainError, type Result } from '../shared/result';
import { isValidDate } from '../shared/time';

export type TicketNumberError = DomainError<'InvalidTicketNumber'>;

const PATTERN = /^TKT-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})-(\d{4})$/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * `TKT-yyyyMMddHHmmss-NNNN`: the issue instant in UTC plus a 4-digit discriminator. Both parts
 * are given, never drawn here: an activity derives them from the saga (so a retry produces the
 * same number) and the database's unique index settles the rare same-second collision.
 */
export class TicketNumber {
  private constructor(
    readonly value: string,
    readonly issuedAt: Date,
    readonly sequence: number,
  ) {
    Object.freeze(this);
  }

  static create(issuedAt: Date, sequence: number): Result<TicketNumber, TicketNumberError> {
    if (!isValidDate(issuedAt)) return err('InvalidTicketNumber', 'issue time is not a valid instant');
    if (!Number.isInteger(sequence) || sequence < 0 || sequence > 9999) {
      return err('InvalidTicketNumber', 'the ticket sequence must be a number from 0000 to 9999');
    }
    const year = issuedAt.getUTCFullYear();
    if (year < 1000 || year > 9999) return err('InvalidTicketNumber', 'issue year must have four digits');
    const stamp =
      pad(year, 4) +
      pad(issuedAt.getUTCMonth() + 1, 2) +
      pad(issuedAt.getUTCDate(), 2) +
      pad(issuedAt.getUTCHours(), 2) +
      pad(issuedAt.getUTCMinutes(), 2) +
      pad(issuedAt.getUTCSeconds(), 2);
    const second = new Date(Math.floor(issuedAt.getTime() / 1000) * 1000);
    return ok(new TicketNumber(`TKT-${stamp}-${pad(sequence, 4)}`, second, sequence));
  }

  /**
   * A stable 0-9999 discriminator derived from a seed such as the saga id (FNV-1a hash), so an
   * activity retried after a crash mints the same ticket number instead of a second one.
   */
  static sequenceFrom(seed: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < seed.length; i += 1) {
      hash ^= seed.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % 10000;
  }

  /** Validates the format and that the stamp is a real calendar instant (no 13th month, no Feb 30). */
  static parse(value: unknown): Result<TicketNumber, TicketNumberError> {
    const invalid = err('InvalidTicketNumber', 'ticket number must look like TKT-yyyyMMddHHmmss-NNNN');
    if (typeof value !== 'string') return invalid;
    const m = PATTERN.exec(value.trim().toUpperCase());
    if (!m) return invalid;
    const [y, mo, d, h, mi, s, seq] = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const instant = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    const roundTrips =
      instant.getUTCFullYear() === y &&
      instant.getUTCMonth() === mo - 1 &&
      instant.getUTCDate() === d &&
      instant.getUTCHours() === h &&
      instant.getUTCMinutes() === mi &&
      instant.getUTCSeconds() === s;
    if (!roundTrips) return err('InvalidTicketNumber', 'ticket number carries an impossible date or time');
    return TicketNumber.create(instant, seq);
  }

  equals(other: TicketNumber): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
