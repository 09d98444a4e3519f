/**
 * What the outbox relay (workflows/outbox-relay.ts) does with outbox rows: claim a batch for its
 * shard under a lease, mark rows processed, record failures (quarantining poison rows), requeue
 * quarantined rows, purge old processed rows, and measure the backlog.
 *
 * Claims use the database clock (now() / SYSDATETIMEOFFSET()) for leases, never the caller's.
 * Per-aggregate order holds when each shard has one claimer at a time (one relay workflow per
 * shard); concurrent claimers of one shard never receive the same row, but may interleave.
 */
import { z } from 'zod';

import type { EventEnvelope } from '../../domain/shared/events';
import type { Queryable, Row } from '../database';
import * as read from '../row';
import { byDialect, join, sql, trustedRaw, type SqlFragment } from '../sql';
import { eventIdSchema } from './envelope-schema';
import { assertShard } from './shard';

export interface OutboxMessage {
  readonly id: string; // = envelope.eventId
  readonly sequence: number;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly eventType: string;
  readonly envelope: EventEnvelope;
  readonly occurredAt: string;
  readonly createdAt: string; // commit-side timestamp (database clock), for lag
  readonly shardKey: number;
  readonly attempts: number; // failures recorded so far
  readonly lastError: string | null;
  readonly claimedUntil: string | null;
  readonly quarantinedAt: string | null;
}

export interface ClaimOptions {
  readonly shard: number;
  readonly shardCount: number;
  readonly limit: number;
  readonly leaseMs: number;
}

export interface FailureOutcome {
  readonly attempts: number;
  readonly quarantined: boolean;
}

export interface Backlog {
  readonly pending: number; // unprocessed, not quarantined
  readonly quarantined: number;
  readonly oldestPendingCreatedAt: string | null;
  readonly oldestPendingAgeMs: number | null; // by the database clock
}

const COLUMNS = [
  'id',
  'sequence',
  'aggregate_type',
  'aggregate_id',
  'aggregate_version',
  'event_type',
  'payload',
  'occurred_at',
  'created_at',
  'shard_key',
  'attempts',
  'last_error',
  'claimed_until',
  'quarantined_at',
] as const;

const columns = (prefix: string): SqlFragment => trustedRaw(COLUMNS.map((c) => `${prefix}${c}`).join(', '));

const NOW = byDialect({ postgres: sql`now()`, mssql: sql`SYSDATETIMEOFFSET()` });

const nowPlusMs = (ms: number) =>
  byDialect({
    postgres: sql`now() + ${ms}::integer * interval '1 millisecond'`,
    mssql: sql`DATEADD(millisecond, ${ms}, SYSDATETIMEOFFSET())`,
  });

/** SQL Server accepts at most 2,100 parameters per statement. */
const IDS_PER_STATEMENT = 500;

const positiveInt = (max: number) => z.number().int().min(1).max(max);
const claimSchema = z.object({
  shard: z.number().int().min(0),
  shardCount: z.number().int().min(1),
  limit: positiveInt(10_000),
  leaseMs: positiveInt(24 * 3_600_000),
});

