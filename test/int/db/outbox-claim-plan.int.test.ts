/**
 * The relay's claim walks the pending rows' index, whatever the statistics say. Statistics taken
 * while the outbox was full of pending rows (a backlog) make the planner read the whole table
 * instead once those rows are processed: a cost on every claim that grows with the retained rows
 * (bench:relay's "slow runs"). The relay's sessions carry CLAIM_SESSION_SETTINGS against it.
 * PostgreSQL only: the settings and plans are its own.
 */
import { openDatabase } from '../../../db/connect';
import type { Database } from '../../../db/database';
import { CLAIM_SESSION_SETTINGS, claimStatement } from '../../../db/outbox/outbox-store';
import { sql } from '../../../db/sql';
import { createTestDatabase, availableDialects, type TestDatabase } from './helpers';

const postgres = availableDialects().targets.find((t) => t.dialect === 'postgres')!;
const ROWS = 10_000;

let t: TestDatabase;
let relaySessions: Database;

beforeAll(async () => {
  t = await createTestDatabase(postgres, { prefix: 'claim_plan' });
  relaySessions = openDatabase(t.url, { poolMax: 2, postgresSettings: CLAIM_SESSION_SETTINGS });
  // A backlog, analysed while pending; then delivered; then a few new rows.
  await insertPending(ROWS);
  await t.db.query(sql`ANALYZE outbox_messages`);
  await t.db.query(sql`UPDATE outbox_messages SET processed_at = now()`);
  await insertPending(5);
});

afterAll(async () => {
  await relaySessions?.close();
  await t?.drop();
});

async function insertPending(n: number): Promise<void> {
  await t.db.query(sql`
    INSERT INTO outbox_messages (id, aggregate_type, aggregate_id, aggregate_version, event_type,
      schema_version, payload, occurred_at, shard_key)
    SELECT gen_random_uuid(), 'TicketPurchaseSaga', 'saga-' || gen_random_uuid(), 1, 'StepCompleted',
      1, '{}'::jsonb, now(), (random() * 1023)::int
    FROM generate_series(1, ${n}::int)`);
}

async function claimPlan(db: Database): Promise<string> {
  const claim = claimStatement({ shard: 1, shardCount: 4, limit: 500, leaseMs: 10_000 });
  const { rows } = await db.query(sql`EXPLAIN ${claim}`);
  return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
}

it('the hazard: a default session reads the whole table to claim', async () => {
  // If a later PostgreSQL plans this well by itself, the setting may go (and this test with it).
  expect(await claimPlan(t.db)).toMatch(/Seq Scan on outbox_messages/);
});

it("the relay's sessions walk ix_outbox_pending instead", async () => {
  const plan = await claimPlan(relaySessions);
  expect(plan).toMatch(/Index Scan using ix_outbox_pending/);
  expect(plan).not.toMatch(/Seq Scan/);
});
