/**
 * A reporting database that refuses writes for a while (read-only, SQLSTATE 25006) is an outage,
 * not a bad row: the relay retries the batch with backoff, quarantines nothing, counts the outage
 * in its metrics, and once the database is writable again delivers every event exactly once, to
 * Kafka and to the reporting tables.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { getShowtimeSales, sql, UnitOfWork } from '../../../db';
import { trustedRaw } from '../../../db/sql';
import { connectTestTemporal } from '../../support/temporal';
import { writePurchases, type Purchases } from './support/events';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { readTopic, type TopicReader } from './support/kafka-reader';
import { createRelayTestEnv, type RelayTestEnv } from './support/relay-env';
import { sleep, waitFor } from './support/wait';

jest.setTimeout(240_000);

describe('outbox relay while the reporting database is read-only', () => {
  let temporal: TestWorkflowEnvironment;
  let env: RelayTestEnv;
  let relay: InProcessRelay;
  let reader: TopicReader;
  let purchases: Purchases;
  let reportingSeenDown = false;
  let quarantinedDuringOutage = 0;

  /** Read-only for every new session; the relay's open sessions are ended so they reconnect. */
  const setReadOnly = async (on: boolean) => {
    const name = trustedRaw(`"${env.reporting.name}"`);
    await env.write.db.query(
      sql`ALTER DATABASE ${name} SET default_transaction_read_only = ${trustedRaw(on ? 'on' : 'off')}`,
    );
    await env.write.db.query(sql`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = ${env.reporting.name} AND pid <> pg_backend_pid()`);
  };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    env = await createRelayTestEnv('reporting-outage', {
      overrides: { RELAY_SHARDS: '1', RELAY_MAX_ATTEMPTS: '3', RELAY_LEASE_MS: '1000' },
    });
    await setReadOnly(true);
    purchases = await writePurchases(new UnitOfWork(env.write.db), 4);
    reader = await readTopic(env.kafka, env.topic);
    relay = await startInProcessRelay(temporal, env);
    // 30 s of outage: several times RELAY_MAX_ATTEMPTS retries at this lease. Stop early only if
    // rows get quarantined (the failure this test guards against).
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      if (relay.resources.deps.metrics.health().checks.reporting === 'Unhealthy') reportingSeenDown = true;
      quarantinedDuringOutage = (await env.store.listQuarantined()).length;
      if (quarantinedDuringOutage > 0) break;
      await sleep(500);
    }
    await setReadOnly(false);
  });

  afterAll(async () => {
    await reader?.stop();
    await relay?.terminate();
    await relay?.stop();
    if (env) await setReadOnly(false).catch(() => undefined);
    await env?.cleanup(reader ? [reader.groupId] : []);
    await temporal?.teardown();
  });

  it('quarantines nothing and records no row failure during the outage', async () => {
    expect(quarantinedDuringOutage).toBe(0);
    const { rows } = await env.write.db.query(
      sql`SELECT count(*) AS n FROM outbox_messages WHERE attempts > 0 OR quarantined_at IS NOT NULL`,
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('shows the outage in the relay health while it lasts', () => {
    expect(reportingSeenDown).toBe(true);
  });

  it('counts the outage in the metrics', () => {
    const snapshot = relay.resources.deps.metrics.snapshot();
    expect(snapshot.outages.reporting).toBeGreaterThan(0);
    expect(snapshot.failures).toBe(0);
  });

  it('delivers every event exactly once after the database is writable again', async () => {
    await waitFor('the backlog delivered', async () => (await env.store.backlog()).pending === 0, {
      timeoutMs: 120_000,
      detail: () => env.store.backlog(),
    });
    const { rows } = await env.write.db.query(sql`SELECT id FROM outbox_messages`);
    const ids = rows.map((r) => String(r.id));
    await waitFor('every event on Kafka', () => ids.every((id) => reader.ids().has(id)));
    expect(reader.messages).toHaveLength(ids.length);
    expect(relay.resources.deps.metrics.health()).toMatchObject({ status: 'Healthy' });
    const sales = await getShowtimeSales(env.reporting.db, purchases.scheduled.showtime.id);
    expect(sales).toMatchObject({
      ticketsIssued: purchases.tickets,
      seatsSold: purchases.seats,
      grossRevenueMinor: purchases.revenueMinor,
    });
  });
});
