/**
 * The event envelope's one schema, shared by the outbox writer (db/outbox/envelope-schema.ts),
 * the reporting projection and the read model's decoder (read-service/decode.ts): an event is
 * written only if every reader will take it, and read only as it was written.
 */
import { z } from 'zod';

import {
  EVENT_CATALOGUE,
  isDomainEventType,
  parseEventPayload,
  type DomainEventType,
  type PayloadOf,
} from './events';
import { AGGREGATE_TYPES, type EventEnvelope } from './shared/events';
import { err, ok, type DomainError, type Result } from './shared/result';

/** Any 8-4-4-4-12 hex id: deterministic id generators do not always set RFC version bits. */
export const eventIdSchema = z.guid();

export const envelopeSchema = z.object({
  eventId: eventIdSchema,
  eventType: z.string().regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'event type must be PascalCase'),
  aggregateType: z.enum(AGGREGATE_TYPES),
  aggregateId: z.string().min(1).max(100),
  aggregateVersion: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.number().int().min(1),
  correlationId: z.string().min(1).max(200).nullable(),
  // Optional: envelopes written before request ids were recorded (same schema version) lack it.
  requestId: z.string().min(1).max(200).nullable().default(null),
  payload: z.unknown().refine((p) => p !== undefined, 'payload is required'),
});

/** An envelope of a catalogued event whose payload fits its schema: `eventType` narrows it. */
export type TypedEnvelope = { [T in DomainEventType]: EventEnvelope<T, PayloadOf<T>> }[DomainEventType];

const fieldProblems = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

/**
 * The envelope's own fields only, its payload left as it is. Refusals here and below are coded
 * `InvalidEnvelope`, `UnknownEventType`, `WrongAggregate` (raised by another aggregate type) and
 * `InvalidPayload`.
 */
export function parseEnvelopeFields(value: unknown): Result<EventEnvelope, DomainError> {
  const parsed = envelopeSchema.safeParse(value);
  return parsed.success
    ? ok(parsed.data as EventEnvelope)
    : err('InvalidEnvelope', fieldProblems(parsed.error));
}

/**
 * A whole event: valid envelope fields, a catalogued event type raised by its own aggregate type,
 * and a payload that fits the event's schema (domain/events.ts), parsed: a field the schema does
 * not name is dropped.
 */
export function parseEventEnvelope(value: unknown): Result<TypedEnvelope, DomainError> {
  const fields = parseEnvelopeFields(value);
  if (!fields.ok) return fields;
  const e = fields.value;
  if (!isDomainEventType(e.eventType)) return err('UnknownEventType', `unknown event type ${e.eventType}`);
  return withPayload(e.eventType, e);
}

function withPayload<T extends DomainEventType>(
  eventType: T,
  e: EventEnvelope,
): Result<TypedEnvelope, DomainError> {
  const raisedBy = EVENT_CATALOGUE[eventType];
  if (raisedBy !== e.aggregateType) {
    return err('WrongAggregate', `${eventType} ${e.eventId}: raised by ${raisedBy}, not ${e.aggregateType}`);
  }
  const payload = parseEventPayload(eventType, e.payload);
  if (!payload.ok) return err('InvalidPayload', `${eventType} ${e.eventId}: ${payload.error.message}`);
  const typed: EventEnvelope<T, PayloadOf<T>> = { ...e, eventType, payload: payload.value };
  return ok(typed as TypedEnvelope);
}
