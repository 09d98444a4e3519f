/**
 * A relay activity that has delivered a batch stays for RELAY_BUSY_MS, woken by the outbox's
 * notifications, so rows committed a moment later go out from the same activity instead of
 * waiting for it to report to its workflow and for the next one to be dispatched. With
 * RELAY_BUSY_MS=0 it reports as soon as the shard runs dry: the same two bursts then take two
 * activities, which shows the check below can fail.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { relayStatusQuery } from '../../../workflows/relay-contract';
import { connectTestTemporal } from '../../support/temporal';
import { sagaEvents, writeEvents } from './support/events';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { messagesOnTopic } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { sleep, waitFor } from './support/wait';

jest.setTimeout(180_000);

/** Activities of the relay's current run that have returned to the workflow. */
async function activitiesReturned(relay: InProcessRelay): Promise<number> {
  const history = await relay.handles[0]!.fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskCompletedEventAttributes != null).length;
}

describe.each([
  { busyMs: 20_000, returnedBetweenBursts: false },
  { busyMs: 0, returnedBetweenBursts: true },
])('a relay with RELAY_BUSY_MS=$busyMs', ({ busyMs, returnedBetweenBursts }) => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let relay: InProcessRelay;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv(`busy-${busyMs}`, {
      overrides: { RELAY_SHARDS: '1', RELAY_BUSY_MS: String(busyMs) },
    });
    relay = await startInProcessRelay(temporal, env);
  });

  afterAll(async () => {
    await relay?.terminate();
    await relay?.stop();
    await env?.cleanup();
    await temporal?.teardown();
  });

  it(`${returnedBetweenBursts ? 'reports' : 'does not report'} to its workflow between two bursts`, async () => {
    await writeEvents(env.write.db, sagaEvents(10, 2), 100);
    await waitFor(
      'the first burst on Kafka',
      async () => (await messagesOnTopic(env.kafka, env.topic)) === 20,
    );
    await sleep(1_500); // dry for a while: longer than one claim, far shorter than the busy stretch
    await writeEvents(env.write.db, sagaEvents(10, 2), 100);
    await waitFor(
      'the second burst on Kafka',
      async () => (await messagesOnTopic(env.kafka, env.topic)) === 40,
    );

    const returned = await activitiesReturned(relay);
    if (returnedBetweenBursts) expect(returned).toBeGreaterThanOrEqual(1);
    else expect(returned).toBe(0);
    expect((await env.store.backlog()).pending).toBe(0);
  });

  it('counts every event in relayStatus once the activity has reported', async () => {
    await waitFor(
      'the relay to record both bursts',
      async () => {
        return (await relay.handles[0]!.query(relayStatusQuery)).events === 40;
      },
      { timeoutMs: 90_000 },
    );
  });
});
