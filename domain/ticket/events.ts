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
import { auditoriumNameSchema, movieTitleSchema } from '../showtime/events';

/* The ticket number's shape is checked where the number is made (ticket-number.ts), not again here. */

export const TicketIssuedPayload = z
  .object({
    ticketId: idSchema,
    ticketNumber: textSchema,
    reservationId: idSchema,
    paymentId: idSchema,
    showtimeId: idSchema,
    customerId: idSchema,
    movieTitle: movieTitleSchema,
    screeningTime: instantSchema,
    auditoriumName: auditoriumNameSchema,
    seats: seatsSchema,
    totalAmountMinor: amountMinorSchema,
    currency: currencySchema,
    qrCode: textSchema,
    issuedAt: instantSchema,
  })
  .readonly();
export type TicketIssuedPayload = z.infer<typeof TicketIssuedPayload>;

export const TicketUsedPayload = z
  .object({ ticketId: idSchema, ticketNumber: textSchema, usedAt: instantSchema })
  .readonly();
export type TicketUsedPayload = z.infer<typeof TicketUsedPayload>;

/** Raised when a ticket is voided (status Voided). */
export const TicketCancelledPayload = z
  .object({
    ticketId: idSchema,
    ticketNumber: textSchema,
    reservationId: idSchema,
    reason: textSchema,
    cancelledAt: instantSchema,
  })
  .readonly();
export type TicketCancelledPayload = z.infer<typeof TicketCancelledPayload>;

export const TicketRefundedPayload = z
  .object({
    ticketId: idSchema,
    ticketNumber: textSchema,
    reservationId: idSchema,
    paymentId: idSchema,
    reason: textSchema,
    refundedAt: instantSchema,
  })
  .readonly();
export type TicketRefundedPayload = z.infer<typeof TicketRefundedPayload>;

export type TicketIssued = DomainEvent<'TicketIssued', TicketIssuedPayload>;
export type TicketUsed = DomainEvent<'TicketUsed', TicketUsedPayload>;
export type TicketCancelled = DomainEvent<'TicketCancelled', TicketCancelledPayload>;
export type TicketRefunded = DomainEvent<'TicketRefunded', TicketRefundedPayload>;

export type TicketEvent = TicketIssued | TicketUsed | TicketCancelled | TicketRefunded;
