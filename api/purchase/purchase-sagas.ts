/**
 * The API's side of the purchase saga: start it (or attach to the one an Idempotency-Key already
 * started), wait a bounded time for its result, read its status, cancel it. Everything here talks
 * to Temporal through the contract in workflows/purchase-contract.ts.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { SagaState } from '../../domain/purchase/saga-state';
import type { SagaStatusView } from '../../domain/purchase/ticket-purchase-saga';
import { DeadlineExceeded } from '../../lib/deadline';
import {
  cancelUpdate,
  statusQuery,
  type PurchasePayment,
  type TicketPurchaseInput,
  type TicketPurchaseResult,
} from '../../workflows/purchase-contract';
import { CustomerId, RequestId, SagaStatus, ShowtimeId } from '../../workflows/search-attributes';
import { ApiError, conflict, notFound } from '../http/api-error';
import type { PurchaseRequest } from '../schemas/purchase';
import { withTemporalDeadline } from '../temporal/deadline';
import { noWorkerAnswered } from '../temporal/no-worker';
import { awaitResult, PURCHASE_WORKFLOW_TYPE, type Waited } from '../temporal/workflow-types';
import { FINGERPRINT_MEMO_KEY } from './fingerprint';

export type PurchaseWorkflow = (input: TicketPurchaseInput) => Promise<TicketPurchaseResult>;

export interface PurchaseSagaOptions {
  readonly taskQueue: string;
  readonly holdSeconds: number;
  readonly responseWaitMs: number;
  readonly nodeId: string;
  /** Aborted when the node stops: waits for a result end at once (answered 202). */
  readonly shutdown?: AbortSignal;
}

export interface PurchaseSagaStart {
  readonly sagaId: string;
  readonly requestId: string;
  readonly request: PurchaseRequest;
  /** Provider token, brand and last 4 (or the wallet token): never the card number. */
  readonly payment: PurchasePayment;
  readonly fingerprint: string;
  /** True when the client sent an Idempotency-Key, so another request may own this saga. */
  readonly keyed: boolean;
}

/**
 * How long the server gives the saga worker to finish a purchase's workflow task before it hands
 * the task out again (Temporal's default: 10 s). A purchase's tasks take milliseconds, and at most
 * 2 s under a 200-buyer burst, local activities included (bench:purchase race, 2026-12-08); a task
 * the worker never got (a worker killed holding it; the dev server dropping a dispatch it could not
 * finish within its own 3 s) is retried after 5 s instead of 10 with the buyer waiting. A local
 * activity still running at 80 % of it keeps the task alive (the SDK's heartbeat).
 */
export const PURCHASE_WORKFLOW_TASK_TIMEOUT = '5 seconds';

/** How long a status query or a cancel may take before the API gives up (a worker may be down). */
const WORKFLOW_CALL_TIMEOUT_MS = 10_000;

export class PurchaseSagas {
  constructor(
    private readonly client: Client,
    private readonly options: PurchaseSagaOptions,
  ) {}

