import { err, ok, type DomainError, type Result } from '../shared/result';

export const PaymentMethod = {
  CreditCard: 'CreditCard',
  DebitCard: 'DebitCard',
  PayPal: 'PayPal',
  ApplePay: 'ApplePay',
  GooglePay: 'GooglePay',
  BankTransfer: 'BankTransfer',
} as const;
export type PaymentMethod = (typeof PaymentMethod)[keyof typeof PaymentMethod];

export const PAYMENT_METHODS: readonly PaymentMethod[] = Object.values(PaymentMethod);

/** Methods for which the customer typed a card number, so brand and last 4 digits are known. */
export const isCardMethod = (method: PaymentMethod): boolean =>
  method === PaymentMethod.CreditCard || method === PaymentMethod.DebitCard;

export function parsePaymentMethod(
  value: unknown,
): Result<PaymentMethod, DomainError<'InvalidPaymentMethod'>> {
  if (typeof value === 'string' && (PAYMENT_METHODS as readonly string[]).includes(value)) {
    return ok(value as PaymentMethod);
  }
  return err('InvalidPaymentMethod', `payment method must be one of ${PAYMENT_METHODS.join(', ')}`);
}
