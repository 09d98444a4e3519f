/**
 * Ticket commands (the GETs are the gateway's, from the read model):
 *
 *   POST /api/tickets/:id/validate   staff or admin   200 { valid, ... } | 404
 *   POST /api/tickets/:id/use        staff or admin   200 { id, status: "Used", usedAt } | 404 | 409 used/voided/refunded
 *
 * Validate only reads, but it is the door scanner's question "may this ticket enter now?", so it
 * reads the write database: a ticket used a moment ago must not look valid.
 */
import { Router } from 'express';
import { err, ok } from '../../domain/shared/result';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { fromDomainError, notFound } from '../http/api-error';
import { systemDomainContext } from '../http/domain-context';
import { requestIdOf } from '../http/request-id';
import { parseInput } from '../http/validate';
import { ticketUsedBody, ticketValidationBody } from '../presenters/ticket';
import { idParamsSchema } from '../schemas/common';

export function ticketRoutes(deps: ApiDeps): Router {
  const router = Router();
  const ctx = deps.domainContext ?? systemDomainContext;

  router.post('/api/tickets/:id/validate', requireRole('staff', 'admin'), async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    const ticket = await deps.repos.tickets.get(id);
    if (!ticket) throw notFound('TicketNotFound', `No ticket ${id}`);
    res.json(ticketValidationBody(ticket, await deps.repos.payments.get(ticket.paymentId)));
  });

  router.post('/api/tickets/:id/use', requireRole('staff', 'admin'), async (req, res) => {
    const { id } = parseInput(idParamsSchema, req.params, 'params');
    const result = await deps.uow.run(
      async (tx) => {
        // Decided under the ticket's row lock, the refund's lock order (ticket, then payment): a
        // refund that began first is seen and refused here, one that comes later sees Used.
        const ticket = await tx.tickets.getForUpdate(id);
        if (!ticket) return err('TicketNotFound', `No ticket ${id}`);
        const used = ticket.use(ctx, await tx.payments.get(ticket.paymentId));
        if (!used.ok) return used;
        await tx.tickets.save(ticket);
        return ok(ticket);
      },
      { correlationId: requestIdOf(res), requestId: requestIdOf(res) },
    );
    if (!result.ok) throw fromDomainError(result.error);
    req.log.info({ ticketId: id }, 'ticket used');
    res.json(ticketUsedBody(result.value));
  });

  return router;
}
