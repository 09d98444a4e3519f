/**
 * The resource bodies (tickets, payments, reservations, showtimes) as the presenters
 * (api/presenters) and the gateway's read views (api/gateway/views.ts) write them. Statuses and
 * methods come from the domain's own lists, so a new status is documented the moment it exists.
 */
import { z } from 'zod';
import { PAYMENT_METHODS } from '../../../domain/payment/payment-method';
import { PAYMENT_STATUSES } from '../../../domain/payment/payment-status';
import { RESERVATION_STATUSES } from '../../../domain/reservation/reservation-status';
import { TICKET_STATUSES } from '../../../domain/ticket/ticket-status';
import { instant, seatBody } from './common';

const amount = z.number().meta({ description: 'Decimal amount in the currency, e.g. 25 or 12.5' });
const currency = z.string().meta({ description: 'ISO 4217 code', example: 'USD' });
const seats = z.array(seatBody);

export const ticketBody = z
  .strictObject({
    id: z.string(),
    ticketNumber: z.string().meta({ example: 'TKT-20250108123456-1234' }),
    reservationId: z.string(),
    paymentId: z.string(),
    showtimeId: z.string(),
    customerId: z.string(),
    movieTitle: z.string(),
    screeningTime: instant(),
    auditoriumName: z.string(),
    seats,
    totalPrice: amount,
    status: z.enum(TICKET_STATUSES),
    qrCode: z.string().meta({ example: 'QR:ticket-abc123:TKT-20250108123456-1234' }),
  })
  .meta({ id: 'Ticket' });

export const ticketValidationBody = z
  .strictObject({
    valid: z.boolean(),
    ticketNumber: z.string(),
    movieTitle: z.string(),
    screeningTime: instant(),
    seats: z.string().meta({ example: 'Row 5, Seats 10-11' }),
    reason: z.string().optional().meta({ description: 'Only when `valid` is false: why not' }),
  })
  .meta({ id: 'TicketValidation' });

export const ticketUsedBody = z
  .strictObject({ id: z.string(), status: z.literal('Used'), usedAt: instant() })
  .meta({ id: 'TicketUsed' });

export const paymentBody = z
  .strictObject({
    id: z.string(),
    reservationId: z.string(),
    customerId: z.string(),
    amount,
    currency,
    status: z.enum(PAYMENT_STATUSES),
    method: z.enum(PAYMENT_METHODS),
    transactionId: z.string().nullable(),
    processedAt: instant().nullable(),
  })
  .meta({ id: 'Payment' });

export const refundBody = z
  .strictObject({
    id: z.string().meta({ description: 'The payment id' }),
    status: z.literal('Refunded'),
    refundedAmount: amount,
    refundReason: z.string(),
  })
  .meta({ id: 'Refund' });

export const refundPendingBody = z
  .strictObject({
    success: z.literal(true),
    pending: z.literal(true),
    id: z.string().meta({ description: 'The payment id' }),
    workflowId: z.string().meta({ example: 'refund-pay-xyz789' }),
    statusUrl: z.string().meta({ description: 'GET it until `status` is Refunded' }),
  })
  .meta({ id: 'RefundPending' });

export const reservationBody = z
  .strictObject({
    id: z.string(),
    showtimeId: z.string(),
    customerId: z.string(),
    seats,
    status: z.enum(RESERVATION_STATUSES),
    totalPrice: amount,
    currency,
    holdExpiresAt: instant(),
    createdAt: instant()
      .optional()
      .meta({ description: 'In the answers of POST (hold, cancel) only: the read model does not keep it' }),
    confirmedAt: instant().nullable(),
    cancelledAt: instant().nullable(),
    cancellationReason: z.string().nullable(),
    expiredAt: instant().nullable(),
  })
  .meta({ id: 'Reservation' });

export const showtimeBody = z
  .strictObject({
    id: z.string(),
    movieId: z.string(),
    movieTitle: z.string(),
    auditoriumId: z.string(),
    auditoriumName: z.string(),
    startsAt: instant(),
    endsAt: instant().meta({ description: 'When the film ends (without the cleaning gap)' }),
    price: amount.meta({ description: 'Price per seat' }),
    currency,
    capacity: z.int().min(0),
    seatsAvailable: z.int().min(0),
  })
  .meta({ id: 'Showtime' });

export const seatMapBody = z
  .strictObject({
    showtimeId: z.string(),
    capacity: z.int().min(0),
    seatsAvailable: z.int().min(0),
    taken: z
      .array(
        z.strictObject({
          row: z.int(),
          number: z.int(),
          state: z.enum(['Held', 'Sold']).meta({
            description: 'Held by a pending reservation, or Sold to a confirmed one',
          }),
        }),
      )
      .meta({
        description:
          'Seats that are not available; every other seat of the auditorium is free. Public: row, ' +
          'number and state only (no reservation, so nothing leads to a customer).',
      }),
  })
  .meta({ id: 'SeatMap' });

/**
 * The bodies as TypeScript types, for the code that writes them (api/presenters, api/gateway/views.ts):
 * a field added here but not there, or there but not here, does not compile.
 */
export type TicketBody = z.infer<typeof ticketBody>;
export type TicketValidationBody = z.infer<typeof ticketValidationBody>;
export type TicketUsedBody = z.infer<typeof ticketUsedBody>;
export type PaymentBody = z.infer<typeof paymentBody>;
export type RefundBody = z.infer<typeof refundBody>;
export type RefundPendingBody = z.infer<typeof refundPendingBody>;
export type ReservationBody = z.infer<typeof reservationBody>;
export type ShowtimeBody = z.infer<typeof showtimeBody>;
export type SeatMapBody = z.infer<typeof seatMapBody>;
