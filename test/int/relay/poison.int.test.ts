/**
 * Poison rows: an event the broker rejects as too large (KAFKA_MAX_MESSAGE_BYTES is raised above
 * the broker's limit here, so the real broker says no) and an envelope that contradicts its row
 * fail on every attempt, are quarantined after RELAY_MAX_ATTEMPTS with their last error, and do
 * not hold up the rows behind them; the later event of the poisoned aggregate waits until its
 * predecessor is quarantined, then follows. `npm run relay:quarantined` lists them and
 * `npm run relay:requeue` puts a repaired one back in line.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { appendToOutbox, sql } from '../../../db';
import { relayStatusQuery } from '../../../workflows/relay-contract';
import { connectTestTemporal } from '../../support/temporal';
import { stepCompletedPayload } from '../db/fixtures';
import { sagaEvents, writeEvents } from './support/events';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { readTopic, type TopicReader } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { waitFor } from './support/wait';

jest.setTimeout(180_000);

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '..', '..', '..');

describe('outbox relay with poison rows', () => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let relay: InProcessRelay;
  let reader: TopicReader;
  const [p1, p2, p3] = sagaEvents(1, 3); // one aggregate: the broker rejects p2
  const [q1] = sagaEvents(1, 1); // its envelope will disagree with its row
  const behind = sagaEvents(30, 2);

  const npmRun = (script: string, ...args: string[]) =>
    run('npm', ['run', '--silent', script, '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, WRITE_DB_URL: env.write.url },
    });

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('poison', {
      overrides: {
        RELAY_SHARDS: '1',
        RELAY_MAX_ATTEMPTS: '3',
        RELAY_LEASE_MS: '2000',
        KAFKA_MAX_MESSAGE_BYTES: '5000000', // above the broker's message.max.bytes (~1 MiB)
      },
    });
    const big = { ...p2!, payload: stepCompletedPayload(p2!.aggregateId, 2, 'x'.repeat(1_200_000)) };
    await env.write.db.transaction(async (tx) => {
      await appendToOutbox(tx, [p1!, big, p3!, q1!]);
      await tx.query(sql`
        UPDATE outbox_messages SET payload = jsonb_set(payload, '{eventId}', to_jsonb(gen_random_uuid()::text))
        WHERE id = ${q1!.eventId}`);
    });
    await writeEvents(env.write.db, behind);

    reader = await readTopic(env.kafka, env.topic);
    relay = await startInProcessRelay(temporal, env);
    await waitFor(
      'the poison rows quarantined',
      async () => (await env.store.listQuarantined()).length === 2,
      {
        detail: () => env.store.backlog(),
      },
    );
    await waitFor(
      'the rest on Kafka',
      () => [p1!, p3!, ...behind].every((e) => reader.ids().has(e.eventId)),
      {
        detail: () => ({ seen: reader.ids().size }),
      },
    );
  });

  afterAll(async () => {
    await reader?.stop();
    await relay?.terminate();
    await relay?.stop();
    await env?.cleanup(reader ? [reader.groupId] : []);
    await temporal?.teardown();
  });

  it('quarantines each poison row after the maximum attempts, with its last error', async () => {
    const quarantined = await env.store.listQuarantined();
    expect(quarantined.map((m) => [m.id, m.attempts])).toEqual([
      [p2!.eventId, 3],
      [q1!.eventId, 3],
    ]);
    expect(quarantined[0]!.lastError).toMatch(/larger than the max message size the server will accept/);
    expect(quarantined[1]!.lastError).toMatch(/PoisonMessageError: .* envelope eventId .* does not match/);
    expect(reader.ids().has(p2!.eventId)).toBe(false);
    expect(reader.ids().has(q1!.eventId)).toBe(false);
  });

  it('delivers the rows behind them, and the poisoned aggregate in order without the gap', async () => {
    expect((await env.store.backlog()).pending).toBe(0);
    const aggregate = reader.messages.filter((m) => m.key === p1!.aggregateId);
    expect(aggregate.map((m) => m.envelope.aggregateVersion)).toEqual([1, 3]);
  });

  it('counts the failures in relayStatus', async () => {
    await waitFor('the relay to record the last batch', async () => {
      const status = await relay.handles[0]!.query(relayStatusQuery);
      return status.events === 2 + behind.length;
    });
    const status = await relay.handles[0]!.query(relayStatusQuery);
    expect(status).toMatchObject({ rowFailures: 6, quarantinedByRelay: 2 });
    expect(status.heldBack).toBeGreaterThan(0);
    expect(status.lag).toMatchObject({ pending: 0, quarantined: 2 });
  });

  it('lists quarantined rows with npm run relay:quarantined', async () => {
    const { stdout } = await npmRun('relay:quarantined');
    expect(stdout).toContain(`${p2!.eventId}`);
    expect(stdout).toContain(`${q1!.eventId}`);
    expect(stdout).toContain('attempts=3');
    expect(stdout).toContain('2 quarantined row(s)');
  });

  it('relays a repaired row after npm run relay:requeue', async () => {
    await env.write.db.query(sql`
      UPDATE outbox_messages SET payload = jsonb_set(payload, '{eventId}', to_jsonb(id::text))
      WHERE id = ${q1!.eventId}`);
    const { stdout } = await npmRun('relay:requeue', q1!.eventId);
    expect(stdout).toContain('requeued 1 row(s)');

    await waitFor('the requeued row on Kafka', () => reader.ids().has(q1!.eventId));
    const delivered = reader.messages.find((m) => m.envelope.eventId === q1!.eventId);
    expect(delivered?.envelope).toEqual(q1);
    expect((await env.store.listQuarantined()).map((m) => m.id)).toEqual([p2!.eventId]);
  });
});
