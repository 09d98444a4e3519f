/**
 * Appends event envelopes to the outbox inside the caller's transaction, so the events commit
 * with the business rows or not at all. Repositories call this through the unit of work. Each
 * envelope and its payload are checked against the event's schema first (envelope-schema.ts).
 */
import type { EventEnvelope } from '../../domain/shared/events';
import type { Queryable } from '../database';
import { join, json, sql } from '../sql';
import { parseOutboxEnvelope } from './envelope-schema';
import { shardKeyOf } from './shard';

/** 10 parameters per row: 100 rows stay well under SQL Server's 2,100-parameter limit. */
const ROWS_PER_STATEMENT = 100;

export async function appendToOutbox(tx: Queryable, envelopes: readonly EventEnvelope[]): Promise<void> {
  const checked = envelopes.map(parseOutboxEnvelope);
  for (let i = 0; i < checked.length; i += ROWS_PER_STATEMENT) {
    const rows = checked.slice(i, i + ROWS_PER_STATEMENT).map(
      (e) => sql`(${e.eventId}, ${e.aggregateType}, ${e.aggregateId}, ${e.aggregateVersion}, ${e.eventType},
        ${e.schemaVersion}, ${e.correlationId}, ${json(e)}, ${new Date(e.occurredAt)}, ${shardKeyOf(e.aggregateId)})`,
    );
    await tx.query(sql`
      INSERT INTO outbox_messages (id, aggregate_type, aggregate_id, aggregate_version, event_type,
        schema_version, correlation_id, payload, occurred_at, shard_key)
      VALUES ${join(rows)}`);
  }
}
