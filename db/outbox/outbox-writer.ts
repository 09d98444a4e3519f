/**
 * Appends event envelopes to the outbox inside the caller's transaction, so the events commit
 * with the business rows or not at all. Repositories call this through the unit of work. Each
 * envelope and its payload are checked against the event's schema first (envelope-schema.ts);
 * events that may have been written already (a workflow re-sending its saga events) are first
 * sifted by `notYetInOutbox`.
 */
import type { EventEnvelope } from '../../domain/shared/events';
import type { Queryable } from '../database';
import * as read from '../row';
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

/** What an event needs to be found in the outbox: its aggregate and that aggregate's version. */
export interface VersionedEvent {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
}

/**
 * The events whose aggregate version is not in the outbox yet, in their order. By version, not by
 * event id: a reset run (`temporal workflow reset`) runs its last workflow task again with a new
 * random seed and raises the same events under new ids; the versions already written (and maybe
 * published) stand. A version purged after delivery is no longer found; consumers ignore a
 * version at or below the one they hold (domain/shared/events.ts).
 */
export async function notYetInOutbox<E extends VersionedEvent>(
  tx: Queryable,
  events: readonly E[],
): Promise<E[]> {
  if (events.length === 0) return [];
  const key = (type: string, id: string, version: number) => JSON.stringify([type, id, version]);
  const { rows } = await tx.query(sql`
    SELECT aggregate_type, aggregate_id, aggregate_version FROM outbox_messages
    WHERE aggregate_type IN (${join([...new Set(events.map((e) => e.aggregateType))])})
      AND aggregate_id IN (${join([...new Set(events.map((e) => e.aggregateId))])})`);
  const written = new Set(
    rows.map((r) =>
      key(
        read.str(r.aggregate_type, 'aggregate_type'),
        read.str(r.aggregate_id, 'aggregate_id'),
        read.int(r.aggregate_version, 'aggregate_version'),
      ),
    ),
  );
  return events.filter((e) => !written.has(key(e.aggregateType, e.aggregateId, e.aggregateVersion)));
}