export class OutboxStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Leases up to `limit` unprocessed, unquarantined rows of one shard whose lease is free or
   * expired, oldest first. One statement, so the locks live only as long as it runs: rows
   * another claimer has locked are skipped (SKIP LOCKED / READPAST), rows it has already leased
   * are excluded by `claimed_until`.
   */
  async claimBatch(options: ClaimOptions): Promise<OutboxMessage[]> {
    const result = await this.db.query(claimStatement(options));
    return result.rows.map(toMessage).sort((a, b) => a.sequence - b.sequence);
  }

  /** Marks rows delivered; returns how many were still unprocessed. */
  async markProcessed(ids: readonly string[]): Promise<number> {
    return this.updateByIds(
      ids,
      (list) => sql`
      UPDATE outbox_messages SET processed_at = ${NOW}, claimed_until = NULL
      WHERE processed_at IS NULL AND id IN (${list})`,
    );
  }

  /**
   * Records a failed delivery. After `maxAttempts` recorded failures the row is quarantined (kept,
   * with its last error, out of the claim query); before that its lease is shortened so it is
   * offered again after `retryAfterMs`.
   */
  async recordFailure(
    id: string,
    error: unknown,
    maxAttempts: number,
    retryAfterMs = 0,
  ): Promise<FailureOutcome> {
    eventIdSchema.parse(id);
    positiveInt(1_000_000).parse(maxAttempts);
    z.number().int().min(0).parse(retryAfterMs);
    const message = describeError(error);
    const result = await this.db.query(sql`
      UPDATE outbox_messages SET
        attempts = attempts + 1,
        last_error = ${message},
        quarantined_at = CASE WHEN attempts + 1 >= ${maxAttempts} THEN ${NOW} ELSE NULL END,
        claimed_until = CASE WHEN attempts + 1 >= ${maxAttempts} THEN NULL ELSE ${nowPlusMs(retryAfterMs)} END
      ${byDialect({ postgres: sql``, mssql: sql`OUTPUT inserted.attempts, inserted.quarantined_at` })}
      WHERE id = ${id} AND processed_at IS NULL
      ${byDialect({ postgres: sql`RETURNING attempts, quarantined_at`, mssql: sql`` })}`);
    const row = result.rows[0];
    if (!row) throw new Error(`outbox message ${id} not found or already processed`);
    return { attempts: read.int(row.attempts, 'attempts'), quarantined: row.quarantined_at !== null };
  }

  async listQuarantined(limit = 100): Promise<OutboxMessage[]> {
    positiveInt(10_000).parse(limit);
    const result = await this.db.query(sql`
      SELECT ${byDialect({ postgres: sql``, mssql: sql`TOP (${limit})` })} ${columns('')}
      FROM outbox_messages WHERE quarantined_at IS NOT NULL AND processed_at IS NULL
      ORDER BY sequence
      ${byDialect({ postgres: sql`LIMIT ${limit}`, mssql: sql`` })}`);
    return result.rows.map(toMessage);
  }

  /** Puts quarantined rows (all, or the given ids) back in line with a fresh attempt budget. */
  async requeueQuarantined(ids?: readonly string[]): Promise<number> {
    const requeue = (filter: SqlFragment) => sql`
      UPDATE outbox_messages SET quarantined_at = NULL, attempts = 0, claimed_until = NULL
      WHERE quarantined_at IS NOT NULL AND processed_at IS NULL ${filter}`;
    if (ids === undefined) return (await this.db.query(requeue(sql``))).rowCount;
    return this.updateByIds(ids, (list) => requeue(sql`AND id IN (${list})`));
  }

  /** Deletes rows processed before `olderThan`, in batches so no statement holds locks for long. */
  async purgeProcessed(olderThan: Date, batchSize = 1_000): Promise<number> {
    if (Number.isNaN(olderThan.getTime())) throw new RangeError('olderThan is not a valid date');
    positiveInt(100_000).parse(batchSize);
    let total = 0;
    for (;;) {
      const result = await this.db.query(
        sql`${byDialect({
          postgres: sql`
            DELETE FROM outbox_messages WHERE id IN (
              SELECT id FROM outbox_messages WHERE processed_at < ${olderThan} LIMIT ${batchSize})`,
          mssql: sql`DELETE TOP (${batchSize}) FROM dbo.outbox_messages WHERE processed_at < ${olderThan}`,
        })}`,
      );
      total += result.rowCount;
      if (result.rowCount < batchSize) return total;
    }
  }

  /**
   * Backlog of the whole outbox, or of one shard. Three small subqueries rather than one pass over
   * `processed_at IS NULL`: that predicate matches no partial index, so it scanned every processed
   * row still kept (150 ms at 300,000 of them, against 0.3 ms this way: EXPLAIN ANALYZE, PostgreSQL
   * 16). The pending count walks ix_outbox_pending (shard_key is in it), the quarantined count
   * ix_outbox_quarantined, and the oldest pending row is the first of ix_outbox_pending in sequence
   * order: its creation time can differ from the true minimum only by how long the transactions
   * that inserted rows just after it stayed open.
   */
  async backlog(scope?: { shard: number; shardCount: number }): Promise<Backlog> {
    if (scope) assertShard(scope.shard, scope.shardCount);
    const shardFilter = scope ? sql`AND shard_key % ${scope.shardCount} = ${scope.shard}` : sql``;
    const pendingRows = sql`FROM outbox_messages WHERE processed_at IS NULL AND quarantined_at IS NULL ${shardFilter}`;
    const oldest = byDialect({
      postgres: sql`SELECT created_at ${pendingRows} ORDER BY sequence LIMIT 1`,
      mssql: sql`SELECT TOP (1) created_at ${pendingRows} ORDER BY sequence`,
    });
    const result = await this.db.query(sql`
      SELECT
        (SELECT COUNT(*) ${pendingRows}) AS pending,
        (SELECT COUNT(*) FROM outbox_messages
          WHERE quarantined_at IS NOT NULL AND processed_at IS NULL ${shardFilter}) AS quarantined,
        (${oldest}) AS oldest,
        ${byDialect({
          postgres: sql`EXTRACT(EPOCH FROM now() - (${oldest})) * 1000`,
          mssql: sql`DATEDIFF_BIG(millisecond, (${oldest}), SYSDATETIMEOFFSET())`,
        })} AS oldest_age_ms`);
    const row = result.rows[0] ?? {};
    const count = (v: unknown, name: string) => (v === null || v === undefined ? 0 : read.int(v, name));
    return {
      pending: count(row.pending, 'pending'),
      quarantined: count(row.quarantined, 'quarantined'),
      oldestPendingCreatedAt: read.isoOrNull(row.oldest, 'oldest'),
      oldestPendingAgeMs:
        row.oldest_age_ms === null || row.oldest_age_ms === undefined
          ? null
          : Math.max(0, Math.round(Number(row.oldest_age_ms))),
    };
  }

  private async updateByIds(
    ids: readonly string[],
    statement: (list: SqlFragment) => SqlFragment,
  ): Promise<number> {
    const checked = ids.map((id) => eventIdSchema.parse(id));
    let total = 0;
    for (let i = 0; i < checked.length; i += IDS_PER_STATEMENT) {
      const list = join(checked.slice(i, i + IDS_PER_STATEMENT));
      total += (await this.db.query(statement(list))).rowCount;
    }
    return total;
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 4000 ? `${text.slice(0, 3997)}...` : text;
}