  /**
   * Starts the saga, or returns the one already holding this id: `USE_EXISTING` attaches
   * concurrent duplicates to the running saga, and `REJECT_DUPLICATE` keeps a finished saga's id
   * from ever starting a second purchase (the duplicate gets the first one's answer instead).
   * A key reused with a different body is refused with 409.
   */
  async startOrAttach(cmd: PurchaseSagaStart): Promise<WorkflowHandle<PurchaseWorkflow>> {
    const input: TicketPurchaseInput = {
      sagaId: cmd.sagaId,
      requestId: cmd.requestId,
      showtimeId: cmd.request.showtimeId,
      customerId: cmd.request.customerId,
      seats: cmd.request.seats.map((s) => ({ row: s.row, number: s.number })),
      payment: cmd.payment,
      holdSeconds: this.options.holdSeconds,
      ...(cmd.request.reservationId === null ? {} : { reservationId: cmd.request.reservationId }),
    };
    let handle: WorkflowHandle<PurchaseWorkflow>;
    try {
      handle = await this.client.workflow.start<PurchaseWorkflow>(PURCHASE_WORKFLOW_TYPE, {
        workflowId: cmd.sagaId,
        taskQueue: this.options.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowTaskTimeout: PURCHASE_WORKFLOW_TASK_TIMEOUT,
        memo: {
          requestId: cmd.requestId,
          apiNode: this.options.nodeId,
          [FINGERPRINT_MEMO_KEY]: cmd.fingerprint,
        },
        typedSearchAttributes: [
          { key: SagaStatus, value: 'Started' },
          { key: CustomerId, value: input.customerId },
          { key: ShowtimeId, value: input.showtimeId },
          { key: RequestId, value: cmd.requestId },
        ],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      handle = this.client.workflow.getHandle<PurchaseWorkflow>(cmd.sagaId);
    }
    if (cmd.keyed) await this.assertSameRequest(handle, cmd.fingerprint);
    return handle;
  }

  /** Whether a saga with this id exists (running or closed within the namespace's retention). */
  async exists(sagaId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(sagaId).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** The customer a saga buys for (its CustomerId search attribute); null when there is no such saga. */
  async ownerOf(sagaId: string): Promise<string | null> {
    try {
      const description = await this.withTimeout(() => this.client.workflow.getHandle(sagaId).describe());
      return description.typedSearchAttributes.get(CustomerId) ?? null;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw this.translate(error, sagaId);
    }
  }

  awaitOutcome(handle: WorkflowHandle<PurchaseWorkflow>): Promise<Waited<TicketPurchaseResult>> {
    return awaitResult(this.client, handle, this.options.responseWaitMs, this.options.shutdown);
  }

  /**
   * The saga status body. A finished purchase's comes from its result (the server reads the
   * close event; no worker is involved), so polls of finished purchases cost the saga worker
   * nothing. A running purchase's, and that of a run whose result has none (it ended before
   * results carried it, or was terminated), come from the status query, which a saga worker
   * answers by replaying the history.
   */
  async status(sagaId: string): Promise<SagaStatusView> {
    const handle = this.client.workflow.getHandle<PurchaseWorkflow>(sagaId);
    try {
      return await this.withTimeout(
        async () => (await this.finalStatus(handle)) ?? handle.query(statusQuery),
      );
    } catch (error) {
      throw this.translate(error, sagaId);
    }
  }

  private async finalStatus(handle: WorkflowHandle<PurchaseWorkflow>): Promise<SagaStatusView | null> {
    const description = await handle.describe();
    if (description.status.name !== 'COMPLETED') return null;
    // Pinned to the run just described: a closed run's result is there at once, no long poll.
    const run = this.client.workflow.getHandle<PurchaseWorkflow>(handle.workflowId, description.runId);
    return (await run.result()).finalStatus ?? null;
  }

  /**
   * Asks the saga to abandon the purchase and answers with its status once it has. Refused with
   * 409 when it is too late: the saga has finished, its update validator rejects the cancel (the
   * purchase is already rolling back), or the cancel reached it while it issued the ticket, which
   * a cancel does not stop (the purchase then completes: a refund undoes it).
   */
  async cancel(sagaId: string, reason: string): Promise<SagaStatusView> {
    const handle = this.client.workflow.getHandle<PurchaseWorkflow>(sagaId);
    try {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') {
        throw conflict('TooLateToCancel', `The purchase has already finished (${description.status.name})`);
      }
      const status = await this.withTimeout(() => handle.executeUpdate(cancelUpdate, { args: [reason] }));
      if (status.status === SagaState.Completed) {
        throw conflict('TooLateToCancel', 'The ticket was issued before the cancel could take effect');
      }
      return status;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw conflict('TooLateToCancel', error.cause?.message ?? 'The purchase can no longer be cancelled');
      }
      if (error instanceof WorkflowNotFoundError && (await this.exists(sagaId))) {
        // It closed between describe and the update.
        throw conflict('TooLateToCancel', 'The purchase has already finished');
      }
      throw this.translate(error, sagaId);
    }
  }

  private async assertSameRequest(handle: WorkflowHandle<PurchaseWorkflow>, fingerprint: string) {
    const description = await handle.describe();
    const stored = description.memo?.[FINGERPRINT_MEMO_KEY];
    if (stored !== fingerprint) {
      throw conflict(
        'IdempotencyKeyReused',
        'This Idempotency-Key was already used for a different purchase request',
        { sagaId: handle.workflowId },
      );
    }
  }

  private withTimeout<T>(call: () => Promise<T>): Promise<T> {
    return withTemporalDeadline(this.client, WORKFLOW_CALL_TIMEOUT_MS, 'purchase saga', call);
  }

  private translate(error: unknown, sagaId: string): unknown {
    if (error instanceof ApiError) return error;
    if (error instanceof WorkflowNotFoundError) return notFound('SagaNotFound', `No purchase saga ${sagaId}`);
    if (error instanceof DeadlineExceeded || noWorkerAnswered(error)) {
      return new ApiError(503, 'SagaUnavailable', 'The purchase saga did not answer in time; try again');
    }
    return error;
  }
}
