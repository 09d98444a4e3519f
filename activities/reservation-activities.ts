/**
 * Activities on reservations (seat claims). The purchase saga reserves and confirms (its steps
 * ReserveSeats and ConfirmReservation) and undoes both (ReleaseSeats, CancelReservation); the
 * reservationHold workflow places a hold with reserveSeats and gives it back with releaseSeats when
 * it lapses or cancelReservation when the customer cancels (`fromHold`); the refundTicket
 * workflow gives a refunded purchase's seats back with releaseSeats.
 */
import { ReservationStatus, Reservation } from '../domain/reservation';
import { err, ok } from '../domain/shared/result';
import { activityRecipe, nothingToUndo } from './recipe';
import { domainContext } from './support';
import type {
  ActivityDeps,
  CancelReservationInput,
  CompensationResult,
  ConfirmReservationInput,
  ReleaseSeatsInput,
  ReserveSeatsInput,
  ReserveSeatsResult,
  StepMessage,
} from './types';

/**
 * Nothing for the hold to release once a purchase took its reservation over: the seats are that
 * purchase's (and, once bought, a refund's) to give back.
 */
const leftToPurchase = (reservation: Reservation, workflowId: string): CompensationResult | null => {
  const claimedBy = reservation.claimedBy;
  if (claimedBy === null || reservation.mayBeReleasedBy(workflowId)) return null;
  return { message: `Left to purchase ${claimedBy}, which took the hold over`, undone: false, claimedBy };
};

