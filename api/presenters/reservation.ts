/** JSON of a plain reservation (shaped like the other resource bodies). */
import type { Reservation } from '../../domain/reservation/reservation';
import type { ReservationBody } from '../openapi/bodies/resources';
import { decimalAmount } from './money';

export function reservationBody(reservation: Reservation): ReservationBody {
  const r = reservation.toSnapshot();
  return {
    id: r.id,
    showtimeId: r.showtimeId,
    customerId: r.customerId,
    seats: r.seats.map((s) => ({ row: s.row, number: s.number })),
    status: r.status,
    totalPrice: decimalAmount(r.totalAmountMinor, r.currency),
    currency: r.currency,
    holdExpiresAt: r.holdExpiresAt,
    createdAt: r.createdAt,
    confirmedAt: r.confirmedAt,
    cancelledAt: r.cancelledAt,
    cancellationReason: r.cancellationReason,
    expiredAt: r.expiredAt,
  };
}
