/**
 * The relay's activities, built once per worker over long-lived resources (pools, producers, the
 * LISTEN connection) and shared by every shard's workflow.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';

import type { OutboxStore, OutboxWakeups } from '../../db';
import type { EventEnvelope } from '../../domain/shared/events';
import { deliverBatch, type DeliveryPorts } from './deliver';
import { describeError, isKafkaRecordRejection, isProjectionRowError, SinkOutageError } from './errors';
import type { Publisher } from './kafka-publisher';
import type { RelayMetrics } from './metrics';
import type {
  BacklogSnapshot,
  BatchReport,
  ClaimRequest,
  PurgeReport,
  PurgeRequest,
  RowFailure,
} from './types';

/** The longest wait before retrying a failed attempt (a long outage is retried this often). */
const MAX_RETRY_DELAY_MS = 60_000;

export interface RelayDependencies {
  readonly store: OutboxStore;
  readonly wakeups: OutboxWakeups;
  /** The reporting projection (idempotent by event id). */
  readonly project: (envelopes: readonly EventEnvelope[]) => Promise<unknown>;
  readonly publishers: { forShard(shard: number): Publisher };
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly maxMessageBytes: number;
  /**
   * Aborted when the worker starts shutting down: an idle wait then returns at once (claimed: 0)
   * instead of holding the shutdown for the grace period, and the relay resumes on another worker.
   */
  readonly shutdown?: AbortSignal;
}

export function createRelayActivities(deps: RelayDependencies) {
  const { store, wakeups, metrics, logger } = deps;

  const portsFor = (shard: number): DeliveryPorts => ({
    project: deps.project,
    isProjectionRowError,
    publish: (messages) => deps.publishers.forShard(shard).publish(messages),
    isRecordRejection: isKafkaRecordRejection,
    markProcessed: (ids) => store.markProcessed(ids),
    recordFailure: (id, error, maxAttempts) => store.recordFailure(id, error, maxAttempts),
  });

  const backlogOf = async (shard: number, shardCount: number): Promise<BacklogSnapshot> => {
    const backlog = await store.backlog({ shard, shardCount });
    return {
      pending: backlog.pending,
      quarantined: backlog.quarantined,
      oldestPendingAgeMs: backlog.oldestPendingAgeMs,
      measuredAt: Date.now(),
    };
  };

  /**
   * Claims and delivers up to `batchesPerActivity` batches of the shard back to back (one Temporal
   * round trip for all of them). After the first batch it goes on for `busyMs`, waiting on a
   * NOTIFY or the next poll whenever the shard runs dry, so rows committed meanwhile go out at
   * once instead of waiting out a report to the workflow and the next activity's dispatch; with
   * `busyMs` 0 it returns as soon as a claim after a batch finds nothing. With nothing to claim
   * at all it waits here until a NOTIFY or the next poll finds rows, for up to `idleMaxMs`.
   * `progress` holds what this call delivered so far: the heartbeats carry it, so a retried
   * attempt still reports the batches the lost one delivered.
   */
  async function claimAndDeliver(
    ctx: Context,
    request: ClaimRequest,
    progress: Progress,
  ): Promise<BatchReport> {
    const { shard, shardCount } = request;
    const calledAt = Date.now();
    const idleUntil = calledAt + request.idleMaxMs;
    const batchesWanted = request.batchesPerActivity ?? 1;
    const busyMs = request.busyMs ?? 0;
    let busyUntil: number | null = null; // set by this call's first batch
    let batchesHere = 0;
    for (;;) {
      // Armed before the claim, so a row committed while the claim runs still wakes the wait.
      const wake = wakeups.arm({ shard, shardCount });
      const startedAt = Date.now();
      const rows = await store.claimBatch({
        shard,
        shardCount,
        limit: request.batchSize,
        leaseMs: request.leaseMs,
      });
      if (rows.length > 0) {
        wake.cancel();
        const outcome = await deliverBatch(rows, portsFor(shard), {
          maxAttempts: request.maxAttempts,
          maxMessageBytes: deps.maxMessageBytes,
        }).catch((error: unknown) => {
          if (error instanceof SinkOutageError) {
            // Temporal retries the activity with backoff; the claimed rows come round again.
            metrics.recordOutage(error.sink);
            logger.warn(
              { shard, sink: error.sink, error: describeError(error.cause), claimed: rows.length },
              'relay sink unavailable; batch retried later',
            );
          }
          throw error;
        });
        const finishedAt = Date.now();
        metrics.recordSinksUp();
        progress.batches += 1;
        progress.claimed += rows.length;
        progress.delivered += outcome.delivered;
        progress.heldBack += outcome.heldBack;
        progress.failures.push(...outcome.failures);
        progress.startedAt ??= startedAt;
        progress.finishedAt = finishedAt;
        batchesHere += 1;
        busyUntil ??= startedAt + busyMs;
        logger.debug(
          {
            shard,
            claimed: rows.length,
            delivered: outcome.delivered,
            batchInCall: progress.batches,
            // Scheduled -> started: the Temporal round trip before this call's first batch.
            dispatchMs: batchesHere === 1 ? calledAt - ctx.info.currentAttemptScheduledTimestampMs : 0,
            idleMs: batchesHere === 1 ? startedAt - calledAt : 0,
            batchMs: finishedAt - startedAt,
          },
          'relay batch',
        );
        for (const failure of outcome.failures) {
          const log = failure.quarantined ? logger.error.bind(logger) : logger.warn.bind(logger);
          log({ shard, ...failure }, failure.quarantined ? 'outbox row quarantined' : 'outbox row failed');
        }
        if (progress.batches >= batchesWanted || Date.now() >= busyUntil || deps.shutdown?.aborted) break;
        continue;
      }
      // Dry: wait for rows until this call's busy stretch ends, or, before any batch, while idle.
      const waitUntil = busyUntil ?? (progress.batches > 0 ? 0 : idleUntil);
      if (Date.now() >= waitUntil || deps.shutdown?.aborted) {
        wake.cancel();
        break;
      }
      const stop = deps.shutdown
        ? AbortSignal.any([ctx.cancellationSignal, deps.shutdown])
        : ctx.cancellationSignal;
      await wake.wait(Math.min(request.idlePollMs, waitUntil - Date.now()), stop);
      if (ctx.cancellationSignal.aborted) await ctx.cancelled; // rejects with the cancellation
    }
    const now = Date.now();
    const report: BatchReport = {
      batches: progress.batches,
      claimed: progress.claimed,
      delivered: progress.delivered,
      heldBack: progress.heldBack,
      failures: progress.failures,
      startedAt: progress.startedAt ?? now,
      finishedAt: progress.finishedAt ?? now,
      // Once per call, not per batch: counting the shard's backlog is not free.
      backlog: await backlogOf(shard, shardCount),
    };
    metrics.recordBatch(shard, report);
    return report;
  }

  return {
    /**
     * Claims one batch of the shard and delivers it. With nothing to claim it waits here,
     * heartbeating, until a NOTIFY or the next poll finds rows, for up to `idleMaxMs`: an idle
     * relay costs no workflow history, because heartbeats are not history events.
     */
    async claimPublishProject(request: ClaimRequest): Promise<BatchReport> {
      const ctx = Context.current();
      try {
        // The whole attempt heartbeats (claim, delivery, backlog), from its first moment: a live
        // worker on a busy machine must not look dead to the server.
        const progress = progressOf(ctx.info.heartbeatDetails);
        return await whileHeartbeating(ctx, progress, () => claimAndDeliver(ctx, request, progress));
      } catch (error) {
        if (error instanceof CancelledFailure) throw error;
        // A failure the attempt reports (a sink outage, or anything unexpected) backs off
        // exponentially from one lease; the retry policy's own constant interval is for attempts
        // lost to the heartbeat timeout (outbox-relay.ts).
        const firstDelayMs = request.leaseMs + 1_000;
        const backoffMs = firstDelayMs * 2 ** Math.max(0, ctx.info.attempt - 1);
        throw ApplicationFailure.create({
          message: error instanceof Error ? error.message : String(error),
          type: error instanceof Error ? error.name : 'Error',
          cause: error instanceof Error ? error : undefined,
          nextRetryDelay: Math.max(firstDelayMs, Math.min(MAX_RETRY_DELAY_MS, backoffMs)),
        });
      }
    },

    /** Deletes rows processed more than `retentionHours` ago (all shards: one relay calls it). */
    async purgeProcessedOutbox(request: PurgeRequest): Promise<PurgeReport> {
      const olderThan = new Date(Date.now() - request.retentionHours * 3_600_000);
      const deleted = await store.purgeProcessed(olderThan);
      metrics.recordPurge(deleted);
      if (deleted > 0) logger.info({ deleted, olderThan }, 'purged processed outbox rows');
      return { deleted, olderThan: olderThan.toISOString() };
    },
  };
}

