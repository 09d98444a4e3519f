import type { AggregateType } from './shared/events';
import type { PaymentEvent } from './payment/events';
import type { SagaEvent } from './purchase/events';
import type { ReservationEvent } from './reservation/events';
import type { ShowtimeEvent } from './showtime/events';
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
