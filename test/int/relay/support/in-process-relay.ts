/**
 * The relay worker inside the test process, assembled from the same pieces as
 * workers/relay-worker.ts (resources, activities, ensureRelays), on a test environment.
 */
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';

import { createRelayActivities, heartbeatIntervalMs } from '../../../../activities/relay';
import type { outboxRelay } from '../../../../workflows/outbox-relay';
import { ensureRelays, relaySettingsFrom, type RelayFleet } from '../../../../workers/relay/relays';
import { openRelayResources, type RelayResources } from '../../../../workers/relay/resources';
import type { RelayTestEnv } from './relay-env';

export interface InProcessRelay {
  readonly fleet: RelayFleet;
  readonly resources: RelayResources;
  readonly handles: readonly WorkflowHandleWithFirstExecutionRunId<typeof outboxRelay>[];
  /** Stops the worker and releases its resources (the relay workflows keep running). */
  stop(): Promise<void>;
  /** Terminates the relay workflows. */
  terminate(): Promise<void>;
}

export async function startInProcessRelay(
  temporal: TestWorkflowEnvironment,
  relayEnv: Pick<RelayTestEnv, 'config'>,
): Promise<InProcessRelay> {
  const { config } = relayEnv;
  const logger = pino({ level: config.LOG_LEVEL });
  const resources = await openRelayResources(config, logger);
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.RELAY_TASK_QUEUE,
    workflowsPath: require.resolve('../../../../workflows/outbox-relay'),
    activities: createRelayActivities(resources.deps),
    shutdownGraceTime: '2 seconds',
    maxHeartbeatThrottleInterval: heartbeatIntervalMs(config.RELAY_HEARTBEAT_TIMEOUT_MS), // as the relay worker
  });
  const running = worker.run();
  const fleet: RelayFleet = {
    workflowIdPrefix: config.RELAY_WORKFLOW_ID_PREFIX,
    shardCount: config.RELAY_SHARDS,
    taskQueue: config.RELAY_TASK_QUEUE,
    settings: relaySettingsFrom(config),
  };
  const handles = await ensureRelays(temporal.client, fleet);
  let stopped = false;
  return {
    fleet,
    resources,
    handles,
    async stop() {
      if (stopped) return;
      stopped = true;
      worker.shutdown();
      await running.catch(() => undefined);
      await resources.close();
    },
    async terminate() {
      await Promise.all(handles.map((h) => h.terminate('test finished').catch(() => undefined)));
    },
  };
}
