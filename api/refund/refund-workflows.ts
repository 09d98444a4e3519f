/**
 * The API's side of the refundTicket workflow (refund payment -> mark the ticket refunded ->
 * release the seats, each step idempotent). Its id is `refund-<paymentId>`: a second request for
 * the same payment while one runs attaches to it (USE_EXISTING). Once a refund has finished,
 * another one may start (the default reuse policy): the workflow is idempotent, so for an already
 * refunded payment it changes nothing and answers with the refund that happened.
 */
import type { Client } from '@temporalio/client';
import {
  refundWorkflowId,
  type RefundTicketInput,
  type RefundTicketResult,
} from '../../workflows/refund-contract';
import { RequestId } from '../../workflows/search-attributes';
import { awaitResult, REFUND_WORKFLOW_TYPE, type Waited } from '../temporal/workflow-types';

export type RefundWorkflow = (input: RefundTicketInput) => Promise<RefundTicketResult>;

export interface RefundWorkflowOptions {
  readonly taskQueue: string;
  readonly responseWaitMs: number;
  /** Aborted when the node stops: the wait for a result ends at once (answered 202). */
  readonly shutdown?: AbortSignal;
}

export class RefundWorkflows {
  constructor(
    private readonly client: Client,
    private readonly options: RefundWorkflowOptions,
  ) {}

  /** Starts (or joins) the refund and waits a bounded time for its result. */
  async refund(
    input: RefundTicketInput,
  ): Promise<{ workflowId: string; outcome: Waited<RefundTicketResult> }> {
    const workflowId = refundWorkflowId(input.paymentId);
    const handle = await this.client.workflow.start<RefundWorkflow>(REFUND_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: this.options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { requestId: input.requestId },
      typedSearchAttributes: [{ key: RequestId, value: input.requestId }],
    });
    return {
      workflowId,
      outcome: await awaitResult(this.client, handle, this.options.responseWaitMs, this.options.shutdown),
    };
  }
}
