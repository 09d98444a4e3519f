/**
 * Domain events and the envelope they travel in. One shape from the outbox row, through Kafka,
 * to the read model: consumers dedupe on `eventId` and ignore an `aggregateVersion` at or below
 * the one a view already holds.
 */
export type AggregateType = 'Showtime' | 'Reservation' | 'Payment' | 'Ticket' | 'TicketPurchaseSaga';

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
  readonly correlationId: string | null; // saga id or request id
}

export const CURRENT_SCHEMA_VERSION = 1;

export function envelope<T extends string, P>(
  event: DomainEvent<T, P>,
  correlationId: string | null,
): EventEnvelope<T, P> {
  return { ...event, schemaVersion: CURRENT_SCHEMA_VERSION, correlationId };
}
