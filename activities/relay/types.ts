/**
 * What the relay workflow sends its activities and gets back. Plain data only: the workflow
 * imports these types, and every value crosses Temporal's payload converter as JSON.
 */

/** One call of `claimPublishProject`: which shard, and how to claim and wait. */
export interface ClaimRequest {
  readonly shard: number;
  readonly shardCount: number;
  readonly batchSize: number;
  /** Recorded failures before a row is quarantined. */
  readonly maxAttempts: number;
  readonly leaseMs: number;
  /** While idle: re-claim this often even without a NOTIFY. */
  readonly idlePollMs: number;
  /** While idle: give up and return `claimed: 0` after this long. */
  readonly idleMaxMs: number;
  /** Deliver up to this many batches back to back before returning (absent: 1). */
  readonly batchesPerActivity?: number;
  /**
   * After its first batch, keep claiming for this long, waiting on notifications when the shard
   * runs dry, before returning (absent or 0: return as soon as a claim after a batch finds nothing).
   */
  readonly busyMs?: number;
}

/** The shard's backlog right after the batch (database clock for the age). */
export interface BacklogSnapshot {
  readonly pending: number;
  readonly quarantined: number;
  readonly oldestPendingAgeMs: number | null;
  /** When it was measured, epoch ms (activity clock). */
  readonly measuredAt: number;
}

export interface RowFailure {
  readonly id: string;
  readonly error: string;
  readonly attempts: number;
  readonly quarantined: boolean;
}

/** The result of one call: the batches it delivered, or an idle wait that found nothing. */
export interface BatchReport {
  /** Batches delivered in this call (absent in results recorded before there could be several: 1 if claimed > 0). */
  readonly batches?: number;
  readonly claimed: number;
  /** Published to Kafka, projected and marked processed. */
  readonly delivered: number;
  /** Left under their lease because an earlier event of the same aggregate failed in this batch. */
  readonly heldBack: number;
  readonly failures: readonly RowFailure[];
  /** Epoch ms (activity clock): the first claim that returned rows, and the end of the last batch. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly backlog: BacklogSnapshot;
}

export interface PurgeRequest {
  readonly retentionHours: number;
}

export interface PurgeReport {
  readonly deleted: number;
  readonly olderThan: string;
}
