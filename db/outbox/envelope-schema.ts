/** Boundary check of an event envelope before it becomes an outbox row. */
import { z } from 'zod';

import { EVENT_CATALOGUE, isDomainEventType, parseEventPayload } from '../../domain/events';
import { AGGREGATE_TYPES, type EventEnvelope } from '../../domain/shared/events';

export const aggregateTypeSchema = z.enum(AGGREGATE_TYPES);

/** Any 8-4-4-4-12 hex id: deterministic id generators do not always set RFC version bits. */
export const eventIdSchema = z.guid();

export const envelopeSchema = z.object({
  eventId: eventIdSchema,
  eventType: z.string().regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'event type must be PascalCase'),
  aggregateType: aggregateTypeSchema,
  aggregateId: z.string().min(1).max(100),
  aggregateVersion: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  schemaVersion: z.number().int().min(1),
  correlationId: z.string().min(1).max(200).nullable(),
  // Optional: envelopes written before request ids were recorded (same schema version) lack it.
  requestId: z.string().min(1).max(200).nullable().default(null),
  payload: z.unknown().refine((p) => p !== undefined, 'payload is required'),
});

export function parseEnvelope(value: unknown): EventEnvelope {
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new TypeError(`invalid event envelope: ${problems}`);
  }
  return parsed.data as EventEnvelope;
}

/**
 * What the outbox writer lets in: a valid envelope of a catalogued event, raised by its own
 * aggregate type, whose payload fits the event's schema (domain/events.ts). A domain bug is thus
 * an error in the transaction that made it, not a poison record for every reader. The payload is
 * the parsed one: a field the schema doesn't name never reaches the outbox.
 */
export function parseOutboxEnvelope(value: unknown): EventEnvelope {
  const e = parseEnvelope(value);
  const refuse = (problem: string): never => {
    throw new TypeError(`invalid event envelope: ${e.eventType} ${e.eventId}: ${problem}`);
  };
  if (!isDomainEventType(e.eventType)) return refuse('not a catalogued event type');
  if (EVENT_CATALOGUE[e.eventType] !== e.aggregateType) {
    return refuse(`raised by ${EVENT_CATALOGUE[e.eventType]}, not ${e.aggregateType}`);
  }
  const payload = parseEventPayload(e.eventType, e.payload);
  return payload.ok ? { ...e, payload: payload.value } : refuse(payload.error.message);
}
