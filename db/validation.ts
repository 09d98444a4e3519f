/**
 * Runtime checks of what reaches SQL. Snapshots come from the domain and should already be valid;
 * checking them again here is cheap and turns a bug into a clear error instead of a corrupt row
 * or a confusing constraint violation. Lookups with a malformed id return "not found" without a
 * round trip.
 */
import { z } from 'zod';

import { cardLast4Schema } from '../domain/payment/events';
import {
  amountMinorSchema,
  currencySchema,
  idSchema,
  instantSchema,
  seatSchema,
} from '../domain/shared/schemas';
import { auditoriumNameSchema, movieTitleSchema } from '../domain/showtime/events';

/** The domain's rules for ids, seats and money, shared with the event schemas. */
export { amountMinorSchema, currencySchema, idSchema, seatSchema };

export const isWellFormedId = (value: unknown): value is string => idSchema.safeParse(value).success;

const instant = instantSchema;
const reason = z.string().max(500).nullable();
const version = z.number().int().min(1);

export const showtimeSnapshotSchema = z.object({
  id: idSchema,
  movieId: idSchema,
  auditoriumId: idSchema,
  startsAt: instant,
  endsAt: instant,
  priceAmountMinor: amountMinorSchema.min(1),
  currency: currencySchema,
  createdAt: instant,
  version,
});

export const reservationSnapshotSchema = z.object({
  id: idSchema,
  showtimeId: idSchema,
  customerId: idSchema,
  seats: z.array(seatSchema).min(1).max(100),
  status: z.enum(['Pending', 'Confirmed', 'Cancelled', 'Expired']),
  totalAmountMinor: amountMinorSchema,
  currency: currencySchema,
  holdExpiresAt: instant,
  createdAt: instant,
  confirmedAt: instant.nullable(),
  cancelledAt: instant.nullable(),
  cancellationReason: reason,
  expiredAt: instant.nullable(),
  version,
});

export const paymentSnapshotSchema = z.object({
  id: idSchema,
  reservationId: idSchema,
  customerId: idSchema,
  amountMinor: amountMinorSchema.min(1),
  currency: currencySchema,
  method: z.enum(['CreditCard', 'DebitCard', 'PayPal', 'ApplePay', 'GooglePay', 'BankTransfer']),
  status: z.enum(['Pending', 'Processing', 'Completed', 'Declined', 'Refunding', 'Refunded', 'Failed']),
  cardBrand: z.enum(['Visa', 'Mastercard', 'Amex', 'Discover', 'Unknown']).nullable(),
  cardLast4: cardLast4Schema.nullable(),
  providerToken: z.string().max(200).nullable(),
  transactionId: z.string().max(200).nullable(),
  failureReason: reason,
  createdAt: instant,
  processedAt: instant.nullable(),
  refundedAmountMinor: amountMinorSchema.nullable(),
  refundReason: reason,
  refundedAt: instant.nullable(),
  version,
});

export const ticketSnapshotSchema = z.object({
  id: idSchema,
  ticketNumber: z.string().regex(/^TKT-\d{14}-\d{4}$/),
  reservationId: idSchema,
  paymentId: idSchema,
  showtimeId: idSchema,
  customerId: idSchema,
  movieTitle: movieTitleSchema,
  screeningTime: instant,
  auditoriumName: auditoriumNameSchema,
  seats: z.array(seatSchema).min(1).max(100),
  totalAmountMinor: amountMinorSchema,
  currency: currencySchema,
  status: z.enum(['Issued', 'Used', 'Voided', 'Refunded']),
  issuedAt: instant,
  usedAt: instant.nullable(),
  voidedAt: instant.nullable(),
  voidReason: reason,
  refundedAt: instant.nullable(),
  refundReason: reason,
  version,
});

/** Parses `value` or throws a TypeError naming what was being written. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new TypeError(`refusing to write invalid ${what}: ${problems}`);
}
