/**
 * The contract between the API (`POST /api/reservations`, `POST /api/reservations/{id}/cancel`)
 * and the reservationHold workflow: seats held without buying, released durably when the hold
 * runs out. Sandbox-safe: types and define* calls only.
 *
 * The API mints the reservation id and starts the workflow with id `reservationWorkflowId(id)`;
 * `awaitPlacementUpdate` answers once the seats are held or refused (e.g. SeatAlreadyTaken), so
 * the POST can reply 201 or 409 synchronously (`executeUpdateWithStart`: an update sent after the
 * start could find a refused hold already ended).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SeatRef } from '../domain';

export const RESERVATION_WORKFLOW_ID_PREFIX = 'reservation-';
export const reservationWorkflowId = (reservationId: string): string =>
  `${RESERVATION_WORKFLOW_ID_PREFIX}${reservationId}`;

export interface ReservationHoldInput {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly seats: readonly SeatRef[];
  /** SEAT_HOLD_SECONDS from config, normally. */
  readonly holdSeconds: number;
  readonly requestId: string;
}

/**
 * Placing: the seats are being claimed. Pending: held until holdExpiresAt. Rejected: never held
 * (see code/reason). Cancelled or Expired: held, then released. Claimed: a purchase took the hold
 * over, and the seats are that purchase's to confirm or release. Final: all but Placing, Pending.
 */
export type ReservationHoldStatus = 'Placing' | 'Pending' | 'Rejected' | 'Cancelled' | 'Expired' | 'Claimed';

export interface ReservationHoldView {
  readonly reservationId: string;
  readonly showtimeId: string;
  readonly customerId: string;
  readonly status: ReservationHoldStatus;
  readonly seats: readonly SeatRef[];
  readonly totalAmountMinor: number | null; // known once Pending
  readonly currency: string | null;
  readonly holdExpiresAt: string; // ISO-8601 UTC
  /** Why it was rejected or cancelled; null otherwise. */
  readonly reason: string | null;
  /** Domain error code of a rejection (SeatAlreadyTaken, ShowtimeNotFound, ShowtimeInPast...). */
  readonly code: string | null;
}

/** The workflow's result is its final view. */
export type ReservationHoldResult = ReservationHoldView;

export const reservationStatusQuery = defineQuery<ReservationHoldView>('status');

/** Answers once the seats are held (Pending) or refused (Rejected). */
export const awaitPlacementUpdate = defineUpdate<ReservationHoldView>('awaitPlacement');

/** Fire-and-forget cancel (`temporal workflow signal --name cancel`). */
export const cancelReservationSignal = defineSignal<[reason?: string]>('cancel');

/** Cancel that answers with the final view; rejected unless the hold is Placing or Pending. */
export const cancelReservationUpdate = defineUpdate<ReservationHoldView, [reason: string]>(
  'cancelReservation',
);
