import { err, ok, type DomainError, type Result } from '../shared/result';

export type CardBrand = 'Visa' | 'Mastercard' | 'Amex' | 'Discover' | 'Unknown';
export const CARD_BRANDS: readonly CardBrand[] = ['Visa', 'Mastercard', 'Amex', 'Discover', 'Unknown'];

/** What may be stored and logged about a card: never more than this. */
export interface CardSummary {
  readonly brand: CardBrand;
  readonly last4: string;
}

// Node's util.inspect looks this symbol up; a registered symbol needs no Node import.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A primary account number, used only at the API edge to validate input and hand the digits to
 * the payment provider's tokenizer. The digits live in a true private field, and every way the
 * object turns into text (JSON.stringify, String(), template literals, console.log/util.inspect)
 * yields the masked form, so a stray log line or a Temporal payload can't leak the number.
 */
export class CardNumber implements CardSummary {
  readonly #digits: string;
  readonly brand: CardBrand;
  readonly last4: string;

  private constructor(digits: string) {
    this.#digits = digits;
    this.brand = detectBrand(digits);
    this.last4 = digits.slice(-4);
    Object.freeze(this);
  }

  /** Accepts digits with optional spaces or dashes; 12-19 digits that pass the Luhn check. */
  static parse(input: unknown): Result<CardNumber, DomainError<'InvalidCardNumber'>> {
    // Error messages never echo the input: it may be a real card number.
    if (typeof input !== 'string') return err('InvalidCardNumber', 'card number must be a string');
    const digits = input.replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(digits)) return err('InvalidCardNumber', 'card number must have 12-19 digits');
    if (!passesLuhn(digits)) return err('InvalidCardNumber', 'card number fails the checksum');
    return ok(new CardNumber(digits));
  }

  /** The full digits, for the tokenizer call only. Never store, log or return them. */
  revealDigits(): string {
    return this.#digits;
  }

  masked(): string {
    return `**** **** **** ${this.last4}`;
  }

  summary(): CardSummary {
    return { brand: this.brand, last4: this.last4 };
  }

  toString(): string {
    return this.masked();
  }

  toJSON(): string {
    return this.masked();
  }

  [Symbol.toPrimitive](): string {
    return this.masked();
  }

  [INSPECT](): string {
    return `CardNumber(${this.brand} ${this.masked()})`;
  }
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function detectBrand(digits: string): CardBrand {
  const len = digits.length;
  const prefix = (n: number) => Number(digits.slice(0, n));
  if (/^3[47]/.test(digits) && len === 15) return 'Amex';
  if (digits.startsWith('4') && (len === 13 || len === 16 || len === 19)) return 'Visa';
  if (len === 16 && ((prefix(2) >= 51 && prefix(2) <= 55) || (prefix(4) >= 2221 && prefix(4) <= 2720))) {
    return 'Mastercard';
  }
  if (
    len >= 16 &&
    (digits.startsWith('6011') ||
      digits.startsWith('65') ||
      (prefix(3) >= 644 && prefix(3) <= 649) ||
      (prefix(6) >= 622126 && prefix(6) <= 622925))
  ) {
    return 'Discover';
  }
  return 'Unknown';
}
