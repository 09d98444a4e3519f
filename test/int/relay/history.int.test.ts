/**
 * The relay's workflow history stays small forever: 10,000 relayed events pass through several
 * runs (continue-as-new after RELAY_BATCHES_PER_RUN activity results, counters carried over), and
 * a relay with nothing to do adds no history events for a whole minute, because it waits inside
 * a heartbeating activity rather than on workflow timers or short polls. With a retention of 0
 * hours, the purge (shard 0, first batch, then once per interval) deletes processed rows.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import { createDataConverter } from '../../../codec/data-converter';
import { sql } from '../../../db';
import { relayStatusQuery } from '../../../workflows/relay-contract';
import { connectTestTemporal } from '../../support/temporal';
import { sagaEvents, writeEvents } from './support/events';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { messagesOnTopic } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { sleep, waitFor } from './support/wait';

jest.setTimeout(420_000);

const EVENTS = 10_000;
const BATCH_SIZE = 100;
const BATCHES_PER_RUN = 20;

describe('outbox relay history', () => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let relay: InProcessRelay;
  let firstRunId: string | undefined;

  const describeRelay = () => relay.handles[0]!.describe();

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('history', {
      overrides: {
        RELAY_SHARDS: '1',
        RELAY_BATCH_SIZE: String(BATCH_SIZE),
        RELAY_BATCHES_PER_RUN: String(BATCHES_PER_RUN),
        // One batch per activity result, so the 10,000 events take 100 results and several runs.
        RELAY_BATCHES_PER_ACTIVITY: '1',
        RELAY_RETENTION_HOURS: '0',
      },
    });
    relay = await startInProcessRelay(temporal, env);
    firstRunId = relay.handles[0]!.firstExecutionRunId;

    await writeEvents(env.write.db, sagaEvents(200, EVENTS / 200), 500);
    await waitFor('10,000 events relayed', async () => (await env.store.backlog()).pending === 0, {
      timeoutMs: 300_000,
      intervalMs: 1000,
      detail: () => env.store.backlog(),
    });
    await waitFor('the relay to record its last batch', async () => {
      return (await relay.handles[0]!.query(relayStatusQuery)).events === EVENTS;
    });
  });

  afterAll(async () => {
    await relay?.terminate();
    await relay?.stop();
    await env?.cleanup();
    await temporal?.teardown();
  });

  it('relayed every event exactly once', async () => {
    expect(await messagesOnTopic(env.kafka, env.topic)).toBe(EVENTS);
  });

  it('continued as new, carrying its counters, so the current run stays small', async () => {
    const description = await describeRelay();
    const status = await relay.handles[0]!.query(relayStatusQuery);
    expect(description.status.name).toBe('RUNNING');
    expect(firstRunId).toEqual(expect.any(String));
    expect(description.runId).not.toBe(firstRunId);
    expect(status.runs).toBeGreaterThanOrEqual(EVENTS / BATCH_SIZE / BATCHES_PER_RUN);
    expect(status.batches).toBeGreaterThanOrEqual(EVENTS / BATCH_SIZE);
    // At most BATCHES_PER_RUN activities (6 events each with their workflow tasks) plus the
    // run's first workflow task and a purge.
    expect(description.historyLength).toBeLessThanOrEqual(BATCHES_PER_RUN * 6 + 12);
  });

  it('purged processed rows past the retention', async () => {
    const status = await relay.handles[0]!.query(relayStatusQuery);
    const { rows } = await env.write.db.query(sql`SELECT count(*) AS n FROM outbox_messages`);
    expect(status.lastPurgeAt).toEqual(expect.any(Number));
    expect(status.purged).toBeGreaterThan(0);
    expect(Number(rows[0]?.n)).toBe(EVENTS - status.purged);
  });

  it('replays its current run deterministically', async () => {
    const history = await relay.handles[0]!.fetchHistory();
    await expect(
      Worker.runReplayHistory(
        {
          workflowsPath: require.resolve('../../../workflows/outbox-relay'),
          dataConverter: createDataConverter(env.config),
        },
        history,
        relay.handles[0]!.workflowId,
      ),
    ).resolves.toBeUndefined();
  });

  it('adds no history events while idle for a minute', async () => {
    // Settle: the last batch's result is in, and the next (idle) activity is waiting.
    let before = await describeRelay();
    await waitFor('the history to settle', async () => {
      await sleep(1000);
      const now = await describeRelay();
      const settled = now.historyLength === before.historyLength && now.runId === before.runId;
      before = now;
      return settled;
    });

    await sleep(60_000);

    const after = await describeRelay();
    expect(after.runId).toBe(before.runId);
    expect(after.historyLength).toBe(before.historyLength);
    expect(after.status.name).toBe('RUNNING');
  });
});
