/**
 * Domain events and the envelope they travel in. One shape from the outbox row, through Kafka,
 * to the read model: consumers dedupe on `eventId` and ignore an `aggregateVersion` at or below
 * the one a view already holds.
 */
export const AGGREGATE_TYPES = [
  'Showtime',
  'Reservation',
  'Payment',
  'Ticket',
  'TicketPurchaseSaga',
] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/** What an aggregate raises when its state changes. */
export interface DomainEvent<TType extends string = string, TPayload = unknown> {
  readonly eventId: string; // uuid
  readonly eventType: TType; // e.g. "TicketIssued"
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  readonly aggregateVersion: number; // +1 per event of that aggregate, starting at 1
  readonly occurredAt: string; // ISO-8601 UTC
  readonly payload: TPayload;
}

/** The envelope written to the outbox and published to Kafka (key = aggregateId). */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> extends DomainEvent<
  TType,
  TPayload
> {
  readonly schemaVersion: number;
  /** The saga (or refund, reservation hold) whose step wrote the event; else the request id. */
  readonly correlationId: string | null;
  /**
   * The client request (X-Request-Id) that caused the event; null for work no request started.
   * Added within schema version 1, so envelopes written before it lack the field: read it as null.
   */
  readonly requestId?: string | null;
}

export const CURRENT_SCHEMA_VERSION = 1;

/** Who caused an event: copied into the envelope of every event one unit of work writes. */
export interface EventOrigin {
  readonly correlationId: string | null;
  readonly requestId: string | null;
}

export function envelope<T extends string, P>(
  event: DomainEvent<T, P>,
  origin: EventOrigin,
): EventEnvelope<T, P> {
  return {
    ...event,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    correlationId: origin.correlationId,
    requestId: origin.requestId,
  };
}
