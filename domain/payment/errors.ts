import type { DomainError } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import type { MoneyErrorCode } from '../shared/money';

export type PaymentErrorCode =
  | IdErrorCode
  | MoneyErrorCode
  | 'InvalidCardNumber'
  | 'InvalidCardDetails'
  | 'CardDetailsRequired'
  | 'InvalidPaymentMethod'
  | 'InvalidPaymentAmount'
  | 'TransactionIdRequired'
  | 'RefundReasonRequired'
  | 'PaymentNotPending' // complete/decline/fail of a payment that already has an outcome
  | 'PaymentNotCompleted' // refund of a payment that was never completed
  | 'PaymentNotFound';

export type PaymentError = DomainError<PaymentErrorCode>;
