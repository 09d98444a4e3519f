/**
 * Every GET of a resource an API node answers itself, by ResourceQueries. Kept apart from the commands:
 * through the gateway these GETs go to the read service instead (api/gateway/read-routes.ts).
 *
 *   GET /api/payments/:id                     owner or admin   200 | 404
 *   GET /api/tickets/:id                      owner or admin   200 | 404
 *   GET /api/tickets/by-number/:ticketNumber  owner or admin   200 | 404
 *   GET /api/reservations/:id                 owner or admin   200 | 404
 *   GET /api/showtimes/:id                    public           200 | 404
 *
 * Another customer's payment, ticket or reservation is 404, exactly like a missing one.
 */
import { Router, type Request, type Response } from 'express';
import { ownedOrNotFound, requireRole } from '../auth';
import { resourceNotFound } from '../http/api-error';
import { parseInput } from '../http/validate';
import type { ResourceQueries } from '../queries/resource-queries';
import { idParamsSchema } from '../schemas/common';
import { ticketNumberParamsSchema } from '../schemas/ticket';

export function queryRoutes(queries: ResourceQueries): Router {
  const router = Router();

  const byId = <T>(what: 'Showtime', lookup: (id: string) => Promise<T | null>) =>
    async function handler(req: Request, res: Response) {
      const { id } = parseInput(idParamsSchema, req.params, 'params');
      const found = await lookup(id);
      if (found === null) throw resourceNotFound(what, id);
      res.json(found);
    };

  const customerData = requireRole('customer', 'admin');

  // Registered before /api/tickets/:id so "by-number" is never taken for a ticket id.
  router.get('/api/tickets/by-number/:ticketNumber', customerData, async (req, res) => {
    const { ticketNumber } = parseInput(ticketNumberParamsSchema, req.params, 'params');
    const ticket = ownedOrNotFound(res, await queries.ticketByNumber(ticketNumber), () =>
      resourceNotFound('Ticket', ticketNumber),
    );
    res.json(ticket);
  });
  /** A customer's resource: the owner or an administrator sees it; anyone else gets the 404. */
  const owned = <T extends { customerId: string }>(
    what: 'Payment' | 'Ticket' | 'Reservation',
    lookup: (id: string) => Promise<T | null>,
  ) =>
    async function handler(req: Request, res: Response) {
      const { id } = parseInput(idParamsSchema, req.params, 'params');
      res.json(ownedOrNotFound(res, await lookup(id), () => resourceNotFound(what, id)));
    };
  router.get(
    '/api/payments/:id',
    customerData,
    owned('Payment', (id) => queries.payment(id)),
  );
  router.get(
    '/api/tickets/:id',
    customerData,
    owned('Ticket', (id) => queries.ticket(id)),
  );
  router.get(
    '/api/reservations/:id',
    customerData,
    owned('Reservation', (id) => queries.reservation(id)),
  );
  router.get(
    '/api/showtimes/:id',
    byId('Showtime', (id) => queries.showtime(id)),
  );

  return router;
}
