/**
 * Starting the relay workflows: one per shard, fixed ids, `USE_EXISTING`, so every relay worker
 * can run this on start (two workers, or a restart, never create a second relay for a shard).
 */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Logger } from 'pino';

import type { Config } from '../../config';
import type { outboxRelay } from '../../workflows/outbox-relay';
import {
  RELAY_WORKFLOW_TYPE,
  reconfigureSignal,
  relayStatusQuery,
  relayWorkflowId,
  type RelaySettings,
} from '../../workflows/relay-contract';

export function relaySettingsFrom(config: Config): RelaySettings {
  return {
    batchSize: config.RELAY_BATCH_SIZE,
    maxAttempts: config.RELAY_MAX_ATTEMPTS,
    leaseMs: config.RELAY_LEASE_MS,
    heartbeatTimeoutMs: config.RELAY_HEARTBEAT_TIMEOUT_MS,
    idlePollMs: config.RELAY_IDLE_POLL_MS,
    idleMaxMs: config.RELAY_IDLE_MAX_MS,
    batchesPerActivity: config.RELAY_BATCHES_PER_ACTIVITY,
    busyMs: config.RELAY_BUSY_MS,
    batchesPerRun: config.RELAY_BATCHES_PER_RUN,
    retentionHours: config.RELAY_RETENTION_HOURS,
    purgeIntervalMs: config.RELAY_PURGE_INTERVAL_MS,
  };
}

export interface RelayFleet {
  readonly workflowIdPrefix: string;
  readonly shardCount: number;
  readonly taskQueue: string;
  readonly settings: RelaySettings;
}

/** Starts the shards' relays that are not running; returns a handle per shard. */
export async function ensureRelays(
  client: Client,
  fleet: RelayFleet,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof outboxRelay>[]> {
  const handles: WorkflowHandleWithFirstExecutionRunId<typeof outboxRelay>[] = [];
  for (let shard = 0; shard < fleet.shardCount; shard++) {
    handles.push(
      await client.workflow.start<typeof outboxRelay>(RELAY_WORKFLOW_TYPE, {
        workflowId: relayWorkflowId(fleet.workflowIdPrefix, shard),
        taskQueue: fleet.taskQueue,
        args: [{ shard, shardCount: fleet.shardCount, settings: fleet.settings }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
  }
  return handles;
}

/**
 * Brings relays that were already running in line with this worker's settings (a signal, applied
 * from their next batch). A relay started with another shard count would claim rows other relays
 * own: that needs an operator (terminate the relays, then start the workers), so it is an error.
 * Needs a worker polling the task queue, since it queries the relays.
 */
export async function reconcileRelays(
  handles: readonly WorkflowHandle<typeof outboxRelay>[],
  fleet: RelayFleet,
  logger: Logger,
): Promise<void> {
  for (const handle of handles) {
    const status = await handle.query(relayStatusQuery);
    if (status.shardCount !== fleet.shardCount) {
      throw new Error(
        `relay ${handle.workflowId} runs with ${status.shardCount} shards, this worker is configured for ` +
          `${fleet.shardCount} (RELAY_SHARDS): terminate the running relays before changing the shard count`,
      );
    }
    if (JSON.stringify(status.settings) !== JSON.stringify(fleet.settings)) {
      await handle.signal(reconfigureSignal, fleet.settings);
      logger.info({ workflowId: handle.workflowId, settings: fleet.settings }, 'relay reconfigured');
    }
  }
}
