import type { ReadEnvelope } from '../decode';
import { utc } from './time';
import type { ViewWrite } from './types';

export function projectReservation(e: ReadEnvelope): ViewWrite {
  const base = { view: 'reservations' as const, id: e.aggregateId, version: e.aggregateVersion };
  // Every reservation event carries the showtime and seats, so the seat map never waits for the
  // creation event.
  switch (e.eventType) {
    case 'ReservationCreated': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          showtimeId: p.showtimeId,
          seats: p.seats,
          customerId: p.customerId,
          totalAmountMinor: p.totalAmountMinor,
          currency: p.currency,
          holdExpiresAt: utc(p.holdExpiresAt),
        },
        state: { status: 'Pending' },
      };
    }
    case 'ReservationConfirmed': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          showtimeId: p.showtimeId,
          seats: p.seats,
          customerId: p.customerId,
          confirmedAt: utc(p.confirmedAt),
        },
        state: { status: 'Confirmed' },
      };
    }
    case 'ReservationCancelled': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          showtimeId: p.showtimeId,
          seats: p.seats,
          cancelledAt: utc(p.cancelledAt),
          cancelReason: p.reason,
        },
        state: { status: 'Cancelled' },
      };
    }
    case 'ReservationExpired': {
      const p = e.payload;
      return {
        ...base,
        facts: { showtimeId: p.showtimeId, seats: p.seats, expiredAt: utc(p.expiredAt) },
        state: { status: 'Expired' },
      };
    }
    default:
      throw new Error(`not a reservation event: ${e.eventType}`);
  }
}
