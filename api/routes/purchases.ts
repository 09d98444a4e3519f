/**
 * The Ticket Purchase API: start the saga, read its status, cancel it in flight.
 *
 *   POST /api/ticketpurchase                  customer         200 ticket | 400 compensated | 202 still running
 *   GET  /api/ticketpurchase/:sagaId/status   owner or admin   200 status | 404
 *   POST /api/ticketpurchase/:sagaId/cancel   owner or admin   200 status | 404 | 409 too late
 *
 * The purchase belongs to the token's subject; a saga of another customer is 404 (SagaNotFound).
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { WorkflowFailedError } from '@temporalio/client';
import { isCardMethod } from '../../domain/payment/payment-method';
import { PURCHASE_WORKFLOW_ID_PREFIX, type PurchasePayment } from '../../workflows/purchase-contract';
import { actingCustomer, identityOf, mayAccessCustomerData, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, fromDomainError, notFound } from '../http/api-error';
import { rateLimited } from '../http/abuse-limits';
import { requestIdOf } from '../http/request-id';
import { parseInput } from '../http/validate';
import {
  purchaseFailedBody,
  purchasePendingBody,
  purchaseStatusUrl,
  purchaseSucceededBody,
  sagaStatusBody,
} from '../presenters/purchase';
import { purchaseFingerprint } from '../purchase/fingerprint';
import { PurchaseSagas } from '../purchase/purchase-sagas';
import { takenSeatProblem } from '../seats/seat-precheck';
import {
  cancelPurchaseBodySchema,
  idempotencyKeySchema,
  purchaseBodySchema,
  sagaParamsSchema,
  type PurchaseBody,
  type PurchaseRequest,
} from '../schemas/purchase';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export function purchaseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const sagas = new PurchaseSagas(deps.temporal, {
    taskQueue: deps.config.SAGA_TASK_QUEUE,
    holdSeconds: deps.config.SEAT_HOLD_SECONDS,
    responseWaitMs: deps.config.PURCHASE_RESPONSE_WAIT_MS,
    nodeId: deps.config.nodeId,
    shutdown: deps.shutdown,
  });

  /** The saga, if the caller may see it: another customer's is "not found", like a missing one. */
  const assertMaySee = async (res: Response, sagaId: string) => {
    const identity = identityOf(res);
    if (identity.role === 'admin') return;
    const owner = await sagas.ownerOf(sagaId);
    if (owner === null || !mayAccessCustomerData(identity, owner)) {
      throw notFound('SagaNotFound', `No purchase saga ${sagaId}`);
    }
  };

  router.post(
    '/api/ticketpurchase',
    requireRole('customer'),
    ...rateLimited(deps, 'purchase'),
    async (req, res) => {
      const requestId = requestIdOf(res);
      const body = parseInput(purchaseBodySchema, req.body, 'body');
      const customerId = actingCustomer(identityOf(res), body.customerId);
      const key = idempotencyKeyOf(req);
      const sagaId = `${PURCHASE_WORKFLOW_ID_PREFIX}${key ?? randomUUID()}`;
      const request: PurchaseRequest = {
        ...body,
        customerId,
        seats:
          body.reservationId === null ? (body.seats ?? []) : await heldSeats(deps, body, customerId, sagaId),
      };
      // A keyed retry of a purchase already holding its seats is not a new hold, nor is buying a hold.
      if (request.reservationId === null) {
        await deps.limits
          ?.checkSeatCap(deps.db, request.customerId, request.seats.length)
          .catch(async (error: unknown) => {
            if (!(key !== null && (await sagas.exists(sagaId)))) throw error;
          });
      }

      await precheck(deps, request, sagaId, key !== null, sagas);
      const payment = await tokenize(deps, request);
      const handle = await sagas.startOrAttach({
        sagaId,
        requestId,
        request,
        payment,
        fingerprint: purchaseFingerprint(request, request.card?.summary() ?? null),
        keyed: key !== null,
      });
      req.log.info(
        { sagaId, showtimeId: request.showtimeId, method: request.paymentMethod },
        'purchase saga started',
      );

      let outcome;
      try {
        outcome = await sagas.awaitOutcome(handle);
      } catch (error) {
        if (!(error instanceof WorkflowFailedError)) throw error;
        // Not a business failure (those are results): the workflow was terminated or broke.
        throw new ApiError(500, 'SagaFailed', 'The purchase saga ended abnormally; check its status', {
          sagaId,
        });
      }
      if (!outcome.done) {
        res.status(202).location(purchaseStatusUrl(sagaId)).json(purchasePendingBody(sagaId));
        return;
      }
      const result = outcome.result;
      req.log.info({ sagaId, success: result.success }, 'purchase saga answered');
      if (result.success) res.status(200).json(purchaseSucceededBody(result));
      else res.status(400).json(purchaseFailedBody(result));
    },
  );

  router.get('/api/ticketpurchase/:sagaId/status', requireRole('customer', 'admin'), async (req, res) => {
    const { sagaId } = parseInput(sagaParamsSchema, req.params, 'params');
    await assertMaySee(res, sagaId);
    res.json(sagaStatusBody(await sagas.status(sagaId)));
  });

  router.post('/api/ticketpurchase/:sagaId/cancel', requireRole('customer', 'admin'), async (req, res) => {
    const { sagaId } = parseInput(sagaParamsSchema, req.params, 'params');
    await assertMaySee(res, sagaId);
    const { reason } = parseInput(cancelPurchaseBodySchema, req.body, 'body');
    const view = await sagas.cancel(sagaId, reason);
    req.log.info({ sagaId, status: view.status }, 'purchase cancelled');
    res.json(sagaStatusBody(view));
  });

  return router;
}

