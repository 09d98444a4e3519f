/**
 * The seat check before a purchase saga or a hold workflow is started for seats: the domain's
 * availability rule (seatsStillFree) against the live claims in the write database, read without
 * locks. It only spares the workflow a buyer of seats that are already gone, which in a rush for
 * a sold-out showtime is most buyers; the workflow's transaction still decides every race.
 */
import { seatsStillFree } from '../../domain/reservation';
import type { SeatRef } from '../../domain/shared/seat';
import type { ApiDeps } from '../deps';
import { fromDomainError, type ApiError } from '../http/api-error';

/** 409 SeatAlreadyTaken when a live claim holds one of `seats` at `now`; null otherwise. */
export async function takenSeatProblem(
  deps: Pick<ApiDeps, 'repos'>,
  showtimeId: string,
  seats: readonly SeatRef[],
  now: Date,
): Promise<ApiError | null> {
  const free = seatsStillFree(seats, await deps.repos.reservations.seatsHeldAt(showtimeId, now));
  return free.ok ? null : fromDomainError(free.error);
}
