/** The Ticket Purchase API (api/routes/purchases.ts), answered by the API nodes. */
import { z } from 'zod';
import {
  cancelPurchaseBodySchema,
  idempotencyKeySchema,
  purchaseBodySchema,
  sagaParamsSchema,
} from '../../schemas/purchase';
import { errorBody } from '../bodies/common';
import {
  purchaseFailedBody,
  purchasePendingBody,
  purchaseSucceededBody,
  sagaStatusBody,
} from '../bodies/purchase';
import { failure, json, operation, SURFACES } from '../operation';

const tags = ['Purchases'];

const purchaseExample = {
  showtimeId: 'st-20261122-hall-1-1200',
  customerId: 'customer-123',
  seats: [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ],
  paymentMethod: 'CreditCard',
  cardNumber: '4111111111111111',
  cardHolderName: 'John Doe',
};

export const purchaseOperations = [
  operation('post', '/api/ticketpurchase', SURFACES, {
    roles: ['customer'],
    tags,
    operationId: 'purchaseTicket',
    summary: 'Buy seats: runs the purchase saga (hold seats, charge, confirm, issue the ticket)',
    description:
      'Starts the saga `purchase-<Idempotency-Key>` (a random key when the header is missing) and ' +
      'waits up to `PURCHASE_RESPONSE_WAIT_MS` for its result: 200 with the ticket, 400 when it ' +
      'rolled back, 202 while it is still running. Retrying with the same key and body never buys ' +
      "twice: it attaches to the running saga or gets the finished one's answer. The card number " +
      'is turned into a provider token at the edge and is never stored or logged. The demo data ' +
      'is seeded per day: take a `showtimeId` from `GET /api/showtimes` for the example. Test cards: ' +
      '4111111111111111 succeeds, 4000000000000002 is declined, 4000000000000259 hangs (202, then ' +
      'cancel it). To buy seats held with `POST /api/reservations`, send that `reservationId` ' +
      '(`seats` may then be left out): the saga takes the hold over instead of reserving anew, so ' +
      'nobody can take the seats in between, must pay before the hold runs out, and the hold no ' +
      'longer releases them; a failed purchase releases them like any other.',
    headerParams: {
      'Idempotency-Key': idempotencyKeySchema.optional().meta({
        description:
          'Makes the purchase idempotent: the saga id is `purchase-<key>`; the same key with a ' +
          'different body is refused with 409.',
        example: 'demo-1',
      }),
    },
    requestBody: {
      required: true,
      content: { 'application/json': { schema: purchaseBodySchema, example: purchaseExample } },
    },
    responses: {
      200: json('The ticket (the saga completed)', purchaseSucceededBody),
      202: json(
        'The saga is still running after the wait; poll `statusUrl` (also the `Location` header)',
        purchasePendingBody,
        { location: true },
      ),
      400: json(
        'The saga rolled back (`error` is "Compensated: <reason>"), or the request was refused ' +
          'before any saga started: ValidationFailed (with `fields`), MalformedJson, ShowtimeInPast',
        z.union([purchaseFailedBody, errorBody]),
      ),
      404: failure('ShowtimeNotFound; ReservationNotFound: no such hold of the caller'),
      409: failure(
        'IdempotencyKeyReused: this key was used for a different request (`sagaId` names it); ' +
          'HoldExpired: the hold ended or ran out; HoldAlreadyClaimed: another purchase is buying it; ' +
          'SeatAlreadyTaken: a wanted seat is held or sold, so no saga started (a buyer who races ' +
          "another past this check gets the saga's 400 instead)",
      ),
      422: failure(
        'PaymentMethodNotSupported: the payment provider has no wallet for this method; ' +
          'HoldSeatsMismatch: `seats` differ from the held seats',
      ),
      500: failure('SagaFailed: the saga was terminated or broke (`sagaId`); or InternalError'),
    },
  }),
  operation('get', '/api/ticketpurchase/{sagaId}/status', SURFACES, {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'getPurchaseStatus',
    summary: "A purchase saga's status (from Temporal, running or finished)",
    requestParams: { path: sagaParamsSchema },
    responses: {
      200: json('The saga status body', sagaStatusBody),
      400: failure('ValidationFailed: not a purchase saga id'),
      404: failure('SagaNotFound'),
      503: failure('SagaUnavailable: the saga did not answer in time (no worker?); or ServiceUnavailable'),
    },
  }),
  operation('post', '/api/ticketpurchase/{sagaId}/cancel', SURFACES, {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'cancelPurchase',
    summary: 'Abandon a running purchase; answers once it has rolled back',
    requestParams: { path: sagaParamsSchema },
    requestBody: {
      content: {
        'application/json': { schema: cancelPurchaseBodySchema, example: { reason: 'changed my mind' } },
      },
    },
    responses: {
      200: json('The status after compensation (`Compensated`)', sagaStatusBody),
      400: failure('ValidationFailed'),
      404: failure('SagaNotFound'),
      409: failure('TooLateToCancel: the ticket is issued or the saga has ended'),
      503: failure('SagaUnavailable; or ServiceUnavailable'),
    },
  }),
];
