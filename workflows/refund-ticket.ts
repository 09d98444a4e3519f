/**
 * A customer's refund of a paid purchase (workflow id `refund-<paymentId>`):
 *
 *   refund the payment -> mark the ticket Refunded -> give the seats back
 *
 * Each step is idempotent. The first one refuses what may not be refunded (unknown or unpaid
 * payment, ticket already used) before any money moves; once the money is back, the other two
 * are retried until they succeed.
 */
import { workflowInfo } from '@temporalio/workflow';
import { retriedUntilDone, refundCompletedPayment } from './activities';
import type { RefundTicketInput, RefundTicketResult } from './refund-contract';
import { businessFailureOf } from './support';

export async function refundTicket(input: RefundTicketInput): Promise<RefundTicketResult> {
  const refundId = workflowInfo().workflowId;
  const { paymentId, reason, requestId } = input;
  try {
    const refunded = await refundCompletedPayment({ refundId, requestId, paymentId, reason });
    const { reservationId } = refunded;
    const ticket = await retriedUntilDone.markTicketRefunded({ refundId, requestId, reservationId, reason });
    await retriedUntilDone.releaseSeats({
      workflowId: refundId,
      requestId,
      sagaEvents: [],
      reservationId,
      reason: `Refunded: ${refunded.refundReason}`,
    });
    return {
      success: true,
      id: paymentId,
      status: 'Refunded',
      refundedAmount: refunded.refundedAmount,
      refundedAmountMinor: refunded.refundedAmountMinor,
      currency: refunded.currency,
      refundReason: refunded.refundReason,
      reservationId,
      ticketId: ticket.ticketId,
    };
  } catch (error) {
    const business = businessFailureOf(error);
    if (business === null) throw error;
    return { success: false, id: paymentId, error: business.message, code: business.code };
  }
}
