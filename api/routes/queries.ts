/**
 * Every GET of a resource, answered by ReadQueries. Kept apart from the commands so that moving
 * queries to the read service (issue 6) swaps one dependency and leaves the commands untouched.
 *
 *   GET /api/payments/:id                     200 | 404
 *   GET /api/tickets/:id                      200 | 404
 *   GET /api/tickets/by-number/:ticketNumber  200 | 404
 *   GET /api/reservations/:id                 200 | 404
 *   GET /api/showtimes/:id                    200 | 404
 */
import { Router, type Request, type Response } from 'express';
import { notFound } from '../http/api-error';
import { parseInput } from '../http/validate';
import type { ReadQueries } from '../queries/read-queries';
import { idParamsSchema } from '../schemas/common';
import { ticketNumberParamsSchema } from '../schemas/ticket';

export function queryRoutes(queries: ReadQueries): Router {
  const router = Router();

  const byId = <T>(what: string, lookup: (id: string) => Promise<T | null>) =>
    async function handler(req: Request, res: Response) {
      const { id } = parseInput(idParamsSchema, req.params, 'params');
      const found = await lookup(id);
      if (found === null) throw notFound(`${what}NotFound`, `No ${what.toLowerCase()} ${id}`);
      res.json(found);
    };

  // Registered before /api/tickets/:id so "by-number" is never taken for a ticket id.
  router.get('/api/tickets/by-number/:ticketNumber', async (req, res) => {
    const { ticketNumber } = parseInput(ticketNumberParamsSchema, req.params, 'params');
    const ticket = await queries.ticketByNumber(ticketNumber);
    if (ticket === null) throw notFound('TicketNotFound', `No ticket ${ticketNumber}`);
    res.json(ticket);
  });
  router.get(
    '/api/payments/:id',
    byId('Payment', (id) => queries.payment(id)),
  );
  router.get(
    '/api/tickets/:id',
    byId('Ticket', (id) => queries.ticket(id)),
  );
  router.get(
    '/api/reservations/:id',
    byId('Reservation', (id) => queries.reservation(id)),
  );
  router.get(
    '/api/showtimes/:id',
    byId('Showtime', (id) => queries.showtime(id)),
  );

  return router;
}
