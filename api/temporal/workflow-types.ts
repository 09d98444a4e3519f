/**
 * Workflow type names the API starts by name (the API never imports workflow code, only the
 * contracts), and the bounded wait for a workflow's result shared by the routes that answer
 * once a workflow ends.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';

export const PURCHASE_WORKFLOW_TYPE = 'ticketPurchase';
export const REFUND_WORKFLOW_TYPE = 'refundTicket';
export const RESERVATION_HOLD_WORKFLOW_TYPE = 'reservationHold';

/** The workflow ended within the wait (with its result), or is still running. */
export type Waited<R> = { readonly done: true; readonly result: R } | { readonly done: false };

/**
 * Waits up to `waitMs` for the workflow's result. The wait is an aborted long poll rather than a
 * race against a timer, so no call to the server outlives the HTTP request that made it.
 * `shutdown` ends the wait early: a stopping node answers "still running" at once instead of
 * holding the client until it is killed (the workflow goes on in Temporal either way).
 */
export async function awaitResult<W extends Workflow>(
  client: Client,
  handle: WorkflowHandle<W>,
  waitMs: number,
  shutdown?: AbortSignal,
): Promise<Waited<WorkflowResultType<W>>> {
  if (waitMs <= 0 || shutdown?.aborted) return { done: false };
  const timeout = AbortSignal.timeout(waitMs);
  const signal = shutdown ? AbortSignal.any([timeout, shutdown]) : timeout;
  try {
    const result = await client.withAbortSignal(signal, () => handle.result());
    return { done: true, result };
  } catch (error) {
    if (signal.aborted) return { done: false };
    throw error;
  }
}
