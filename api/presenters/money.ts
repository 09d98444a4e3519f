import { Money } from '../../domain/shared/money';

/**
 * Minor units as the public JSON's money: a number such as 25 for 2500 USD (JSON has no trailing
 * zeros; clients format it). Converted once, at the edge, from the exact integer.
 */
export const decimalAmount = (amountMinor: number, currency: string): number =>
  Money.fromSnapshot({ amountMinor, currency }).toDecimalNumber();
