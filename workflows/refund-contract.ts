/**
 * The contract between the API (`POST /api/payments/{id}/refund`) and the refundTicket workflow.
 * Sandbox-safe: types only. Start it with workflow id `refundWorkflowId(paymentId)`: a second
 * refund request for the same payment then joins the running (or finished) refund instead of
 * starting another one.
 */
export const REFUND_WORKFLOW_ID_PREFIX = 'refund-';
export const refundWorkflowId = (paymentId: string): string => `${REFUND_WORKFLOW_ID_PREFIX}${paymentId}`;

export interface RefundTicketInput {
  readonly paymentId: string;
  /** As in `{ "reason": "Customer request" }`. */
  readonly reason: string;
  readonly requestId: string;
}

/** The refund response (`id`, `status`, `refundedAmount`, `refundReason`) plus what else was undone. */
export interface RefundSucceeded {
  readonly success: true;
  readonly id: string; // the payment id
  readonly status: 'Refunded';
  /** Decimal amount for the public JSON (25.00 -> 25); compute with refundedAmountMinor. */
  readonly refundedAmount: number;
  readonly refundedAmountMinor: number;
  readonly currency: string;
  readonly refundReason: string;
  readonly reservationId: string;
  /** The ticket marked Refunded, or null when the payment had no ticket. */
  readonly ticketId: string | null;
}

export interface RefundFailed {
  readonly success: false;
  readonly id: string; // the payment id
  readonly error: string;
  /** A domain error code: PaymentNotFound (404), PaymentNotCompleted, TicketAlreadyUsed (409)... */
  readonly code: string;
}

/** A refused refund is a normal result, not a failed workflow. */
export type RefundTicketResult = RefundSucceeded | RefundFailed;
