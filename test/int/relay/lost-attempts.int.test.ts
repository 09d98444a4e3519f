/**
 * A relay worker that stops answering for a while (SIGSTOP: what a starved process on a busy
 * machine looks like to the server) loses its running attempt to the heartbeat timeout, and it
 * can lose several in a row. A lost attempt is not an outage: its retry only has to wait until
 * the attempt's claim lease has expired, so every retry is due one lease (plus a second) after
 * the loss, however many attempts were lost before it. Once the worker runs again, every event
 * is delivered.
 *
 * The retry's due time comes from the server (the pending activity's next attempt time); the
 * test compares it with the moment it saw the loss, which can only make it look sooner.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal as proto } from '@temporalio/proto';

import { sql } from '../../../db';
import { relayWorkflowId } from '../../../workflows/relay-contract';
import { connectTestTemporal } from '../../support/temporal';
import { spawnRelayWorker, type ChildRelay } from './support/child-relay';
import { sagaEvents, writeEvents } from './support/events';
import { readTopic, type TopicReader } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { waitFor } from './support/wait';

jest.setTimeout(300_000);

const LEASE_MS = 2_000;
const LOSSES = 3;

const { PendingActivityState } = proto.api.enums.v1;

interface Lost {
  readonly attempt: number;
  readonly timeoutType: string | null | undefined;
  /** The next attempt's due time, from when the loss was seen. */
  readonly dueInMs: number | null;
}

describe('relay worker that stops answering', () => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let reader: TopicReader;
  let worker: ChildRelay | undefined;
  const lost: Lost[] = [];
  let written = 0;

  const pendingActivity = async () => {
    const handle = temporal.client.workflow.getHandle(
      relayWorkflowId(env.config.RELAY_WORKFLOW_ID_PREFIX, 0),
    );
    const [activity] = (await handle.describe()).raw.pendingActivities ?? [];
    return activity;
  };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('lost', {
      overrides: {
        RELAY_SHARDS: '1',
        RELAY_BATCH_SIZE: '100',
        RELAY_HEARTBEAT_TIMEOUT_MS: '2000',
        RELAY_LEASE_MS: String(LEASE_MS),
      },
    });
    reader = await readTopic(env.kafka, env.topic);
    worker = spawnRelayWorker(env.env);
    await worker.ready;

    for (let loss = 1; loss <= LOSSES; loss++) {
      // The relay's attempt is running (an empty outbox: it waits for rows, heartbeating).
      let attempt = 0;
      await waitFor('a running relay attempt', async () => {
        const activity = await pendingActivity();
        attempt = activity?.attempt ?? 0;
        return activity?.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
      });
      process.kill(worker.pid, 'SIGSTOP');
      try {
        await waitFor('the server to give up on the attempt', async () => {
          const activity = await pendingActivity();
          // Taken after the answer, so never before the loss it reports.
          const seenAt = Date.now();
          if ((activity?.attempt ?? 0) <= attempt) return false;
          const timeoutType = activity?.lastFailure?.timeoutFailureInfo?.timeoutType;
          const next = activity?.nextAttemptScheduleTime;
          lost.push({
            attempt,
            timeoutType: timeoutType ? proto.api.enums.v1.TimeoutType[timeoutType] : null,
            // At most the retry interval the server chose (the loss came before seenAt).
            dueInMs: next
              ? Number(next.seconds) * 1_000 + Math.round((next.nanos ?? 0) / 1e6) - seenAt
              : null,
          });
          return true;
        });
      } finally {
        process.kill(worker.pid, 'SIGCONT');
      }
    }

    const events = sagaEvents(20, 20);
    await writeEvents(env.write.db, events);
    written = events.length;
    await waitFor('the outbox to drain', async () => (await env.store.backlog()).pending === 0, {
      timeoutMs: 120_000,
      detail: () => env.store.backlog(),
    });
    await waitFor('every event on Kafka', () => reader.ids().size >= written, {
      detail: () => ({ seen: reader.ids().size, written }),
    });
  });

  afterAll(async () => {
    if (worker) {
      process.kill(worker.pid, 'SIGCONT');
      worker.kill('SIGKILL');
    }
    await reader?.stop();
    await temporal?.client.workflow
      .getHandle(relayWorkflowId(env.config.RELAY_WORKFLOW_ID_PREFIX, 0))
      .terminate('test finished')
      .catch(() => undefined);
    await env?.cleanup(reader ? [reader.groupId] : []);
    await temporal?.teardown();
  });

  it('lost each stopped attempt to the heartbeat timeout', () => {
    expect(lost.map((l) => l.timeoutType)).toEqual(Array(LOSSES).fill('TIMEOUT_TYPE_HEARTBEAT'));
  });

  it('retries every lost attempt at most one lease later, not later with each loss', () => {
    expect(lost).toHaveLength(LOSSES);
    expect(lost.filter((l) => l.dueInMs === null || l.dueInMs > LEASE_MS + 1_000)).toEqual([]);
  });

  it('delivers every event written after the worker runs again', async () => {
    const { rows } = await env.write.db.query<{ id: string }>(sql`SELECT id FROM outbox_messages`);
    expect(rows).toHaveLength(written);
    expect(reader.ids()).toEqual(new Set(rows.map((r) => r.id)));
  });
});
