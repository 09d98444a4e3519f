/** The outbox's boundary check of an event envelope, by the domain's one envelope schema. */
import { parseEnvelopeFields, parseEventEnvelope, type TypedEnvelope } from '../../domain/envelope';
import type { EventEnvelope } from '../../domain/shared/events';
import type { DomainError, Result } from '../../domain/shared/result';

export { eventIdSchema } from '../../domain/envelope';

const orThrow = <T>(result: Result<T, DomainError>): T => {
  if (result.ok) return result.value;
  throw new TypeError(`invalid event envelope: ${result.error.message}`);
};

/** The envelope's own fields (the reporting projection parses the payload itself). */
export const parseEnvelope = (value: unknown): EventEnvelope => orThrow(parseEnvelopeFields(value));

/**
 * What the outbox writer lets in: a whole event (domain/envelope.ts). A domain bug is thus an
 * error in the transaction that made it, not a poison record for every reader. The payload is
 * the parsed one: a field the schema doesn't name never reaches the outbox.
 */
export const parseOutboxEnvelope = (value: unknown): TypedEnvelope => orThrow(parseEventEnvelope(value));
