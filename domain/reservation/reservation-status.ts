/** Lifecycle of a seat hold. Pending holds seats until it expires; Confirmed holds them for good. */
export const ReservationStatus = {
  Pending: 'Pending',
  Confirmed: 'Confirmed',
  Cancelled: 'Cancelled',
  Expired: 'Expired',
} as const;
export type ReservationStatus = (typeof ReservationStatus)[keyof typeof ReservationStatus];

export const RESERVATION_STATUSES: readonly ReservationStatus[] = Object.values(ReservationStatus);

/**
 * Whether a reservation in this status claims its seats. The db layer's unique index over live
 * seat claims should cover exactly these statuses (a Pending hold past its expiry still claims its
 * seats until `expire()` runs, which the hold timer guarantees).
 */
export const claimsSeats = (status: ReservationStatus): boolean =>
  status === ReservationStatus.Pending || status === ReservationStatus.Confirmed;
