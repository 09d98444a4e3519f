import type { DomainEvent } from '../shared/events';
import type { CardBrand } from './card-number';
import type { PaymentMethod } from './payment-method';

export interface PaymentCreatedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly customerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly method: PaymentMethod;
  readonly cardBrand: CardBrand | null;
  readonly cardLast4: string | null;
}

export interface PaymentProcessingStartedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
}

export interface PaymentCompletedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly customerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly method: PaymentMethod;
  readonly transactionId: string;
  readonly processedAt: string;
}

export interface PaymentDeclinedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly reason: string;
  readonly declinedAt: string;
}

export interface PaymentFailedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly reason: string;
  readonly failedAt: string;
}

export interface PaymentRefundStartedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly customerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string;
  readonly startedAt: string;
}

export interface PaymentRefundedPayload {
  readonly paymentId: string;
  readonly reservationId: string;
  readonly customerId: string;
  readonly refundedAmountMinor: number;
  readonly currency: string;
  readonly reason: string;
  readonly refundedAt: string;
}

export type PaymentCreated = DomainEvent<'PaymentCreated', PaymentCreatedPayload>;
/** Marks the moment a charge may exist at the provider. */
export type PaymentProcessingStarted = DomainEvent<
  'PaymentProcessingStarted',
  PaymentProcessingStartedPayload
>;
export type PaymentCompleted = DomainEvent<'PaymentCompleted', PaymentCompletedPayload>;
export type PaymentDeclined = DomainEvent<'PaymentDeclined', PaymentDeclinedPayload>;
/** A technical failure is a terminal status and needs its own event. */
export type PaymentFailed = DomainEvent<'PaymentFailed', PaymentFailedPayload>;
/** The refund is decided and recorded before the provider is asked. */
export type PaymentRefundStarted = DomainEvent<'PaymentRefundStarted', PaymentRefundStartedPayload>;
export type PaymentRefunded = DomainEvent<'PaymentRefunded', PaymentRefundedPayload>;

export type PaymentEvent =
  | PaymentCreated
  | PaymentProcessingStarted
  | PaymentCompleted
  | PaymentDeclined
  | PaymentFailed
  | PaymentRefundStarted
  | PaymentRefunded;
