import type { z } from 'zod';

import * as payment from './payment/events';
import type { PaymentEvent } from './payment/events';
import * as purchase from './purchase/events';
import type { SagaEvent } from './purchase/events';
import * as reservation from './reservation/events';
import type { ReservationEvent } from './reservation/events';
import type { AggregateType } from './shared/events';
import { err, ok, type DomainError, type Result } from './shared/result';
import * as showtime from './showtime/events';
import type { ShowtimeEvent } from './showtime/events';
import * as ticket from './ticket/events';
import type { TicketEvent } from './ticket/events';

/** Every event the domain raises; `eventType` discriminates the payload. */
export type AnyDomainEvent = ShowtimeEvent | ReservationEvent | PaymentEvent | TicketEvent | SagaEvent;
export type DomainEventType = AnyDomainEvent['eventType'];

export type PayloadOf<T extends DomainEventType> = Extract<AnyDomainEvent, { eventType: T }>['payload'];

/**
 * The event catalogue: each event type and the aggregate that raises it. A `Record` over the
 * union, so adding an event without cataloguing it fails to compile. The relay, Kafka consumers
 * and read models can use it to route and to reject unknown types.
 */
export const EVENT_CATALOGUE: Readonly<Record<DomainEventType, AggregateType>> = {
  ShowtimeCreated: 'Showtime',
  ReservationCreated: 'Reservation',
  ReservationConfirmed: 'Reservation',
  ReservationCancelled: 'Reservation',
  ReservationExpired: 'Reservation',
  PaymentCreated: 'Payment',
  PaymentProcessingStarted: 'Payment',
  PaymentCompleted: 'Payment',
  PaymentDeclined: 'Payment',
  PaymentFailed: 'Payment',
  PaymentRefundStarted: 'Payment',
  PaymentRefunded: 'Payment',
  TicketIssued: 'Ticket',
  TicketUsed: 'Ticket',
  TicketCancelled: 'Ticket',
  TicketRefunded: 'Ticket',
  SagaStarted: 'TicketPurchaseSaga',
  StepCompleted: 'TicketPurchaseSaga',
  StepFailed: 'TicketPurchaseSaga',
  CompensationCompleted: 'TicketPurchaseSaga',
  SagaCompleted: 'TicketPurchaseSaga',
  SagaCompensated: 'TicketPurchaseSaga',
  SagaFailed: 'TicketPurchaseSaga',
};

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as DomainEventType[];

export const isDomainEventType = (value: string): value is DomainEventType =>
  Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, value);

/**
 * The one schema of each event's payload: the outbox writer checks every payload against it, and
 * the reporting projection and the read model parse with it. Typed over the union, so an event
 * without a schema, or a schema whose shape is not the event's payload type, fails to compile.
 */
export const EVENT_PAYLOADS: { readonly [T in DomainEventType]: z.ZodType<PayloadOf<T>, unknown> } = {
  ShowtimeCreated: showtime.ShowtimeCreatedPayload,
  ReservationCreated: reservation.ReservationCreatedPayload,
  ReservationConfirmed: reservation.ReservationConfirmedPayload,
  ReservationCancelled: reservation.ReservationCancelledPayload,
  ReservationExpired: reservation.ReservationExpiredPayload,
  PaymentCreated: payment.PaymentCreatedPayload,
  PaymentProcessingStarted: payment.PaymentProcessingStartedPayload,
  PaymentCompleted: payment.PaymentCompletedPayload,
  PaymentDeclined: payment.PaymentDeclinedPayload,
  PaymentFailed: payment.PaymentFailedPayload,
  PaymentRefundStarted: payment.PaymentRefundStartedPayload,
  PaymentRefunded: payment.PaymentRefundedPayload,
  TicketIssued: ticket.TicketIssuedPayload,
  TicketUsed: ticket.TicketUsedPayload,
  TicketCancelled: ticket.TicketCancelledPayload,
  TicketRefunded: ticket.TicketRefundedPayload,
  SagaStarted: purchase.SagaStartedPayload,
  StepCompleted: purchase.StepCompletedPayload,
  StepFailed: purchase.StepFailedPayload,
  CompensationCompleted: purchase.CompensationCompletedPayload,
  SagaCompleted: purchase.SagaCompletedPayload,
  SagaCompensated: purchase.SagaCompensatedPayload,
  SagaFailed: purchase.SagaFailedPayload,
};

/**
 * Parses a payload of `eventType` with its schema. The error names every field that breaks it, as
 * `payload.<path>: <problem>`, for the caller to wrap in its own error (outbox, reporting, read side).
 */
export function parseEventPayload<T extends DomainEventType>(
  eventType: T,
  payload: unknown,
): Result<PayloadOf<T>, DomainError<'InvalidEventPayload'>> {
  const schema: z.ZodType<PayloadOf<T>, unknown> = EVENT_PAYLOADS[eventType];
  const parsed = schema.safeParse(payload);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return `payload${path ? `.${path}` : ''}: ${i.message}`;
  });
  return err('InvalidEventPayload', problems.join('; '));
}