export type RelayActivities = ReturnType<typeof createRelayActivities>;

/** What one call has delivered so far; carried in its heartbeats to the next attempt. */
interface Progress {
  batches: number;
  claimed: number;
  delivered: number;
  heldBack: number;
  failures: RowFailure[];
  startedAt?: number;
  finishedAt?: number;
}

function progressOf(details: unknown): Progress {
  const carried = (details ?? {}) as Partial<Progress>;
  return {
    batches: carried.batches ?? 0,
    claimed: carried.claimed ?? 0,
    delivered: carried.delivered ?? 0,
    heldBack: carried.heldBack ?? 0,
    failures: [...(carried.failures ?? [])],
    startedAt: carried.startedAt,
    finishedAt: carried.finishedAt,
  };
}

/**
 * Heartbeats `details` at once and then every `heartbeatIntervalMs` while `work` runs, so a slow
 * broker or database is not mistaken for a dead worker.
 */
async function whileHeartbeating<T>(ctx: Context, details: unknown, work: () => Promise<T>): Promise<T> {
  ctx.heartbeat(details);
  const every = heartbeatIntervalMs(ctx.info.heartbeatTimeoutMs ?? 30_000);
  const timer = setInterval(() => ctx.heartbeat(details), every);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * How often the relay heartbeats, and the worker's heartbeat throttle (workers/relay-worker.ts):
 * a quarter of the timeout, so the server hears from a live attempt at least every half timeout.
 * The SDK's default throttle (0.8 of the timeout) leaves a fifth of it for a busy machine.
 */
export function heartbeatIntervalMs(heartbeatTimeoutMs: number): number {
  return Math.max(250, Math.floor(heartbeatTimeoutMs / 4));
}
