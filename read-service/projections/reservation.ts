import type { ReadEnvelope } from '../decode';
import { Payload } from './payload';
import type { ViewWrite } from './types';

export function projectReservation(e: ReadEnvelope): ViewWrite {
  const p = new Payload(e);
  const base = { view: 'reservations' as const, id: e.aggregateId, version: e.aggregateVersion };
  // Every reservation event carries the showtime and seats, so the seat map never waits for the
  // creation event.
  const where = { showtimeId: p.str('showtimeId'), seats: p.seats() };
  switch (e.eventType) {
    case 'ReservationCreated':
      return {
        ...base,
        facts: {
          ...where,
          customerId: p.str('customerId'),
          totalAmountMinor: p.int('totalAmountMinor'),
          currency: p.str('currency'),
          holdExpiresAt: p.time('holdExpiresAt'),
        },
        state: { status: 'Pending' },
      };
    case 'ReservationConfirmed':
      return {
        ...base,
        facts: { ...where, customerId: p.str('customerId'), confirmedAt: p.time('confirmedAt') },
        state: { status: 'Confirmed' },
      };
    case 'ReservationCancelled':
      return {
        ...base,
        facts: { ...where, cancelledAt: p.time('cancelledAt'), cancelReason: p.str('reason') },
        state: { status: 'Cancelled' },
      };
    case 'ReservationExpired':
      return { ...base, facts: { ...where, expiredAt: p.time('expiredAt') }, state: { status: 'Expired' } };
    default:
      throw new Error(`not a reservation event: ${e.eventType}`);
  }
}
