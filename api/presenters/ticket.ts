/** The ticket JSON: the ticket, its validation and its use at the door. */
import type { PaymentSnapshot } from '../../domain/payment/payment';
import type { Ticket } from '../../domain/ticket/ticket';
import { TicketStatus } from '../../domain/ticket/ticket-status';
import type { TicketBody, TicketUsedBody, TicketValidationBody } from '../openapi/bodies/resources';
import { decimalAmount } from './money';

/** `qrCode`: the signed code (providers/ticket-qr); the ticket alone knows only the unsigned form. */
export function ticketBody(ticket: Ticket, qrCode: string = ticket.qrCode): TicketBody {
  const t = ticket.toSnapshot();
  return {
    id: t.id,
    ticketNumber: t.ticketNumber,
    reservationId: t.reservationId,
    paymentId: t.paymentId,
    showtimeId: t.showtimeId,
    customerId: t.customerId,
    movieTitle: t.movieTitle,
    screeningTime: t.screeningTime,
    auditoriumName: t.auditoriumName,
    seats: t.seats.map((s) => ({ row: s.row, number: s.number })),
    totalPrice: decimalAmount(t.totalAmountMinor, t.currency),
    status: t.status,
    qrCode,
  };
}

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
