/**
 * Refunding a payment (the GET is the gateway's, from the read model):
 *
 *   POST /api/payments/:id/refund   owner or admin
 *                                   200 { id, status: "Refunded", refundedAmount, refundReason }
 *                                   | 202 still running | 400 | 404 | 409 not refundable
 *                                   | 422 RefundWindowClosed (a customer, within REFUND_CUTOFF_MINUTES
 *                                     of the screening; an administrator may refund at any time)
 *
 * The refund runs as the refundTicket workflow (refund the charge, mark the ticket refunded,
 * put the seats back on sale); the API waits for it as long as it waits for a purchase.
 */
import { Router } from 'express';
import { PaymentStatus } from '../../domain/payment/payment-status';
import type { Payment } from '../../domain/payment/payment';
import { identityOf, ownedOrNotFound, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, conflict, fromDomainError, notFound } from '../http/api-error';
import { systemDomainContext } from '../http/domain-context';
import { requestIdOf } from '../http/request-id';
import { parseInput } from '../http/validate';
import type { RefundBody, RefundPendingBody } from '../openapi/bodies/resources';
import { refundBody } from '../presenters/payment';
import { RefundWorkflows } from '../refund/refund-workflows';
import { idParamsSchema } from '../schemas/common';
import { refundBodySchema } from '../schemas/payment';

export function paymentRoutes(deps: ApiDeps): Router {
  const router = Router();
  const refunds = new RefundWorkflows(deps.temporal, {
    taskQueue: deps.config.SAGA_TASK_QUEUE,
    responseWaitMs: deps.config.PURCHASE_RESPONSE_WAIT_MS,
    shutdown: deps.shutdown,
  });

  const ctx = deps.domainContext ?? systemDomainContext;

  /** A customer's refund closes REFUND_CUTOFF_MINUTES before the screening. */
  const assertRefundWindowOpen = async (payment: Payment) => {
    const reservation = await deps.repos.reservations.get(payment.reservationId);
    const showtime = reservation && (await deps.repos.showtimes.get(reservation.showtimeId));
    if (!showtime) throw new Error(`payment ${payment.id} has no showtime`);
    const closesAt = showtime.startsAt.getTime() - deps.config.REFUND_CUTOFF_MINUTES * 60_000;
    if (ctx.clock.now().getTime() >= closesAt) {
      throw new ApiError(
        422,
        'RefundWindowClosed',
        `Refunds close ${deps.config.REFUND_CUTOFF_MINUTES} minutes before the screening`,
      );
    }
  };

  router.post('/api/payments/:id/refund', requireRole('customer', 'admin'), async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    const { reason } = parseInput(refundBodySchema, req.body, 'body');

    // Cheap pre-checks; the workflow decides under its own transactions.
    const payment = ownedOrNotFound(res, await deps.repos.payments.get(id), () =>
      notFound('PaymentNotFound', `No payment ${id}`),
    );
    if (payment.status === PaymentStatus.Refunded) {
      res.json(refundBody(payment)); // already refunded: the same answer again, nothing new done
      return;
    }
    if (identityOf(res).role === 'customer') await assertRefundWindowOpen(payment);
    if (payment.status !== PaymentStatus.Completed) {
      throw conflict(
        'PaymentNotCompleted',
        `Only a completed payment can be refunded (this one is ${payment.status})`,
      );
    }

    const { workflowId, outcome } = await refunds.refund({
      paymentId: id,
      reason,
      requestId: requestIdOf(res),
    });
    if (!outcome.done) {
      res
        .status(202)
        .json({
          success: true,
          pending: true,
          id,
          workflowId,
          statusUrl: `/api/payments/${id}`,
        } satisfies RefundPendingBody);
      return;
    }
    const result = outcome.result;
    if (!result.success) throw fromDomainError({ code: result.code, message: result.error });
    req.log.info({ paymentId: id, workflowId }, 'payment refunded');
    res.json({
      id: result.id,
      status: result.status,
      refundedAmount: result.refundedAmount,
      refundReason: result.refundReason,
    } satisfies RefundBody);
  });

  return router;
}
