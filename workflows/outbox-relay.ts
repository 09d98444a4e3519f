/**
 * The outbox relay: a poller, a channel and parallel workers as one durable
 * loop per shard. Each iteration is one activity that claims a batch of the shard's outbox rows
 * (skip-locked, under a lease), projects them into the reporting database, publishes them to
 * Kafka and marks them processed. Waiting for work happens inside that activity, so an idle
 * relay adds nothing to its history; the history that busy batches add is bounded by
 * continuing as new.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

import type { RelayActivities } from '../activities/relay/activities';
import { emptyTotals, purgeDue, recordBatch, recordPurge, statusOf } from './outbox-relay-status';
import { reconfigureSignal, relayStatusQuery, type RelayInput, type RelaySettings } from './relay-contract';

function activitiesFor(settings: RelaySettings) {
  const { claimPublishProject } = proxyActivities<RelayActivities>({
    // The longest idle or busy stretch plus one batch; a dead worker is noticed much sooner by the
    // heartbeat.
    startToCloseTimeout: Math.max(settings.idleMaxMs, settings.busyMs ?? 0) + 10 * 60_000,
    heartbeatTimeout: settings.heartbeatTimeoutMs,
    retry: {
      // Later than the failed attempt's claim lease, so the retry claims those same rows again,
      // in sequence order, rather than skipping past them to later events of the same aggregates.
      // Constant: an attempt lost to the heartbeat timeout (a dead or starved worker) only has to
      // wait out its lease, however many were lost before it; failures the activity reports (a
      // sink outage) set their own exponential delay (activities/relay/activities.ts).
      initialInterval: settings.leaseMs + 1_000,
      backoffCoefficient: 1,
      // No maximumAttempts: an outage of Kafka or a database only delays the relay.
    },
  });
  const { purgeProcessedOutbox } = proxyActivities<RelayActivities>({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '10 seconds', maximumAttempts: 3 },
  });
  return { claimPublishProject, purgeProcessedOutbox };
}

export async function outboxRelay(input: RelayInput): Promise<never> {
  const { shard, shardCount } = input;
  let settings = input.settings;
  const carried = input.totals ?? emptyTotals();
  let totals = { ...carried, runs: carried.runs + 1 };
  let runActivities = 0;

  setHandler(relayStatusQuery, () => statusOf({ shard, shardCount }, totals, runActivities, settings));
  setHandler(reconfigureSignal, (next) => {
    settings = next;
  });

  for (;;) {
    const { claimPublishProject, purgeProcessedOutbox } = activitiesFor(settings);
    const report = await claimPublishProject({
      shard,
      shardCount,
      batchSize: settings.batchSize,
      maxAttempts: settings.maxAttempts,
      leaseMs: settings.leaseMs,
      idlePollMs: settings.idlePollMs,
      idleMaxMs: settings.idleMaxMs,
      batchesPerActivity: settings.batchesPerActivity ?? 1,
      busyMs: settings.busyMs ?? 0,
    });
    runActivities += 1;
    totals = recordBatch(totals, report);

    // Purging deletes processed rows of every shard, so only shard 0 does it (no two relays
    // deleting the same rows).
    if (shard === 0 && purgeDue(totals, settings, Date.now())) {
      let deleted = 0;
      try {
        deleted = (await purgeProcessedOutbox({ retentionHours: settings.retentionHours })).deleted;
      } catch (error) {
        log.warn('outbox purge failed; next try after the purge interval', { error });
      }
      totals = recordPurge(totals, Date.now(), deleted);
    }

    if (workflowInfo().continueAsNewSuggested || runActivities >= settings.batchesPerRun) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof outboxRelay>({ shard, shardCount, settings, totals });
    }
  }
}
