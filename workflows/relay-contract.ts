/**
 * The contract of the outbox relay workflow (one per shard, id `<prefix>-<shard>`): its input,
 * the `relayStatus` query and the `reconfigure` signal. Imported by workflow code, so it stays
 * sandbox-safe (types and define* calls only).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

import type { BacklogSnapshot } from '../activities/relay/types';

export const RELAY_WORKFLOW_TYPE = 'outboxRelay';

export const relayWorkflowId = (prefix: string, shard: number): string => `${prefix}-${shard}`;

/** Everything a relay needs besides its shard; the relay worker fills it from config. */
export interface RelaySettings {
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly idlePollMs: number;
  readonly idleMaxMs: number;
  /** Batches one activity delivers back to back (absent in relays started before it existed: 1). */
  readonly batchesPerActivity?: number;
  /** How long one activity keeps delivering after its first batch (absent in older relays: 0). */
  readonly busyMs?: number;
  /** Continue-as-new after this many activity results, if the server has not suggested it sooner. */
  readonly batchesPerRun: number;
  readonly retentionHours: number;
  readonly purgeIntervalMs: number;
}

/** One delivered batch, kept for the throughput window. */
export interface BatchSample {
  readonly events: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Counters that survive continue-as-new. */
export interface RelayTotals {
  readonly runs: number;
  readonly batches: number;
  readonly events: number;
  readonly rowFailures: number;
  readonly quarantined: number;
  readonly heldBack: number;
  readonly lastPurgeAt: number | null;
  readonly purged: number;
  readonly recent: readonly BatchSample[];
  readonly backlog: BacklogSnapshot | null;
}

export interface RelayInput {
  readonly shard: number;
  readonly shardCount: number;
  readonly settings: RelaySettings;
  /** Set by the relay itself when it continues as new. */
  readonly totals?: RelayTotals;
}

export interface RelayStatus {
  readonly shard: number;
  readonly shardCount: number;
  /** Runs of this relay so far, this one included (each continue-as-new starts one). */
  readonly runs: number;
  /** Activity results in this run (bounded by settings.batchesPerRun). */
  readonly runActivities: number;
  readonly batches: number;
  readonly events: number;
  /** Delivered events per second over the last batches (first start to last finish). */
  readonly eventsPerSecond: number;
  readonly throughputWindowBatches: number;
  readonly rowFailures: number;
  /** Rows this relay quarantined; the shard's current count is `lag.quarantined`. */
  readonly quarantinedByRelay: number;
  readonly heldBack: number;
  /** The shard's backlog as of the relay's last batch or idle return (`measuredAt`). */
  readonly lag: BacklogSnapshot | null;
  readonly lastPurgeAt: number | null;
  readonly purged: number;
  readonly settings: RelaySettings;
}

export const relayStatusQuery = defineQuery<RelayStatus>('relayStatus');

/** New settings (same shard and shard count), applied from the next batch on. */
export const reconfigureSignal = defineSignal<[RelaySettings]>('reconfigure');
