/**
 * An outbox row as a Kafka message: key = aggregate id (so one aggregate's events share a
 * partition and keep their order), value = the envelope as JSON (the one shape consumers read),
 * headers = what a consumer needs to route, dedupe or trace (requestId) without parsing the value.
 *
 * A row that cannot become a valid message (an envelope that disagrees with its row, or one too
 * big for the broker) fails the same way on every attempt: it is poison, not an outage.
 */
import type { Message } from 'kafkajs';

import type { OutboxMessage } from '../../db';

export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** The envelope fields that must agree with the row's own columns. */
const MATCHED_FIELDS = [
  ['eventId', 'id'],
  ['eventType', 'eventType'],
  ['aggregateType', 'aggregateType'],
  ['aggregateId', 'aggregateId'],
  ['aggregateVersion', 'aggregateVersion'],
] as const;

export function encodeMessage(row: OutboxMessage, maxMessageBytes: number): Message {
  const envelope = row.envelope as unknown;
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw new PoisonMessageError(`outbox row ${row.id}: payload is not an event envelope object`);
  }
  const fields = envelope as Record<string, unknown>;
  for (const [field, column] of MATCHED_FIELDS) {
    if (fields[field] !== row[column]) {
      throw new PoisonMessageError(
        `outbox row ${row.id}: envelope ${field} ${JSON.stringify(fields[field])} does not match the row's ${JSON.stringify(row[column])}`,
      );
    }
  }
  if (!Number.isInteger(fields.schemaVersion) || typeof fields.occurredAt !== 'string') {
    throw new PoisonMessageError(`outbox row ${row.id}: envelope lacks schemaVersion or occurredAt`);
  }

  const value = JSON.stringify(envelope);
  const headers: Record<string, string> = {
    eventId: row.id,
    eventType: row.eventType,
    occurredAt: fields.occurredAt,
    schemaVersion: String(fields.schemaVersion),
  };
  // The request that caused the event, for tracing without parsing the value. Absent (not empty)
  // when no request did, or in envelopes written before the field existed.
  if (typeof fields.requestId === 'string') headers.requestId = fields.requestId;
  const size =
    Buffer.byteLength(value) +
    Buffer.byteLength(row.aggregateId) +
    Object.entries(headers).reduce((sum, [k, v]) => sum + k.length + Buffer.byteLength(v), 0);
  if (size > maxMessageBytes) {
    throw new PoisonMessageError(
      `outbox row ${row.id}: message of ${size} bytes exceeds KAFKA_MAX_MESSAGE_BYTES (${maxMessageBytes})`,
    );
  }
  return { key: row.aggregateId, value, headers };
}
