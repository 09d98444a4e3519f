/**
 * Test-only workflow code for replay.int.test.ts: the same new first step as unpatched-change.ts,
 * behind patched(). A run that started before the change replays down the old path; a new run
 * takes the new one (and records the patch marker, so it replays that way too).
 */
import { patched } from '@temporalio/workflow';
import { ticketPurchase as current } from '../../../../workflows/ticket-purchase';
import type { TicketPurchaseInput, TicketPurchaseResult } from '../../../../workflows/purchase-contract';
import { retriedUntilDone } from '../../../../workflows/activities';

export async function ticketPurchase(input: TicketPurchaseInput): Promise<TicketPurchaseResult> {
  if (patched('record-events-before-reserving')) {
    await retriedUntilDone.recordSagaEvents({
      workflowId: input.sagaId,
      requestId: input.requestId,
      sagaEvents: [],
    });
  }
  return current(input);
}
