/**
 * The ticket answers of an API node's door commands: its validation and its use. The ticket itself
 * is shown by the gateway, from the read model (api/gateway/views.ts).
 */
import type { PaymentSnapshot } from '../../domain/payment/payment';
import type { Ticket } from '../../domain/ticket/ticket';
import { TicketStatus } from '../../domain/ticket/ticket-status';
import type { TicketUsedBody, TicketValidationBody } from '../openapi/bodies/resources';

/** Seed shape; `reason` is added only when the ticket is not valid, to say why. */
export function ticketValidationBody(
  ticket: Ticket,
  payment?: Pick<PaymentSnapshot, 'status'> | null,
): TicketValidationBody {
  const v = ticket.validate(payment);
  return {
    valid: v.valid,
    ticketNumber: v.ticketNumber,
    movieTitle: v.movieTitle,
    screeningTime: v.screeningTime,
    seats: v.seats,
    ...(v.valid || v.reason === null ? {} : { reason: v.reason }),
  };
}

/** Only for a ticket just used (POST /api/tickets/{id}/use): anything else is a bug of the caller. */
export function ticketUsedBody(ticket: Ticket): TicketUsedBody {
  const { status, usedAt } = ticket;
  if (status !== TicketStatus.Used || usedAt === null) throw new Error(`ticket ${ticket.id} is not used`);
  return { id: ticket.id, status, usedAt: usedAt.toISOString() };
}
