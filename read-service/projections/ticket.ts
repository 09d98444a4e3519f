import type { ReadEnvelope } from '../decode';
import { utc } from './time';
import type { ViewWrite } from './types';

export function projectTicket(e: ReadEnvelope): ViewWrite {
  const base = { view: 'tickets' as const, id: e.aggregateId, version: e.aggregateVersion };
  switch (e.eventType) {
    case 'TicketIssued': {
      const p = e.payload;
      // Everything the public ticket JSON shows, qrCode included.
      return {
        ...base,
        facts: {
          ticketNumber: p.ticketNumber,
          reservationId: p.reservationId,
          paymentId: p.paymentId,
          showtimeId: p.showtimeId,
          customerId: p.customerId,
          movieTitle: p.movieTitle,
          screeningTime: utc(p.screeningTime),
          auditoriumName: p.auditoriumName,
          seats: p.seats,
          totalAmountMinor: p.totalAmountMinor,
          currency: p.currency,
          qrCode: p.qrCode,
          issuedAt: utc(p.issuedAt),
        },
        state: { status: 'Issued' },
      };
    }
    case 'TicketUsed': {
      const p = e.payload;
      return {
        ...base,
        facts: { ticketNumber: p.ticketNumber, usedAt: utc(p.usedAt) },
        state: { status: 'Used' },
      };
    }
    case 'TicketCancelled': {
      const p = e.payload;
      return {
        ...base,
        facts: { ticketNumber: p.ticketNumber, cancelledAt: utc(p.cancelledAt), cancelReason: p.reason },
        state: { status: 'Voided' },
      };
    }
    case 'TicketRefunded': {
      const p = e.payload;
      return {
        ...base,
        facts: { ticketNumber: p.ticketNumber, refundedAt: utc(p.refundedAt), refundReason: p.reason },
        state: { status: 'Refunded' },
      };
    }
    default:
      throw new Error(`not a ticket event: ${e.eventType}`);
  }
}
