/**
 * Holding seats without buying (the GET is the gateway's, from the read model):
 *
 *   POST /api/reservations              customer         201 reservation | 400 | 404 showtime | 409 seat taken | 422
 *   POST /api/reservations/:id/cancel   owner or admin   200 reservation | 404 | 409 too late
 *
 * Each reservation is a reservationHold workflow that releases the seats durably when the hold
 * runs out (SEAT_HOLD_SECONDS). Seats already held or sold are refused before any workflow
 * starts (seat-precheck.ts).
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { actingCustomer, identityOf, ownedOrNotFound, requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { conflict, fromDomainError, notFound } from '../http/api-error';
import { systemDomainContext } from '../http/domain-context';
import { rateLimited } from '../http/abuse-limits';
import { requestIdOf } from '../http/request-id';
import { parseInput } from '../http/validate';
import { reservationBody } from '../presenters/reservation';
import { ReservationHolds } from '../reservation-hold/reservation-holds';
import { takenSeatProblem } from '../seats/seat-precheck';
import { idParamsSchema } from '../schemas/common';
import { cancelReservationBodySchema, createReservationBodySchema } from '../schemas/reservation';

export function reservationRoutes(deps: ApiDeps): Router {
  const router = Router();
  const ctx = deps.domainContext ?? systemDomainContext;
  const holds = new ReservationHolds(deps.temporal, {
    taskQueue: deps.config.SAGA_TASK_QUEUE,
    holdSeconds: deps.config.SEAT_HOLD_SECONDS,
  });

  /** The reservation row as answered (the workflow has committed it before answering). */
  const loadBody = async (id: string) => {
    const reservation = await deps.repos.reservations.get(id);
    if (!reservation) throw new Error(`reservation ${id} answered by its workflow but not in the database`);
    return reservationBody(reservation);
  };

  router.post(
    '/api/reservations',
    requireRole('customer'),
    ...rateLimited(deps, 'hold'),
    async (req, res) => {
      const body = parseInput(createReservationBodySchema, req.body, 'body');
      const customerId = actingCustomer(identityOf(res), body.customerId);
      await deps.limits?.checkSeatCap(deps.db, customerId, body.seats.length);
      const showtime = await deps.repos.showtimes.get(body.showtimeId);
      if (!showtime) throw notFound('ShowtimeNotFound', `No showtime ${body.showtimeId}`);
      if (showtime.hasStartedAt(ctx.clock.now())) {
        throw fromDomainError({ code: 'ShowtimeInPast', message: 'The showtime has already started' });
      }
      const taken = await takenSeatProblem(deps, showtime.id, body.seats, ctx.clock.now());
      if (taken) throw taken;

      const reservationId = randomUUID();
      const view = await holds.place({
        reservationId,
        showtimeId: body.showtimeId,
        customerId,
        seats: body.seats.map((s) => ({ row: s.row, number: s.number })),
        requestId: requestIdOf(res),
      });
      if (view.status === 'Rejected') {
        throw fromDomainError({ code: view.code ?? 'SeatAlreadyTaken', message: view.reason ?? 'Refused' });
      }
      req.log.info({ reservationId, showtimeId: body.showtimeId }, 'seats held');
      res
        .status(201)
        .location(`/api/reservations/${reservationId}`)
        .json(await loadBody(reservationId));
    },
  );

  router.post('/api/reservations/:id/cancel', requireRole('customer', 'admin'), async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    const { reason } = parseInput(cancelReservationBodySchema, req.body, 'body');
    ownedOrNotFound(res, await deps.repos.reservations.get(id), () =>
      notFound('ReservationNotFound', `No reservation ${id}`),
    );
    const outcome = await holds.cancel(id, reason);
    switch (outcome.kind) {
      case 'cancelled':
        req.log.info({ reservationId: id }, 'reservation cancelled');
        res.json(await loadBody(id));
        return;
      case 'refused':
        throw conflict('ReservationNotCancellable', outcome.message);
      case 'no-hold':
        // A purchase's reservation has no hold workflow: the purchase saga owns it.
        if (await deps.repos.reservations.get(id)) {
          throw conflict(
            'ReservationNotCancellable',
            'This reservation belongs to a purchase; cancel the purchase',
          );
        }
        throw notFound('ReservationNotFound', `No reservation ${id}`);
    }
  });

  return router;
}
