/**
 * The API's side of the reservationHold workflow: seats held without buying, released durably
 * when the hold runs out. The API mints the reservation id; the workflow id is
 * `reservation-<id>`. Placing and cancelling are workflow updates, so each POST answers with
 * what actually happened (held or refused; cancelled or too late) rather than "accepted".
 */
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { DeadlineExceeded } from '../../lib/deadline';
import {
  awaitPlacementUpdate,
  cancelReservationUpdate,
  reservationWorkflowId,
  type ReservationHoldInput,
  type ReservationHoldResult,
  type ReservationHoldView,
} from '../../workflows/reservation-contract';
import { CustomerId, RequestId, ShowtimeId } from '../../workflows/search-attributes';
import { ApiError } from '../http/api-error';
import { withTemporalDeadline } from '../temporal/deadline';
import { RESERVATION_HOLD_WORKFLOW_TYPE } from '../temporal/workflow-types';

export type ReservationHoldWorkflow = (input: ReservationHoldInput) => Promise<ReservationHoldResult>;

export interface ReservationHoldOptions {
  readonly taskQueue: string;
  readonly holdSeconds: number;
}

/** Placing touches the database once; a minute means the worker is gone, not busy. */
const UPDATE_TIMEOUT_MS = 60_000;

/** How a cancel went: the final view, or why it could not be done. */
export type CancelOutcome =
  | { readonly kind: 'cancelled'; readonly view: ReservationHoldView }
  | { readonly kind: 'no-hold' } // no reservationHold workflow for this id
  | { readonly kind: 'refused'; readonly message: string };

const claimedByPurchase: CancelOutcome = {
  kind: 'refused',
  message: 'A purchase is buying these seats; cancel the purchase instead',
};

export class ReservationHolds {
  constructor(
    private readonly client: Client,
    private readonly options: ReservationHoldOptions,
  ) {}

  /** Starts the hold and answers once the seats are held (Pending) or refused (Rejected). */
  async place(cmd: Omit<ReservationHoldInput, 'holdSeconds'>): Promise<ReservationHoldView> {
    const input: ReservationHoldInput = { ...cmd, holdSeconds: this.options.holdSeconds };
    const start = new WithStartWorkflowOperation<ReservationHoldWorkflow>(RESERVATION_HOLD_WORKFLOW_TYPE, {
      workflowId: reservationWorkflowId(cmd.reservationId),
      taskQueue: this.options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      memo: { requestId: cmd.requestId },
      typedSearchAttributes: [
        { key: CustomerId, value: cmd.customerId },
        { key: ShowtimeId, value: cmd.showtimeId },
        { key: RequestId, value: cmd.requestId },
      ],
    });
    // Update-with-start, not start then update: a hold refused at once (seats taken) ends its
    // workflow, and an update sent after that finds no running workflow to answer it.
    return this.withTimeout(() =>
      this.client.workflow.executeUpdateWithStart(awaitPlacementUpdate, { startWorkflowOperation: start }),
    );
  }

  async cancel(reservationId: string, reason: string): Promise<CancelOutcome> {
    const handle: WorkflowHandle<ReservationHoldWorkflow> = this.client.workflow.getHandle(
      reservationWorkflowId(reservationId),
    );
    try {
      const view = await this.withTimeout(() =>
        handle.executeUpdate(cancelReservationUpdate, { args: [reason] }),
      );
      if (view.status === 'Claimed') return claimedByPurchase;
      return { kind: 'cancelled', view };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        return {
          kind: 'refused',
          message: error.cause?.message ?? 'The reservation can no longer be cancelled',
        };
      }
      if (error instanceof WorkflowNotFoundError) {
        // No such workflow, or it has ended: an update can't reach a closed workflow.
        const final = await this.resultIfClosed(handle);
        if (!final) return { kind: 'no-hold' };
        // Cancelling a cancelled reservation again asks for nothing new: answer as before.
        if (final.status === 'Cancelled') return { kind: 'cancelled', view: final };
        if (final.status === 'Claimed') return claimedByPurchase;
        return { kind: 'refused', message: `The reservation is already ${final.status}` };
      }
      throw error;
    }
  }

  /** The final view of a closed hold, or null when there is no such workflow. */
  private async resultIfClosed(
    handle: WorkflowHandle<ReservationHoldWorkflow>,
  ): Promise<ReservationHoldView | null> {
    try {
      return await this.withTimeout(() => handle.result());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  private async withTimeout<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await withTemporalDeadline(this.client, UPDATE_TIMEOUT_MS, 'reservation hold', call);
    } catch (error) {
      if (error instanceof DeadlineExceeded) {
        throw new ApiError(
          503,
          'ReservationUnavailable',
          'The reservation did not answer in time; try again',
        );
      }
      throw error;
    }
  }
}
