import { err, ok, type DomainError, type Result } from './result';

export type MoneyErrorCode = 'InvalidMoney' | 'InvalidCurrency' | 'CurrencyMismatch';
export type MoneyError = DomainError<MoneyErrorCode>;

/** ISO 4217 minor-unit exponents that differ from the common 2; enough for a cinema. */
const EXPONENT_OVERRIDES: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  BHD: 3,
  JOD: 3,
  KWD: 3,
  OMR: 3,
  TND: 3,
};

export const minorUnitExponent = (currency: string): number => EXPONENT_OVERRIDES[currency] ?? 2;

/** The JSON/snapshot form: integer minor units, so no float ever carries money. */
export interface MoneySnapshot {
  readonly amountMinor: number;
  readonly currency: string;
}

/**
 * An amount of one currency, held as a non-negative safe integer of minor units (cents).
 * Floating point never touches the amount: decimal input is parsed digit by digit, and anything
 * that would lose precision (too many decimals, exponent notation, beyond 2^53) is refused
 * instead of rounded, because a silently rounded price is a wrong charge.
 */
export class Money {
  private constructor(
    readonly amountMinor: number,
    readonly currency: string,
  ) {
    Object.freeze(this);
  }

  static of(amountMinor: number, currency: string): Result<Money, MoneyError> {
    const code = normaliseCurrency(currency);
    if (!code.ok) return code;
    if (!Number.isSafeInteger(amountMinor)) {
      return err('InvalidMoney', 'amount must be a whole number of minor units');
    }
    if (amountMinor < 0) return err('InvalidMoney', 'amount must not be negative');
    return ok(new Money(amountMinor, code.value));
  }

  static zero(currency: string): Result<Money, MoneyError> {
    return Money.of(0, currency);
  }

  /** Rehydrates trusted stored data; a bad row is a bug, so this throws rather than returns. */
  static fromSnapshot(snapshot: MoneySnapshot): Money {
    const money = Money.of(snapshot.amountMinor, snapshot.currency);
    if (!money.ok) throw new Error(`corrupt money ${JSON.stringify(snapshot)}: ${money.error.message}`);
    return money.value;
  }

  /**
   * Parses a decimal amount at the edge: "25", "25.5", "25.00", or a JSON number such as 25.5.
   * A number is read through its shortest decimal representation, so 0.1 + 0.2 (which prints as
   * 0.30000000000000004) is refused rather than rounded to 0.30.
   */
  static fromDecimal(value: string | number, currency: string): Result<Money, MoneyError> {
    const code = normaliseCurrency(currency);
    if (!code.ok) return code;
    let text: string;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return err('InvalidMoney', 'amount must be a finite number');
      text = String(value);
    } else if (typeof value === 'string') {
      text = value.trim();
    } else {
      return err('InvalidMoney', 'amount must be a decimal string or number');
    }
    if (/^-/.test(text)) return err('InvalidMoney', 'amount must not be negative');
    const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) return err('InvalidMoney', `"${text}" is not a plain decimal amount`);
    const whole = match[1] ?? '0';
    const exponent = minorUnitExponent(code.value);
    // Trailing zeros beyond the currency's precision lose nothing ("25.000" USD is fine).
    const fraction = (match[2] ?? '').replace(/0+$/, '');
    if (fraction.length > exponent) {
      return err('InvalidMoney', `${code.value} allows at most ${exponent} decimal places`);
    }
    const minor = Number(whole + fraction.padEnd(exponent, '0'));
    return Money.of(minor, code.value);
  }

  add(other: Money): Result<Money, MoneyError> {
    if (other.currency !== this.currency) {
      return err('CurrencyMismatch', `cannot add ${other.currency} to ${this.currency}`);
    }
    return Money.of(this.amountMinor + other.amountMinor, this.currency);
  }

  /** Multiplies by a whole quantity (seats x price); fractional factors would need rounding rules. */
  multiply(quantity: number): Result<Money, MoneyError> {
    if (!Number.isSafeInteger(quantity) || quantity < 0) {
      return err('InvalidMoney', 'quantity must be a non-negative whole number');
    }
    return Money.of(this.amountMinor * quantity, this.currency);
  }

  equals(other: Money): boolean {
    return this.amountMinor === other.amountMinor && this.currency === other.currency;
  }

  isZero(): boolean {
    return this.amountMinor === 0;
  }

  /** "25.00" for 2500 USD, "1500" for 1500 JPY: exact, built from the integer. */
  toDecimalString(): string {
    const exponent = minorUnitExponent(this.currency);
    if (exponent === 0) return String(this.amountMinor);
    const digits = String(this.amountMinor).padStart(exponent + 1, '0');
    return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  }

  /**
   * The amount as a JSON number for the public response shapes ("totalPrice": 25.00). Only for
   * output at the edge: the conversion is exact to the cent for any realistic amount, but never
   * compute with the result.
   */
  toDecimalNumber(): number {
    return Number(this.toDecimalString());
  }

  toSnapshot(): MoneySnapshot {
    return { amountMinor: this.amountMinor, currency: this.currency };
  }

  toJSON(): MoneySnapshot {
    return this.toSnapshot();
  }

  toString(): string {
    return `${this.toDecimalString()} ${this.currency}`;
  }
}

function normaliseCurrency(currency: unknown): Result<string, MoneyError> {
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
    return err('InvalidCurrency', 'currency must be a three-letter ISO 4217 code');
  }
  return ok(currency.toUpperCase());
}
