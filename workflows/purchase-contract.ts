/**
 * The contract between the API (Temporal client) and the purchase saga: workflow input and
 * result, its query, signal and update. Imported by workflow code, so it stays sandbox-safe
 * (types and define* calls only). No card number appears anywhere in it: the API tokenizes the
 * card at the edge and the saga only ever sees the provider token, brand and last four digits.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PaymentMethod, SagaStatusView, SeatRef } from '../domain';

export const PURCHASE_WORKFLOW_ID_PREFIX = 'purchase-';

export interface PurchasePayment {
  readonly method: PaymentMethod;
  /** Opaque provider token minted at the API edge; the raw card number never reaches Temporal. */
  readonly token: string;
  readonly cardBrand: string | null;
  readonly cardLast4: string | null;
  readonly cardHolderName: string | null;
}

export interface TicketPurchaseInput {
  /** Equals the workflow id: `purchase-<Idempotency-Key or uuid>`. */
  readonly sagaId: string;
  /** Follows the purchase from the gateway into the workflow and its Kafka events. */
  readonly requestId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly seats: readonly SeatRef[];
  readonly payment: PurchasePayment;
  /** How long seats stay held waiting for payment before the saga gives them back. */
  readonly holdSeconds: number;
  /**
   * The customer's hold (`POST /api/reservations`) to buy: the saga takes it over instead of
   * reserving `seats` anew, and pays before that hold runs out. Absent: reserve anew.
   */
  readonly reservationId?: string;
}

export interface PurchaseSucceeded {
  readonly success: true;
  readonly sagaId: string;
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly reservationId: string;
  readonly paymentId: string;
  readonly movieTitle: string;
  readonly screeningTime: string;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number;
  readonly currency: string;
  /** The status query's answer at the end (absent in runs that ended before it was added). */
  readonly finalStatus?: SagaStatusView;
}

export interface PurchaseFailed {
  readonly success: false;
  readonly sagaId: string;
  /** "Compensated: <reason>". */
  readonly error: string;
  /** Stable code of what went wrong (a domain error code, PaymentDeclined, HoldExpired, Cancelled...). */
  readonly code: string;
  /** The status query's answer at the end (absent in runs that ended before it was added). */
  readonly finalStatus?: SagaStatusView;
}

/**
 * A purchase ends with a ticket or a clean rollback; both are normal results, not workflow failures.
 * The result carries the final status so the API answers a finished purchase's status from the
 * closed workflow's result (no worker involved) instead of a query, which replays the whole
 * history on a saga worker: a flood of status polls can't starve live purchases.
 */
export type TicketPurchaseResult = PurchaseSucceeded | PurchaseFailed;

/** The status body, answered for running and closed sagas. */
export const statusQuery = defineQuery<SagaStatusView>('status');

/** Fire-and-forget cancel (handy from the CLI: `temporal workflow signal --name cancel`). */
export const cancelSignal = defineSignal<[reason?: string]>('cancel');

/**
 * Cancel that answers: rejected once the ticket is issued or the saga has ended. The reason is a
 * required argument (may be empty) because the client's typed executeUpdate can't take optional ones.
 */
export const cancelUpdate = defineUpdate<SagaStatusView, [reason: string]>('cancelPurchase');

/**
 * Operator commands for a saga whose compensation failed for good (status Failed, waiting):
 * retry it once the cause is fixed, or abandon it (the reason says what was done by hand).
 *   temporal workflow update execute --workflow-id purchase-<key> --name retryCompensation
 *   temporal workflow update execute --workflow-id purchase-<key> --name abandonCompensation --input '"why"'
 * Both are refused unless the saga is waiting for an operator.
 */
export const retryCompensationUpdate = defineUpdate<SagaStatusView>('retryCompensation');
export const abandonCompensationUpdate = defineUpdate<SagaStatusView, [reason: string]>(
  'abandonCompensation',
);