/**
 * The seats of the hold being bought, checked as the saga's ReserveSeats will check them again
 * under the row lock (Reservation.claimFor): another customer's or an unknown hold is 404, one that
 * ended or lapsed or another purchase took is 409, other seats than the held ones are 422.
 */
async function heldSeats(
  deps: ApiDeps,
  body: PurchaseBody,
  customerId: string,
  sagaId: string,
): Promise<PurchaseRequest['seats']> {
  const reservationId = body.reservationId ?? '';
  const held = await deps.repos.reservations.get(reservationId);
  if (!held) throw notFound('ReservationNotFound', `No reservation ${reservationId}`);
  const now = deps.domainContext?.clock.now() ?? new Date();
  const claim = { purchaseSagaId: sagaId, customerId, showtimeId: body.showtimeId };
  const checked = held.claimFor(body.seats === undefined ? claim : { ...claim, seats: body.seats }, now);
  if (!checked.ok) throw fromDomainError(checked.error);
  return held.seatRefs();
}

function idempotencyKeyOf(req: Request): string | null {
  const raw = req.get(IDEMPOTENCY_KEY_HEADER);
  if (raw === undefined) return null;
  return parseInput(idempotencyKeySchema, raw, 'headers', IDEMPOTENCY_KEY_HEADER);
}

/**
 * Cheap checks before a saga is started (the saga checks again, under its own transaction): an
 * unknown showtime is 404, one that has started is 400, and seats a live claim holds are 409
 * SeatAlreadyTaken (seat-precheck.ts; a race the check cannot see still ends in the saga: 400,
 * compensated). A keyed retry of a purchase whose saga already exists skips them, so it gets the
 * first answer even after the showtime has started or its seats were sold, to it or to another.
 */
async function precheck(
  deps: ApiDeps,
  request: PurchaseRequest,
  sagaId: string,
  keyed: boolean,
  sagas: PurchaseSagas,
): Promise<void> {
  const problem = await problemBeforeSaga(deps, request);
  if (problem && !(keyed && (await sagas.exists(sagaId)))) throw problem;
}

async function problemBeforeSaga(deps: ApiDeps, request: PurchaseRequest): Promise<ApiError | null> {
  const showtime = await deps.repos.showtimes.get(request.showtimeId);
  const now = deps.domainContext?.clock.now() ?? new Date();
  if (!showtime) return notFound('ShowtimeNotFound', `No showtime ${request.showtimeId}`);
  if (showtime.hasStartedAt(now)) {
    return fromDomainError(
      { code: 'ShowtimeInPast', message: 'The showtime has already started' },
      { ruleStatus: 400 },
    );
  }
  // A held reservation's seats are its own (heldSeats checked the hold).
  if (request.reservationId !== null) return null;
  return takenSeatProblem(deps, showtime.id, request.seats, now);
}

/** The card number is turned into a provider token here and goes no further. */
async function tokenize(deps: ApiDeps, request: PurchaseRequest): Promise<PurchasePayment> {
  if (request.card && isCardMethod(request.paymentMethod)) {
    const card = await deps.tokenizer.tokenizeCard(request.card);
    return {
      method: request.paymentMethod,
      token: card.token,
      cardBrand: card.brand,
      cardLast4: card.last4,
      cardHolderName: request.cardHolderName,
    };
  }
  if (!deps.tokenizer.walletToken) {
    throw new ApiError(
      422,
      'PaymentMethodNotSupported',
      `The payment provider does not support ${request.paymentMethod}`,
    );
  }
  return {
    method: request.paymentMethod,
    token: await deps.tokenizer.walletToken(request.paymentMethod),
    cardBrand: null,
    cardLast4: null,
    cardHolderName: request.cardHolderName,
  };
}
