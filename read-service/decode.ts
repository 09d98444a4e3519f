/**
 * A Kafka record as the event envelope the outbox relay published (activities/relay/encode.ts:
 * key = aggregateId, value = the envelope as JSON, headers eventId/eventType/...). Anything that
 * cannot be read as a catalogued domain event, its payload by the event's schema (domain/events.ts),
 * is poison: it fails the same way on every attempt, so the consumer parks it on the dead-letter
 * topic instead of retrying forever.
 */
import { parseEventEnvelope, type TypedEnvelope } from '../domain/envelope';

export class PoisonEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonEventError';
  }
}

/** An envelope whose payload fits its event's schema (domain/events.ts): `eventType` narrows it. */
export type ReadEnvelope = TypedEnvelope;

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
  // The envelope the outbox writer let in (domain/envelope.ts), read by the same schema.
  const parsed = parseEventEnvelope(json);
  if (!parsed.ok) {
    const { code, message } = parsed.error;
    throw new PoisonEventError(code === 'InvalidEnvelope' ? `not an event envelope: ${message}` : message);
  }
  if (!SUPPORTED_SCHEMA_VERSIONS.has(parsed.value.schemaVersion)) {
    throw new PoisonEventError(`unsupported schema version ${parsed.value.schemaVersion}`);
  }
  return parsed.value;
}
