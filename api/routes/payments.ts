/**
 * Refunding a payment (the GET lives in routes/queries.ts):
 *
 *   POST /api/payments/:id/refund   200 { id, status: "Refunded", refundedAmount, refundReason }
 *                                   | 202 still running | 400 | 404 | 409 not refundable
 *
 * The refund runs as the refundTicket workflow (refund the charge, mark the ticket refunded,
 * put the seats back on sale); the API waits for it as long as it waits for a purchase.
 */
import { Router } from 'express';
import { PaymentStatus } from '../../domain/payment/payment-status';
import type { ApiDeps } from '../deps';
import { conflict, fromDomainError, notFound } from '../http/api-error';
import { requestIdOf } from '../http/request-id';
import { parseInput } from '../http/validate';
import { refundBody } from '../presenters/payment';
import { RefundWorkflows } from '../refund/refund-workflows';
import { idParamsSchema } from '../schemas/common';
import { refundBodySchema } from '../schemas/payment';

export function paymentRoutes(deps: ApiDeps): Router {
  const router = Router();
  const refunds = new RefundWorkflows(deps.temporal, {
    taskQueue: deps.config.SAGA_TASK_QUEUE,
    responseWaitMs: deps.config.PURCHASE_RESPONSE_WAIT_MS,
  });

  router.post('/api/payments/:id/refund', async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    const { reason } = parseInput(refundBodySchema, req.body, 'body');

    // Cheap pre-checks; the workflow decides under its own transactions.
    const payment = await deps.repos.payments.get(id);
    if (!payment) throw notFound('PaymentNotFound', `No payment ${id}`);
    if (payment.status === PaymentStatus.Refunded) {
      res.json(refundBody(payment)); // already refunded: the same answer again, nothing new done
      return;
    }
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
        .json({ success: true, pending: true, id, workflowId, statusUrl: `/api/payments/${id}` });
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
    });
  });

  return router;
}
