import { err, ok, type DomainError, type Result } from '../shared/result';

export type TicketNumberError = DomainError<'InvalidTicketNumber'>;

/** The public shape, `TKT-` 14 digits `-` 4 digits; read case-insensitively, with spaces trimmed. */
const PATTERN = /^TKT-(\d{14})-(\d{4})$/;

/** Random bytes drawn for one number: 80 bits, so reducing them to 18 digits is all but unbiased. */
export const TICKET_NUMBER_ENTROPY_BYTES = 10;

const DIGITS = 18n;
const MODULUS = 10n ** DIGITS;

/**
 * A ticket number in the public shape `TKT-NNNNNNNNNNNNNN-NNNN`, whose 18 digits are drawn from a
 * cryptographic random source (about 60 bits): the number is printed on the ticket and looks a
 * ticket up, so nothing in it may follow from the time of sale (14 digits taken from the issue
 * second, as the shape suggests, would leave 10,000 guesses per second of sales). The shape is kept
 * so that the database checks, the API and every stored number stay valid. The bytes are given,
 * never drawn here (the domain has no random source); the database's unique index settles the
 * (astronomically rare) collision.
 */
export class TicketNumber {
  private constructor(readonly value: string) {
    Object.freeze(this);
  }

  /** The number made from `TICKET_NUMBER_ENTROPY_BYTES` or more random bytes. */
  static fromEntropy(bytes: Uint8Array): Result<TicketNumber, TicketNumberError> {
    if (bytes.length < TICKET_NUMBER_ENTROPY_BYTES) {
      return err('InvalidTicketNumber', `a ticket number needs ${TICKET_NUMBER_ENTROPY_BYTES} random bytes`);
    }
    let n = 0n;
    for (const byte of bytes) n = (n << 8n) | BigInt(byte);
    const digits = (n % MODULUS).toString().padStart(Number(DIGITS), '0');
    return ok(new TicketNumber(`TKT-${digits.slice(0, 14)}-${digits.slice(14)}`));
  }

  /** Validates the shape (numbers issued before the digits were random parse the same way). */
  static parse(value: unknown): Result<TicketNumber, TicketNumberError> {
    if (typeof value !== 'string') return invalid();
    const normalized = value.trim().toUpperCase();
    return PATTERN.test(normalized) ? ok(new TicketNumber(normalized)) : invalid();
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

const invalid = () => err('InvalidTicketNumber', 'ticket number must look like TKT-NNNNNNNNNNNNNN-NNNN');