function toMessage(row: Row): OutboxMessage {
  return {
    id: read.uuid(row.id, 'id'),
    sequence: read.int(row.sequence, 'sequence'),
    aggregateType: read.str(row.aggregate_type, 'aggregate_type'),
    aggregateId: read.str(row.aggregate_id, 'aggregate_id'),
    aggregateVersion: read.int(row.aggregate_version, 'aggregate_version'),
    eventType: read.str(row.event_type, 'event_type'),
    envelope: read.jsonValue(row.payload, 'payload') as EventEnvelope,
    occurredAt: read.iso(row.occurred_at, 'occurred_at'),
    createdAt: read.iso(row.created_at, 'created_at'),
    shardKey: read.int(row.shard_key, 'shard_key'),
    attempts: read.int(row.attempts, 'attempts'),
    lastError: read.strOrNull(row.last_error, 'last_error'),
    claimedUntil: read.isoOrNull(row.claimed_until, 'claimed_until'),
    quarantinedAt: read.isoOrNull(row.quarantined_at, 'quarantined_at'),
  };
}

/**
 * Settings for a session that claims. The claim must walk ix_outbox_pending in sequence order;
 * with statistics taken while many rows were pending (a backlog, a relay outage), the planner
 * expects fewer matching rows than the LIMIT and reads the whole table instead, processed rows
 * kept for RELAY_RETENTION_HOURS included, on every claim (seen in bench:relay: 3.5 ms claims
 * became 16 to 20 ms, with 11,000 rows). Sent with each connection of the relay's pool.
 */
export const CLAIM_SESSION_SETTINGS = { enable_seqscan: 'off' } as const;

/** The claim, for OutboxStore.claimBatch and for a test of its plan (see CLAIM_SESSION_SETTINGS). */
export function claimStatement(options: ClaimOptions): SqlFragment {
  const { shard, shardCount, limit, leaseMs } = claimSchema.parse(options);
  assertShard(shard, shardCount);
  const statement = byDialect({
    postgres: sql`
      WITH picked AS (
        SELECT id FROM outbox_messages
        WHERE processed_at IS NULL AND quarantined_at IS NULL
          AND (claimed_until IS NULL OR claimed_until < now())
          AND shard_key % ${shardCount} = ${shard}
        ORDER BY sequence
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE outbox_messages o SET claimed_until = ${nowPlusMs(leaseMs)}
      FROM picked WHERE o.id = picked.id
      RETURNING ${columns('o.')}`,
    mssql: sql`
      WITH picked AS (
        SELECT TOP (${limit}) *
        FROM dbo.outbox_messages WITH (UPDLOCK, READPAST, ROWLOCK)
        WHERE processed_at IS NULL AND quarantined_at IS NULL
          AND (claimed_until IS NULL OR claimed_until < SYSDATETIMEOFFSET())
          AND shard_key % ${shardCount} = ${shard}
        ORDER BY sequence
      )
      UPDATE picked SET claimed_until = ${nowPlusMs(leaseMs)}
      OUTPUT ${columns('inserted.')}`,
  });
  return sql`${statement}`;
}
