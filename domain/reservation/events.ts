import type { DomainEvent } from '../shared/events';
import type { SeatRef } from '../shared/seat';
import type { ReservationStatus } from './reservation-status';

/* Every payload carries the seats, so a read model can free or occupy them without a lookup. */

export interface ReservationCreatedPayload {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number;
  readonly currency: string;
  readonly holdExpiresAt: string;
}

export interface ReservationConfirmedPayload {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly seats: readonly SeatRef[];
  readonly confirmedAt: string;
}

export interface ReservationCancelledPayload {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly seats: readonly SeatRef[];
  readonly previousStatus: ReservationStatus;
  readonly reason: string;
  readonly cancelledAt: string;
}

export interface ReservationExpiredPayload {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly seats: readonly SeatRef[];
  readonly expiredAt: string;
}

export type ReservationCreated = DomainEvent<'ReservationCreated', ReservationCreatedPayload>;
export type ReservationConfirmed = DomainEvent<'ReservationConfirmed', ReservationConfirmedPayload>;
export type ReservationCancelled = DomainEvent<'ReservationCancelled', ReservationCancelledPayload>;
export type ReservationExpired = DomainEvent<'ReservationExpired', ReservationExpiredPayload>;

export type ReservationEvent =
  ReservationCreated | ReservationConfirmed | ReservationCancelled | ReservationExpired;
