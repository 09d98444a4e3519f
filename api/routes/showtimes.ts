/**
 * Scheduling a showtime (the GETs are the gateway's, from the read model):
 *
 *   POST /api/showtimes   admin   201 showtime | 400 | 404 movie/auditorium | 409 overlap | 422 in the past
 *
 * The overlap check and the insert share one transaction that first locks the auditorium row
 * (ShowtimeRepository.scheduleAround), so two concurrent schedulers of one hall can't both pass.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { Money } from '../../domain/shared/money';
import { err, ok } from '../../domain/shared/result';
import { Showtime } from '../../domain/showtime/showtime';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { fromDomainError } from '../http/api-error';
import { systemDomainContext } from '../http/domain-context';
import { requestIdOf } from '../http/request-id';
import { parseInput } from '../http/validate';
import { showtimeBody } from '../presenters/showtime';
import { createShowtimeBodySchema } from '../schemas/showtime';

export function showtimeRoutes(deps: ApiDeps): Router {
  const router = Router();
  const ctx = deps.domainContext ?? systemDomainContext;

  router.post('/api/showtimes', requireRole('admin'), async (req, res) => {
    const body = parseInput(createShowtimeBodySchema, req.body, 'body');
    const price = Money.fromDecimal(body.price, body.currency);
    if (!price.ok) throw fromDomainError(price.error);

    const result = await deps.uow.run(
      async (tx) => {
        const movie = await tx.showtimes.getMovie(body.movieId);
        if (!movie) return err('MovieNotFound', `No movie ${body.movieId}`);
        const auditorium = await tx.showtimes.getAuditorium(body.auditoriumId);
        if (!auditorium) return err('AuditoriumNotFound', `No auditorium ${body.auditoriumId}`);
        const existingShowtimes = await tx.showtimes.scheduleAround(auditorium.id, body.startsAt);
        const showtime = Showtime.schedule(
          {
            id: randomUUID(),
            movie,
            auditorium,
            startsAt: body.startsAt,
            pricePerSeat: price.value,
            existingShowtimes,
          },
          ctx,
        );
        if (!showtime.ok) return showtime;
        await tx.showtimes.save(showtime.value);
        return ok(showtimeBody({ showtime: showtime.value, movie, auditorium }, []));
      },
      { correlationId: requestIdOf(res), requestId: requestIdOf(res) },
    );
    if (!result.ok) throw fromDomainError(result.error);
    req.log.info({ showtimeId: result.value.id }, 'showtime scheduled');
    res.status(201).location(`/api/showtimes/${result.value.id}`).json(result.value);
  });

  return router;
}