export function createReservationActivities(deps: ActivityDeps) {
  const { sagaStep, compensation, logOf } = activityRecipe(deps);
  const ctx = domainContext(deps);

  async function reserveSeats(input: ReserveSeatsInput): Promise<ReserveSeatsResult> {
    const reserved = await sagaStep(input, 'ReserveSeats', async (tx) => {
      const details = await tx.showtimes.getDetails(input.showtimeId);
      if (!details) return err('ShowtimeNotFound', `showtime ${input.showtimeId} does not exist`);
      if (input.claimHold) {
        // The customer's hold, locked: its own release (the hold's timer or a cancel) runs
        // before this claim and leaves it expired, or after it and leaves it to this purchase.
        const held = await tx.reservations.getForUpdate(input.reservationId);
        if (!held) return err('ReservationNotFound', `No reservation ${input.reservationId}`);
        const claimed = held.claimFor(
          {
            purchaseSagaId: input.workflowId,
            customerId: input.customerId,
            showtimeId: input.showtimeId,
            seats: input.seats,
          },
          ctx.clock.now(),
        );
        if (!claimed.ok) return claimed;
        await tx.reservations.saveClaim(held);
        return ok({
          reservationId: held.id,
          seats: held.seatRefs(),
          totalAmountMinor: held.totalPrice.amountMinor,
          currency: held.totalPrice.currency,
          movieTitle: details.movie.title,
          screeningTime: details.showtime.startsAt.toISOString(),
          auditoriumName: details.auditorium.name,
          holdExpiresAt: held.holdExpiresAt.toISOString(),
          message: `Took over the hold on ${held.seats.length} seats`,
        });
      }
      // A lapsed, unconfirmed hold is free whatever became of its workflow (stuck, terminated,
      // worker down): expire it here, in the claim's transaction, instead of waiting for it.
      for (const lapsed of await tx.reservations.lapsedHolds(input.showtimeId, ctx.clock.now())) {
        const expired = lapsed.expire(ctx);
        if (!expired.ok) return expired;
        const saved = await tx.reservations.save(lapsed);
        if (!saved.ok) return saved;
      }
      const created = Reservation.create(
        {
          id: input.reservationId,
          customerId: input.customerId,
          showtime: details.showtime,
          auditorium: details.auditorium,
          seats: input.seats,
          takenSeats: await tx.reservations.takenSeats(input.showtimeId),
          holdExpiresAt: new Date(input.holdExpiresAt),
        },
        ctx,
      );
      if (!created.ok) return created;
      const reservation = created.value;
      // The database settles a race the read above could not see (SeatAlreadyTaken as a value).
      const saved = await tx.reservations.save(reservation);
      if (!saved.ok) return saved;
      return ok({
        reservationId: reservation.id,
        seats: reservation.seatRefs(),
        totalAmountMinor: reservation.totalPrice.amountMinor,
        currency: reservation.totalPrice.currency,
        movieTitle: details.movie.title,
        screeningTime: details.showtime.startsAt.toISOString(),
        auditoriumName: details.auditorium.name,
        message: `Reserved ${reservation.seats.length} seats`,
      });
    });
    logOf(input).info({ reservationId: reserved.reservationId }, reserved.message);
    return reserved;
  }

  async function confirmReservation(input: ConfirmReservationInput): Promise<StepMessage> {
    const confirmed = await sagaStep(input, 'ConfirmReservation', async (tx) => {
      const reservation = await tx.reservations.get(input.reservationId);
      if (!reservation) return err('ReservationNotFound', `reservation ${input.reservationId} not found`);
      const done = reservation.confirm(ctx, await tx.payments.findByReservation(reservation.id));
      if (!done.ok) return done;
      const saved = await tx.reservations.save(reservation);
      if (!saved.ok) return saved;
      return ok({ message: 'Reservation confirmed' });
    });
    logOf(input).info({ reservationId: input.reservationId }, confirmed.message);
    return confirmed;
  }

  /** Gives the seats back: Expired when the hold has lapsed, Cancelled otherwise. Undoes ReserveSeats. */
  function releaseSeats(input: ReleaseSeatsInput): Promise<CompensationResult> {
    return compensation(input, 'ReleaseSeats', 'ReserveSeats', async (tx) => {
      // Locked: a purchase taking this hold over (reserveSeats with claimHold) waits, or is waited for.
      const reservation = await tx.reservations.getForUpdate(input.reservationId);
      if (!reservation) return ok(nothingToUndo('No seats were held'));
      const left = input.fromHold ? leftToPurchase(reservation, input.workflowId) : null;
      if (left) return ok(left);
      if (input.claimedHold && reservation.claimedBy !== input.workflowId) {
        return ok(nothingToUndo("The hold was never taken over: it is still the customer's"));
      }
      if (!reservation.claimsSeats)
        return ok(nothingToUndo(`Seats already released (${reservation.status})`));
      const lapsed =
        reservation.status === ReservationStatus.Pending && reservation.isHoldLapsed(ctx.clock.now());
      const released = lapsed ? reservation.expire(ctx) : reservation.cancel(input.reason, ctx);
      if (!released.ok) return released;
      const saved = await tx.reservations.save(reservation);
      if (!saved.ok) return saved;
      const how = lapsed ? 'hold expired' : 'cancelled';
      return ok({ message: `Released ${reservation.seats.length} seats (${how})`, undone: true });
    });
  }

  /** Undoes ConfirmReservation: a confirmed reservation can only be cancelled, which frees its seats. */
  function cancelReservation(input: CancelReservationInput): Promise<CompensationResult> {
    return compensation(input, 'CancelReservation', 'ConfirmReservation', async (tx) => {
      const reservation = await tx.reservations.getForUpdate(input.reservationId);
      if (!reservation) return ok(nothingToUndo('No reservation to cancel'));
      const left = input.fromHold ? leftToPurchase(reservation, input.workflowId) : null;
      if (left) return ok(left);
      if (!reservation.claimsSeats) return ok(nothingToUndo(`Reservation already ${reservation.status}`));
      const cancelled = reservation.cancel(input.reason, ctx);
      if (!cancelled.ok) return cancelled;
      const saved = await tx.reservations.save(reservation);
      if (!saved.ok) return saved;
      return ok({ message: 'Reservation cancelled', undone: true });
    });
  }

  return { reserveSeats, confirmReservation, releaseSeats, cancelReservation };
}
