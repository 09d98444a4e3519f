/**
 * An Idempotency-Key reused after its workflow is gone (Temporal's retention; here deleted on
 * purpose): the new run is a run of its own. It must not be handed the old run's stored step
 * results under its new ids: no charge without a payment row, no old ticket answered as new.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { CARDS, customerState, seat, startSagaHarness, type SagaHarness } from './harness';

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({ name: 'reusedkey' });
});

afterAll(async () => {
  await h?.close();
});

async function deleteWorkflow(workflowId: string): Promise<void> {
  await h.env.client.workflowService.deleteWorkflowExecution({
    namespace: h.env.client.options.namespace,
    workflowExecution: { workflowId },
  });
  // Deletion is asynchronous on the server: wait until the workflow is really gone.
  for (;;) {
    try {
      await h.env.client.workflow.getHandle(workflowId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Successful charges at the provider that no payments row records. */
async function unrecordedCharges(): Promise<number> {
  const { rows } = await h.db.query(sql`
    SELECT count(*) AS n FROM payment_sim_ledger l
    WHERE l.entry->>'status' = 'succeeded' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = l.charge_key)`);
  return read.int(rows[0]?.n, 'n');
}

it('a key reused after the workflow was deleted charges nothing unrecorded and answers no old ticket', async () => {
  const key = `reused-${randomUUID()}`;
  const customerId = `customer-${randomUUID().slice(0, 8)}`;
  const first = await h.startPurchase({ card: CARDS.visa, seats: [seat(5, 1)], key, customerId });
  const bought = await first.handle.result();
  if (!bought.success) throw new Error(`first purchase failed: ${bought.error}`);
  await deleteWorkflow(first.sagaId);

  const again = await h.startPurchase({ card: CARDS.visa, seats: [seat(5, 1)], key, customerId });
  const result = await again.handle.result();

  // The same seats are the first purchase's: the new run is refused before any charge.
  expect(result).toMatchObject({ success: false, code: 'SeatAlreadyTaken' });
  expect(await unrecordedCharges()).toBe(0);
  expect(await customerState(h.db, customerId)).toMatchObject({
    charges: 1,
    moneyKeptMinor: 1250,
    liveSeats: 1,
    liveTickets: 1,
    paymentStatuses: ['Completed'],
  });
});
