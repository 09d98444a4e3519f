/**
 * A plain seat reservation without purchase (workflow id `reservation-<reservationId>`): claim
 * the seats, then wait for whichever comes first, a cancel or the end of the hold (a durable
 * timer), and give the seats back.
 */
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { retriedUntilDone, reserveSeats } from './activities';
import {
  awaitPlacementUpdate,
  cancelReservationSignal,
  cancelReservationUpdate,
  reservationStatusQuery,
  type ReservationHoldInput,
  type ReservationHoldResult,
  type ReservationHoldView,
} from './reservation-contract';
import { businessFailureOf } from './support';

const isFinal = (view: ReservationHoldView) =>
  view.status === 'Rejected' ||
  view.status === 'Cancelled' ||
  view.status === 'Expired' ||
  view.status === 'Claimed';

export async function reservationHold(input: ReservationHoldInput): Promise<ReservationHoldResult> {
  const { workflowId } = workflowInfo();
  const { reservationId, requestId } = input;
  const holdExpiresAt = new Date(Date.now() + input.holdSeconds * 1000);
  let view: ReservationHoldView = {
    reservationId,
    showtimeId: input.showtimeId,
    customerId: input.customerId,
    status: 'Placing',
    seats: input.seats,
    totalAmountMinor: null,
    currency: null,
    holdExpiresAt: holdExpiresAt.toISOString(),
    reason: null,
    code: null,
  };
  let cancelReason: string | null = null;
  const requestCancel = (reason?: string) => {
    cancelReason ??= reason?.trim() || 'Cancelled by customer';
  };

  setHandler(reservationStatusQuery, () => view);
  setHandler(awaitPlacementUpdate, async () => {
    await condition(() => view.status !== 'Placing');
    return view;
  });
  setHandler(cancelReservationSignal, requestCancel);
  setHandler(
    cancelReservationUpdate,
    async (reason) => {
      requestCancel(reason);
      await condition(() => isFinal(view));
      return view;
    },
    {
      validator: (_reason: string) => {
        if (view.status !== 'Placing' && view.status !== 'Pending') {
          throw new Error(`a ${view.status} reservation can't be cancelled`);
        }
      },
    },
  );

  try {
    const placed = await reserveSeats({
      workflowId,
      requestId,
      sagaEvents: [],
      reservationId,
      showtimeId: input.showtimeId,
      customerId: input.customerId,
      seats: input.seats,
      holdExpiresAt: view.holdExpiresAt,
    });
    view = {
      ...view,
      status: 'Pending',
      seats: placed.seats,
      totalAmountMinor: placed.totalAmountMinor,
      currency: placed.currency,
    };
  } catch (error) {
    const business = businessFailureOf(error);
    if (business === null) throw error;
    view = { ...view, status: 'Rejected', reason: business.message, code: business.code };
    await condition(allHandlersFinished);
    return view;
  }

  let cancelled: boolean;
  try {
    cancelled = await condition(
      () => cancelReason !== null,
      Math.max(1, holdExpiresAt.getTime() - Date.now()),
    );
  } catch (error) {
    if (!isCancellation(error)) throw error;
    requestCancel('workflow cancelled'); // cancelling the workflow must not leave seats held
    cancelled = true;
  }

  await CancellationScope.nonCancellable(async () => {
    const reason = cancelReason ?? 'Hold expired';
    const input = { workflowId, requestId, sagaEvents: [], reservationId, reason, fromHold: true };
    const released = cancelled
      ? await retriedUntilDone.cancelReservation(input)
      : await retriedUntilDone.releaseSeats(input);
    // A purchase took the hold over (POST /api/ticketpurchase with this reservationId): the
    // release left the seats to it, under the reservation's row lock.
    if (released.claimedBy !== undefined) {
      view = { ...view, status: 'Claimed', reason: released.message };
    } else {
      view = { ...view, status: cancelled ? 'Cancelled' : 'Expired', reason };
    }
    await condition(allHandlersFinished);
  });
  return view;
}
