import type { ReadEnvelope } from '../decode';
import { Payload } from './payload';
import type { ViewWrite } from './types';

export function projectTicket(e: ReadEnvelope): ViewWrite {
  const p = new Payload(e);
  const base = { view: 'tickets' as const, id: e.aggregateId, version: e.aggregateVersion };
  const ticketNumber = p.str('ticketNumber');
  switch (e.eventType) {
    case 'TicketIssued':
      // Everything the public ticket JSON shows, qrCode included.
      return {
        ...base,
        facts: {
          ticketNumber,
          reservationId: p.str('reservationId'),
          paymentId: p.str('paymentId'),
          showtimeId: p.str('showtimeId'),
          customerId: p.str('customerId'),
          movieTitle: p.str('movieTitle'),
          screeningTime: p.time('screeningTime'),
          auditoriumName: p.str('auditoriumName'),
          seats: p.seats(),
          totalAmountMinor: p.int('totalAmountMinor'),
          currency: p.str('currency'),
          qrCode: p.str('qrCode'),
          issuedAt: p.time('issuedAt'),
        },
        state: { status: 'Issued' },
      };
    case 'TicketUsed':
      return { ...base, facts: { ticketNumber, usedAt: p.time('usedAt') }, state: { status: 'Used' } };
    case 'TicketCancelled':
      return {
        ...base,
        facts: { ticketNumber, cancelledAt: p.time('cancelledAt'), cancelReason: p.str('reason') },
        state: { status: 'Voided' },
      };
    case 'TicketRefunded':
      return {
        ...base,
        facts: { ticketNumber, refundedAt: p.time('refundedAt'), refundReason: p.str('reason') },
        state: { status: 'Refunded' },
      };
    default:
      throw new Error(`not a ticket event: ${e.eventType}`);
  }
}
