/** Payments (api/routes/payments.ts, GETs: api/gateway/read-routes.ts). */
import { refundBodySchema } from '../../schemas/payment';
import { paymentBody, refundBody, refundPendingBody } from '../bodies/resources';
import { failure, json, operation, SURFACES } from '../operation';
import { badId, idPath, notFound, READ_MODEL_NOTE } from './reads';

const tags = ['Payments'];

export const paymentOperations = [
  operation('get', '/api/payments/{id}', ['gateway'], {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'getPayment',
    summary: 'A payment (card data never appears)',
    description: READ_MODEL_NOTE,
    requestParams: { path: idPath },
    responses: { 200: json('The payment', paymentBody), 400: badId, 404: notFound('PaymentNotFound') },
  }),
  operation('post', '/api/payments/{id}/refund', SURFACES, {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'refundPayment',
    summary: 'Refund a completed payment: refund the charge, mark the ticket refunded, free the seats',
    description:
      'Runs the refundTicket workflow and waits for it as long as a purchase waits. Refunding an ' +
      'already refunded payment answers the same 200 again and changes nothing.',
    requestParams: { path: idPath },
    requestBody: {
      required: true,
      content: { 'application/json': { schema: refundBodySchema, example: { reason: 'Customer request' } } },
    },
    responses: {
      200: json('Refunded (now or before)', refundBody),
      202: json(
        'The refund workflow is still running; GET the payment until it is Refunded',
        refundPendingBody,
      ),
      400: failure('ValidationFailed (e.g. no reason), MalformedJson'),
      404: failure('PaymentNotFound'),
      409: failure('PaymentNotCompleted, TicketAlreadyUsed: this payment can not be refunded'),
    },
  }),
];
