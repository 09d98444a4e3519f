/**
 * A Kafka record as the event envelope the outbox relay published (activities/relay/encode.ts:
 * key = aggregateId, value = the envelope as JSON, headers eventId/eventType/...). Anything that
 * cannot be read as a catalogued domain event, its payload by the event's schema (domain/events.ts),
 * is poison: it fails the same way on every attempt, so the consumer parks it on the dead-letter
 * topic instead of retrying forever.
 */
import { z } from 'zod';

import {
  EVENT_CATALOGUE,
  isDomainEventType,
  parseEventPayload,
  type DomainEventType,
  type PayloadOf,
} from '../domain/events';
import type { EventEnvelope } from '../domain/shared/events';

export class PoisonEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonEventError';
  }
}

const envelopeSchema = z.object({
  eventId: z.string().min(1).max(200),
  eventType: z.string().min(1),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1).max(200),
  aggregateVersion: z.number().int().min(1),
  occurredAt: z.string().min(1),
  schemaVersion: z.number().int().min(1),
  correlationId: z.string().nullable().optional(),
  requestId: z.string().nullable().optional(), // absent in envelopes written before it existed
  payload: z.record(z.string(), z.unknown()),
});

/** An envelope whose payload fits its event's schema (domain/events.ts): `eventType` narrows it. */
export type ReadEnvelope = { [T in DomainEventType]: EventEnvelope<T, PayloadOf<T>> }[DomainEventType];

/** Schema versions this build of the read side understands. */
export const SUPPORTED_SCHEMA_VERSIONS: ReadonlySet<number> = new Set([1]);

export function decodeEnvelope(value: Buffer | string | null): ReadEnvelope {
  if (value === null || value.length === 0) throw new PoisonEventError('empty message value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new PoisonEventError('message value is not JSON');
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PoisonEventError(
      `not an event envelope: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`,
    );
  }
  const e = parsed.data;
  if (!isDomainEventType(e.eventType)) throw new PoisonEventError(`unknown event type ${e.eventType}`);
  if (EVENT_CATALOGUE[e.eventType] !== e.aggregateType) {
    throw new PoisonEventError(`${e.eventType} is not raised by aggregate type ${e.aggregateType}`);
  }
  if (!SUPPORTED_SCHEMA_VERSIONS.has(e.schemaVersion)) {
    throw new PoisonEventError(`unsupported schema version ${e.schemaVersion}`);
  }
  if (Number.isNaN(Date.parse(e.occurredAt))) throw new PoisonEventError('occurredAt is not a date');
  return withPayload(e.eventType, {
    ...e,
    aggregateType: EVENT_CATALOGUE[e.eventType],
    correlationId: e.correlationId ?? null,
    requestId: e.requestId ?? null,
  });
}

/** The envelope with its payload parsed by the event's schema; a payload that breaks it is poison. */
function withPayload<T extends DomainEventType>(
  eventType: T,
  e: Omit<EventEnvelope, 'eventType'>,
): ReadEnvelope {
  const payload = parseEventPayload(eventType, e.payload);
  if (!payload.ok) throw new PoisonEventError(`${eventType} ${e.eventId}: ${payload.error.message}`);
  const typed: EventEnvelope<T, PayloadOf<T>> = { ...e, eventType, payload: payload.value };
  return typed as ReadEnvelope;
}
