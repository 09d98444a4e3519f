import { z } from 'zod';

import type { DomainEvent } from '../shared/events';
import {
  amountMinorSchema,
  currencySchema,
  idSchema,
  instantSchema,
  seatsSchema,
  textSchema,
} from '../shared/schemas';
import { ReservationStatus } from './reservation-status';

/* Every payload carries the seats, so a read model can free or occupy them without a lookup. */

export const ReservationCreatedPayload = z
  .object({
    reservationId: idSchema,
    showtimeId: idSchema,
    customerId: idSchema,
    seats: seatsSchema,
    totalAmountMinor: amountMinorSchema,
    currency: currencySchema,
    holdExpiresAt: instantSchema,
  })
  .readonly();
export type ReservationCreatedPayload = z.infer<typeof ReservationCreatedPayload>;

export const ReservationConfirmedPayload = z
  .object({
    reservationId: idSchema,
    showtimeId: idSchema,
    customerId: idSchema,
    seats: seatsSchema,
    confirmedAt: instantSchema,
  })
  .readonly();
export type ReservationConfirmedPayload = z.infer<typeof ReservationConfirmedPayload>;

export const ReservationCancelledPayload = z
  .object({
    reservationId: idSchema,
    showtimeId: idSchema,
    seats: seatsSchema,
    previousStatus: z.enum(ReservationStatus),
    reason: textSchema,
    cancelledAt: instantSchema,
  })
  .readonly();
export type ReservationCancelledPayload = z.infer<typeof ReservationCancelledPayload>;

export const ReservationExpiredPayload = z
  .object({
    reservationId: idSchema,
    showtimeId: idSchema,
    seats: seatsSchema,
    expiredAt: instantSchema,
  })
  .readonly();
export type ReservationExpiredPayload = z.infer<typeof ReservationExpiredPayload>;

export type ReservationCreated = DomainEvent<'ReservationCreated', ReservationCreatedPayload>;
export type ReservationConfirmed = DomainEvent<'ReservationConfirmed', ReservationConfirmedPayload>;
export type ReservationCancelled = DomainEvent<'ReservationCancelled', ReservationCancelledPayload>;
export type ReservationExpired = DomainEvent<'ReservationExpired', ReservationExpiredPayload>;

export type ReservationEvent =
  ReservationCreated | ReservationConfirmed | ReservationCancelled | ReservationExpired;
