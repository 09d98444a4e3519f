/**
 * The saga worker killed with SIGKILL mid-saga and restarted: every saga still completes or
 * compensates exactly once, and nothing is reserved, charged or issued twice (counted in SQL and
 * in the provider's ledger). The worker runs as the real entry file, `tsx workers/saga-worker.ts`,
 * in a child process pointed at this test's database and task queue, with a slow simulated
 * provider so that charges are in flight when it dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TicketPurchaseResult } from '../../../workflows/purchase-contract';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import {
  CARDS,
  customerState,
  ledgerEntry,
  outboxEventTypes,
  sagaEventVersions,
  seat,
  startSagaHarness,
  type Purchase,
  type SagaHarness,
} from './harness';

const ROOT = join(__dirname, '../../..');

let h: SagaHarness;
let worker: ChildProcess | null = null;

/** Starts the saga worker entry file; resolves once it logs that it polls the task queue. */
function startWorker(): Promise<ChildProcess> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['workers/saga-worker.ts'], {
    cwd: ROOT,
    detached: true, // its own process group: tsx runs the worker in a child of its own
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WRITE_DB_URL: h.database.url,
      SAGA_TASK_QUEUE: h.taskQueue,
      PAYMENT_SIM_LATENCY_MS: '1500',
      PAYMENT_SIM_TRANSIENT_FAILURES: '2',
      PAYMENT_SIM_LEDGER: 'database',
      LOG_LEVEL: 'info',
    },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"saga worker started"')) resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`saga worker exited (${code}) before starting:\n${output}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGKILL to the worker's process group (tsx and the node process running the worker). */
async function killWorker(child: ChildProcess): Promise<void> {
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  await exited(child);
}

async function countOf(statement: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await h.db.query(statement);
  return read.int(rows[0]?.n, 'n');
}

beforeAll(async () => {
  h = await startSagaHarness({ name: 'crash', inProcessWorker: false });
});

afterAll(async () => {
  if (worker) await killWorker(worker);
  await h?.close();
});

it('SIGKILL mid-saga, restart: each saga completes or compensates once, nothing happens twice', async () => {
  worker = await startWorker();
  const cards = [CARDS.visa, CARDS.visa2, CARDS.transient, CARDS.noFunds, CARDS.visa, CARDS.declined];
  const purchases: Purchase[] = [];
  for (const [i, card] of cards.entries()) {
    purchases.push(await h.startPurchase({ card, seats: [seat(3, i + 1), seat(4, i + 1)] }));
  }

  // Kill it while charges are in flight at the (slow) provider.
  while ((await countOf(sql`SELECT count(*) AS n FROM payments WHERE status = 'Processing'`)) < 2) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await killWorker(worker);
  worker = await startWorker();

  const results: TicketPurchaseResult[] = await Promise.all(purchases.map((p) => p.handle.result()));

  expect(results.map((r) => r.success)).toEqual([true, true, true, false, true, false]);
  for (const [i, purchase] of purchases.entries()) {
    const { sagaId, customerId } = purchase;
    const succeeded = results[i]?.success === true;
    const state = await customerState(h.db, customerId);
    expect(state).toMatchObject({
      liveSeats: succeeded ? 2 : 0,
      liveTickets: succeeded ? 1 : 0,
      charges: succeeded ? 1 : 0,
      moneyKeptMinor: succeeded ? 2500 : 0,
    });
    expect(state.paymentStatuses).toHaveLength(1);
    expect(await countOf(sql`SELECT count(*) AS n FROM reservations WHERE customer_id = ${customerId}`)).toBe(
      1,
    );
    expect(await countOf(sql`SELECT count(*) AS n FROM tickets WHERE customer_id = ${customerId}`)).toBe(
      succeeded ? 1 : 0,
    );
    const events = await outboxEventTypes(h.db, sagaId);
    const once = (type: string) => events.filter((e) => e === type).length;
    expect([once('SagaCompleted'), once('SagaCompensated')]).toEqual(succeeded ? [1, 0] : [0, 1]);
    expect([once('ReservationCreated'), once('PaymentCreated'), once('TicketIssued')]).toEqual(
      succeeded ? [1, 1, 1] : [1, 1, 0],
    );
    const versions = await sagaEventVersions(h.db, sagaId);
    expect(versions).toEqual(versions.map((_, v) => v + 1));
  }

  // The kill did hit charges in flight: some payment activity needed a second attempt.
  const retried = await Promise.all(
    purchases.map(async ({ handle }) => {
      const history = await handle.fetchHistory();
      return (history.events ?? []).some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    }),
  );
  expect(retried).toContain(true);
  const paymentIds = (await h.db.query(sql`SELECT id FROM payments`)).rows.map((r) => read.str(r.id, 'id'));
  for (const id of paymentIds) {
    const entry = await ledgerEntry(h.db, id);
    expect(['succeeded', 'declined']).toContain(entry?.status);
  }

  // SIGTERM: the Runtime shuts the worker down gracefully and the process exits cleanly.
  const running = worker;
  worker = null;
  running.kill('SIGTERM');
  expect(await exited(running)).toBe(0);
}, 180_000);
