/**
 * The relay worker process is SIGKILLed in the middle of a batch (published to Kafka, not yet
 * marked processed) and started again: every event still reaches Kafka at least once, the
 * re-published events are the same messages (same event id, envelope and headers), and each
 * aggregate's events first arrive in version order.
 *
 * To catch the batch between publish and mark, the test takes row locks (SKIP LOCKED, so it never
 * waits on the relay) on rows the relay has claimed: the relay's mark then blocks on them, as it
 * would behind a slow database, while its messages are already on Kafka.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from 'pg';

import { sql } from '../../../db';
import { relayWorkflowId } from '../../../workflows/relay-contract';
import { connectTestTemporal } from '../../support/temporal';
import { spawnRelayWorker, type ChildRelay } from './support/child-relay';
import { sagaEvents, writeEvents } from './support/events';
import { readTopic, versionsByAggregate, type TopicReader } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { waitFor } from './support/wait';

jest.setTimeout(300_000);

describe('relay worker killed mid-batch and restarted', () => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let reader: TopicReader;
  const children: ChildRelay[] = [];
  let caught: string[] = [];
  let killedBy: NodeJS.Signals | null = null;
  let written = 0;

  const start = async () => {
    const child = spawnRelayWorker(env.env);
    children.push(child);
    await child.ready;
    return child;
  };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('crash', {
      overrides: {
        RELAY_SHARDS: '2',
        RELAY_BATCH_SIZE: '100',
        // Notice the dead worker's activity quickly; the retry waits out the lease of its claim.
        RELAY_HEARTBEAT_TIMEOUT_MS: '5000',
        RELAY_LEASE_MS: '5000',
      },
    });
    const before = sagaEvents(100, 60);
    await writeEvents(env.write.db, before);

    reader = await readTopic(env.kafka, env.topic);
    const locker = new Client({ connectionString: env.write.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      const first = await start();
      await waitFor(
        'rows the relay claimed',
        async () => {
          const { rows } = await locker.query<{ id: string }>(`
            SELECT id FROM outbox_messages
            WHERE processed_at IS NULL AND claimed_until > now()
            FOR UPDATE SKIP LOCKED`);
          caught = rows.map((r) => r.id);
          return caught.length > 0;
        },
        { intervalMs: 5 },
      );
      await waitFor('the caught rows on Kafka', () => caught.some((id) => reader.ids().has(id)), {
        detail: () => ({ caught: caught.length, seen: reader.ids().size }),
      });
      first.kill('SIGKILL');
      killedBy = (await first.exited).signal;
      // The dead worker's UPDATE is still queued behind our locks on the server, which has not
      // noticed the client is gone; left alone it would commit the mark once we let go. End those
      // sessions first, as the server does when it detects the dropped connection.
      await locker.query(`
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }

    const after = sagaEvents(50, 20); // written while no relay worker runs
    await writeEvents(env.write.db, after);
    written = before.length + after.length;

    await start();
    await waitFor(
      'the outbox to drain after the restart',
      async () => (await env.store.backlog()).pending === 0,
      {
        timeoutMs: 180_000,
        detail: () => env.store.backlog(),
      },
    );
    await waitFor('every event on Kafka', () => reader.ids().size >= written, {
      detail: () => ({ seen: reader.ids().size, written }),
    });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await reader?.stop();
    for (let shard = 0; shard < 2; shard++) {
      await temporal?.client.workflow
        .getHandle(relayWorkflowId(env.config.RELAY_WORKFLOW_ID_PREFIX, shard))
        .terminate('test finished')
        .catch(() => undefined);
    }
    await env?.cleanup(reader ? [reader.groupId] : []);
    await temporal?.teardown();
  });

  it('was killed after publishing a batch it had not marked', async () => {
    expect(killedBy).toBe('SIGKILL');
    const published = caught.filter((id) => reader.ids().has(id));
    expect(published.length).toBeGreaterThan(0);
  });

  it('delivers every event at least once', async () => {
    const { rows } = await env.write.db.query<{ id: string }>(sql`SELECT id FROM outbox_messages`);
    expect(rows).toHaveLength(written);
    expect(reader.ids()).toEqual(new Set(rows.map((r) => r.id)));
  });

  it('re-publishes an event as the same message: same event id, envelope and headers', () => {
    const copies = new Map<string, string>();
    const mismatches: string[] = [];
    for (const m of reader.messages) {
      const body = JSON.stringify([m.key, m.envelope, m.headers]);
      const first = copies.get(m.envelope.eventId) ?? body;
      if (m.headers.eventId !== m.envelope.eventId || first !== body) mismatches.push(body);
      copies.set(m.envelope.eventId, first);
    }
    expect(mismatches).toEqual([]);
    // The batch caught between publish and mark went out again after the restart.
    expect(reader.messages.length).toBeGreaterThan(copies.size);
  });

  it('keeps per-aggregate order by first arrival', () => {
    for (const versions of versionsByAggregate(reader.messages).values()) {
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  it('kept the same relay workflows running across the crash', async () => {
    for (let shard = 0; shard < 2; shard++) {
      const handle = temporal.client.workflow.getHandle(
        relayWorkflowId(env.config.RELAY_WORKFLOW_ID_PREFIX, shard),
      );
      expect((await handle.describe()).status.name).toBe('RUNNING');
    }
  });

  it('stops gracefully on SIGTERM', async () => {
    const current = children[children.length - 1]!;
    current.kill('SIGTERM');
    expect(await current.exited).toEqual({ code: 0, signal: null });
    expect(current.output()).toContain('"msg":"relay worker stopped"');
  });
});
