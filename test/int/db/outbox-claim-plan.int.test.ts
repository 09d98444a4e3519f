/**
 * The relay's claim walks the pending rows' index, whatever the statistics say. Statistics taken
 * while the outbox was full of pending rows (a backlog) make the planner read the whole table
 * instead once those rows are processed, by a sequential scan or along another index on sequence:
 * a cost on every claim that grows with the retained rows (bench:relay's "slow runs"). Against it,
 * the relay's sessions carry CLAIM_SESSION_SETTINGS and migration 009 dropped the other index.
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
  // Autovacuum not yet round: the state it would clean up is what misleads the planner.
  await t.db.query(sql`ALTER TABLE outbox_messages SET (autovacuum_enabled = false)`);
  // A backlog, analysed while pending; then claimed and delivered (two updates a row, as the relay
  // does); another backlog delivered; then a few new rows.
  await insertPending(ROWS);
  await t.db.query(sql`ANALYZE outbox_messages`);
  await deliverPending();
  await insertPending(ROWS);
  await deliverPending();
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

async function deliverPending(): Promise<void> {
  await t.db.query(sql`
    UPDATE outbox_messages SET claimed_until = now() + interval '10 seconds' WHERE processed_at IS NULL`);
  await t.db.query(sql`
    UPDATE outbox_messages SET processed_at = now(), claimed_until = NULL WHERE processed_at IS NULL`);
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
  expect(plan).not.toMatch(/Seq Scan|ux_outbox_sequence/);
});
