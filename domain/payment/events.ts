import { z } from 'zod';

import type { DomainEvent } from '../shared/events';
import { amountMinorSchema, currencySchema, idSchema, instantSchema, textSchema } from '../shared/schemas';
import { CARD_BRANDS } from './card-number';
import { PaymentMethod } from './payment-method';

/** Exactly four digits: a full card number can't pass here even by mistake. */
export const cardLast4Schema = z.string().regex(/^\d{4}$/, 'four digits');

const paymentMethodSchema = z.enum(PaymentMethod);

export const PaymentCreatedPayload = z
  .object({
    paymentId: idSchema,
    reservationId: idSchema,
    customerId: idSchema,
    amountMinor: amountMinorSchema,
    currency: currencySchema,
    method: paymentMethodSchema,
    // Null for methods without a card; absent reads as null, as the read side has always taken it.
    cardBrand: z.enum(CARD_BRANDS).nullable().default(null),
    cardLast4: cardLast4Schema.nullable().default(null),
  })
  .readonly();
export type PaymentCreatedPayload = z.infer<typeof PaymentCreatedPayload>;

export const PaymentProcessingStartedPayload = z
  .object({ paymentId: idSchema, reservationId: idSchema })
  .readonly();
export type PaymentProcessingStartedPayload = z.infer<typeof PaymentProcessingStartedPayload>;

export const PaymentCompletedPayload = z
  .object({
    paymentId: idSchema,
    reservationId: idSchema,
    customerId: idSchema,
    amountMinor: amountMinorSchema,
    currency: currencySchema,
    method: paymentMethodSchema,
    transactionId: textSchema,
    processedAt: instantSchema,
  })
  .readonly();
export type PaymentCompletedPayload = z.infer<typeof PaymentCompletedPayload>;

export const PaymentDeclinedPayload = z
  .object({
    paymentId: idSchema,
    reservationId: idSchema,
    reason: textSchema,
    declinedAt: instantSchema,
  })
  .readonly();
export type PaymentDeclinedPayload = z.infer<typeof PaymentDeclinedPayload>;

export const PaymentFailedPayload = z
  .object({
    paymentId: idSchema,
    reservationId: idSchema,
    reason: textSchema,
    failedAt: instantSchema,
  })
  .readonly();
export type PaymentFailedPayload = z.infer<typeof PaymentFailedPayload>;

export const PaymentRefundStartedPayload = z
  .object({
    paymentId: idSchema,
    reservationId: idSchema,
    customerId: idSchema,
    amountMinor: amountMinorSchema,
    currency: currencySchema,
    reason: textSchema,
    startedAt: instantSchema,
  })
  .readonly();
export type PaymentRefundStartedPayload = z.infer<typeof PaymentRefundStartedPayload>;

export const PaymentRefundedPayload = z
  .object({
    paymentId: idSchema,
    reservationId: idSchema,
    customerId: idSchema,
    refundedAmountMinor: amountMinorSchema,
    currency: currencySchema,
    reason: textSchema,
    refundedAt: instantSchema,
  })
  .readonly();
export type PaymentRefundedPayload = z.infer<typeof PaymentRefundedPayload>;

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
