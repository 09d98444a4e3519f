/**
 * One claimed batch through the two sinks: project into the reporting database, publish to Kafka,
 * mark processed. The relay's "parallel workers" step, per shard.
 *
 * Projection runs first: it is idempotent by event id, so when Kafka then fails and the batch is
 * retried, the repeat costs nothing, while the opposite order would put duplicates on Kafka
 * whenever the reporting database failed.
 *
 * Failures are sorted in two kinds:
 * - a sink is unavailable (broker down, database unreachable, read-only or refusing the relay's
 *   grants): throw a SinkOutageError, the activity fails, and Temporal retries it with backoff;
 *   nothing is marked and no row is blamed;
 * - a row is bad (cannot be encoded, the projection rejects it, the broker rejects the record):
 *   the batch is retried row by row to find it, the row gets `recordFailure` (quarantined after
 *   maxAttempts), and the rest of the batch proceeds.
 * Later events of an aggregate whose earlier event failed are held back (left under their lease,
 * so they come round again after it), so a bad row never lets its successors overtake it.
 */
import type { Message } from 'kafkajs';

import type { FailureOutcome, OutboxMessage } from '../../db';
import type { EventEnvelope } from '../../domain/shared/events';
import { encodeMessage } from './encode';
import { describeError, SinkOutageError } from './errors';
import type { RowFailure } from './types';

export interface DeliveryPorts {
  project(envelopes: readonly EventEnvelope[]): Promise<unknown>;
  /** True when a projection error belongs to the events (contract, data); anything else is an outage. */
  isProjectionRowError(error: unknown): boolean;
  publish(messages: readonly Message[]): Promise<void>;
  /** True when a publish error is the broker rejecting a record (not the cluster being unavailable). */
  isRecordRejection(error: unknown): boolean;
  markProcessed(ids: readonly string[]): Promise<number>;
  recordFailure(id: string, error: unknown, maxAttempts: number): Promise<FailureOutcome>;
}

export interface DeliveryOptions {
  readonly maxAttempts: number;
  readonly maxMessageBytes: number;
}

export interface DeliveryOutcome {
  readonly delivered: number;
  readonly heldBack: number;
  readonly failures: readonly RowFailure[];
}

interface Candidate {
  readonly row: OutboxMessage;
  readonly message: Message;
}

const aggregateOf = (row: OutboxMessage) => `${row.aggregateType}\u0000${row.aggregateId}`;

/** `rows` in claim (sequence) order. */
export async function deliverBatch(
  rows: readonly OutboxMessage[],
  ports: DeliveryPorts,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const failed = new Map<string, unknown>(); // row id -> error
  const blocked = new Set<string>(); // aggregates with an earlier failure in this batch
  let heldBack = 0;

  const fail = (row: OutboxMessage, error: unknown) => {
    failed.set(row.id, error);
    blocked.add(aggregateOf(row));
  };

  let live: Candidate[] = [];
  for (const row of rows) {
    if (blocked.has(aggregateOf(row))) {
      heldBack += 1;
      continue;
    }
    try {
      live.push({ row, message: encodeMessage(row, options.maxMessageBytes) });
    } catch (error) {
      fail(row, error);
    }
  }

  /** Runs a sink on all candidates at once; on a row-level error, one by one in order. */
  const stage = async (
    sink: SinkOutageError['sink'],
    run: (candidates: readonly Candidate[]) => Promise<unknown>,
    isRowError: (error: unknown) => boolean,
  ): Promise<void> => {
    if (live.length === 0) return;
    try {
      await run(live);
      return;
    } catch (error) {
      if (!isRowError(error)) throw new SinkOutageError(sink, error);
    }
    const passed: Candidate[] = [];
    for (const candidate of live) {
      if (blocked.has(aggregateOf(candidate.row))) {
        heldBack += 1;
        continue;
      }
      try {
        await run([candidate]);
        passed.push(candidate);
      } catch (error) {
        if (!isRowError(error)) throw new SinkOutageError(sink, error);
        fail(candidate.row, error);
      }
    }
    live = passed;
  };

  await stage(
    'reporting',
    (candidates) => ports.project(candidates.map((c) => c.row.envelope)),
    (error) => ports.isProjectionRowError(error),
  );
  await stage(
    'kafka',
    (candidates) => ports.publish(candidates.map((c) => c.message)),
    (error) => ports.isRecordRejection(error),
  );

  if (live.length > 0) {
    try {
      await ports.markProcessed(live.map((c) => c.row.id));
    } catch (error) {
      throw new SinkOutageError('outbox', error);
    }
  }

  const failures: RowFailure[] = [];
  for (const [id, error] of failed) {
    const outcome = await ports.recordFailure(id, error, options.maxAttempts);
    failures.push({ id, error: describeError(error), ...outcome });
  }
  return { delivered: live.length, heldBack, failures };
}
