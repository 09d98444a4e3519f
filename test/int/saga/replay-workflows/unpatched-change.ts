/**
 * Test-only workflow code for replay.int.test.ts, never registered by a worker: the purchase saga
 * with a new first step (record the saga's events before reserving seats) added the unsafe way.
 * Runs recorded before the change never scheduled that activity, so replaying them must fail.
 */
import { ticketPurchase as current } from '../../../../workflows/ticket-purchase';
import type { TicketPurchaseInput, TicketPurchaseResult } from '../../../../workflows/purchase-contract';
import { retriedUntilDone } from '../../../../workflows/activities';

export async function ticketPurchase(input: TicketPurchaseInput): Promise<TicketPurchaseResult> {
  await retriedUntilDone.recordSagaEvents({
    workflowId: input.sagaId,
    requestId: input.requestId,
    sagaEvents: [],
  });
  return current(input);
}
