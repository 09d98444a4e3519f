/** The ticket JSON: the ticket, its validation and its use at the door. */
import type { PaymentSnapshot } from '../../domain/payment/payment';
import type { Ticket } from '../../domain/ticket/ticket';
import { decimalAmount } from './money';

/** `qrCode`: the signed code (providers/ticket-qr); the ticket alone knows only the unsigned form. */
export function ticketBody(ticket: Ticket, qrCode: string = ticket.qrCode) {
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
export function ticketValidationBody(ticket: Ticket, payment?: Pick<PaymentSnapshot, 'status'> | null) {
  const v = ticket.validate(payment);
  return {
    valid: v.valid,
    ticketNumber: v.ticketNumber,
    movieTitle: v.movieTitle,
    screeningTime: v.screeningTime,
    seats: v.seats,
    ...(v.valid ? {} : { reason: v.reason }),
  };
}

export function ticketUsedBody(ticket: Ticket) {
  return { id: ticket.id, status: ticket.status, usedAt: ticket.usedAt?.toISOString() ?? null };
}
