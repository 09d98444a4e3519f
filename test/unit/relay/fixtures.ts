/** Outbox rows for relay unit tests, shaped like OutboxStore.claimBatch returns them. */
import { randomUUID } from 'node:crypto';

import type { OutboxMessage } from '../../../db';

let sequence = 0;

export function row(aggregateId: string, version: number, payload: unknown = { n: version }): OutboxMessage {
  const id = randomUUID();
  const occurredAt = new Date(Date.UTC(2026, 0, 1, 12, 0, version)).toISOString();
  sequence += 1;
  return {
    id,
    sequence,
    aggregateType: 'TicketPurchaseSaga',
    aggregateId,
    aggregateVersion: version,
    eventType: 'StepCompleted',
    envelope: {
      eventId: id,
      eventType: 'StepCompleted',
      aggregateType: 'TicketPurchaseSaga',
      aggregateId,
      aggregateVersion: version,
      occurredAt,
      schemaVersion: 1,
      correlationId: null,
      payload,
    },
    occurredAt,
    createdAt: occurredAt,
    shardKey: 7,
    attempts: 0,
    lastError: null,
    claimedUntil: null,
    quarantinedAt: null,
  };
}
