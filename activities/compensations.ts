/**
 * The saga's compensations. Each one is idempotent (runOnce under its own step name), a no-op when
 * there is nothing to undo (the step never ran, or someone already undid it), and first fences off
 * the step it undoes, so a timed-out attempt of that step cannot take effect afterwards.
 * The workflow retries them until they succeed: they never refuse for business reasons.
 */
import { PaymentStatus, awaitsOutcome, type Payment } from '../domain/payment';
import { ReservationStatus, type Reservation } from '../domain/reservation';
import { ok } from '../domain/shared/result';
import { TicketStatus } from '../domain/ticket';
import { runOnce } from '../db/run-once';
import {
  appendSagaEvents,
  attemptLog,
  loggedWorkflowId,
  domainContext,
  fenceStep,
  origin,
  stepScope,
  unwrap,
} from './support';
import type {
  ActivityDeps,
  CancelReservationInput,
  CompensationResult,
  RefundPaymentInput,
  ReleaseSeatsInput,
  SagaActivityInput,
  VoidTicketInput,
} from './types';

/** The refund's idempotency key at the provider: one refund per payment, whoever asks for it. */
export const refundKeyOf = (paymentId: string): string => `refund-${paymentId}`;

/** What the provider holds for a payment: a charge to refund, or a decline/cancel (null) with nothing taken. */
type ProviderView = { readonly charged: string } | { readonly declined: string | null };

const nothing = (message: string): CompensationResult => ({ message, undone: false });

/**
 * Nothing for the hold to release once a purchase took its reservation over: the seats are that
 * purchase's (and, once bought, a refund's) to give back.
 */
const leftToPurchase = (reservation: Reservation, workflowId: string): CompensationResult | null => {
  const claimedBy = reservation.claimedBy;
  if (claimedBy === null || reservation.mayBeReleasedBy(workflowId)) return null;
  return { message: `Left to purchase ${claimedBy}, which took the hold over`, undone: false, claimedBy };
};

export function createCompensations(deps: ActivityDeps) {
  const { uow, provider } = deps;
  const ctx = domainContext(deps);

  /** Gives the seats back: Expired when the hold has lapsed, Cancelled otherwise. */
  async function releaseSeats(input: ReleaseSeatsInput): Promise<CompensationResult> {
    const { workflowId } = input;
    const result = await uow.run(
      async (tx) => {
        await appendSagaEvents(tx, input.sagaEvents);
        await fenceStep(tx.db, stepScope(input), 'ReserveSeats');
        return runOnce(tx.db, stepScope(input), 'ReleaseSeats', async () => {
          // Locked: a purchase taking this hold over (reserveSeats with claimHold) waits, or is waited for.
          const reservation = await tx.reservations.getForUpdate(input.reservationId);
          if (!reservation) return ok(nothing('No seats were held'));
          const left = input.fromHold ? leftToPurchase(reservation, input.workflowId) : null;
          if (left) return ok(left);
          if (input.claimedHold && reservation.claimedBy !== input.workflowId) {
            return ok(nothing("The hold was never taken over: it is still the customer's"));
          }
          if (!reservation.claimsSeats) return ok(nothing(`Seats already released (${reservation.status})`));
          const lapsed =
            reservation.status === ReservationStatus.Pending && reservation.isHoldLapsed(ctx.clock.now());
          const released = lapsed ? reservation.expire(ctx) : reservation.cancel(input.reason, ctx);
          if (!released.ok) return released;
          const saved = await tx.reservations.save(reservation);
          if (!saved.ok) return saved;
          const how = lapsed ? 'hold expired' : 'cancelled';
          return ok({ message: `Released ${reservation.seats.length} seats (${how})`, undone: true });
        });
      },
      origin(workflowId, input),
    );
    return logged(input, 'ReleaseSeats', unwrap(result));
  }

  /** Undoes ConfirmReservation: a confirmed reservation can only be cancelled, which frees its seats. */
  async function cancelReservation(input: CancelReservationInput): Promise<CompensationResult> {
    const { workflowId } = input;
    const result = await uow.run(
      async (tx) => {
        await appendSagaEvents(tx, input.sagaEvents);
        await fenceStep(tx.db, stepScope(input), 'ConfirmReservation');
        return runOnce(tx.db, stepScope(input), 'CancelReservation', async () => {
          const reservation = await tx.reservations.getForUpdate(input.reservationId);
          if (!reservation) return ok(nothing('No reservation to cancel'));
          const left = input.fromHold ? leftToPurchase(reservation, input.workflowId) : null;
          if (left) return ok(left);
          if (!reservation.claimsSeats) return ok(nothing(`Reservation already ${reservation.status}`));
          const cancelled = reservation.cancel(input.reason, ctx);
          if (!cancelled.ok) return cancelled;
          const saved = await tx.reservations.save(reservation);
          if (!saved.ok) return saved;
          return ok({ message: 'Reservation cancelled', undone: true });
        });
      },
      origin(workflowId, input),
    );
    return logged(input, 'CancelReservation', unwrap(result));
  }

  async function voidTicket(input: VoidTicketInput): Promise<CompensationResult> {
    const { workflowId } = input;
    const result = await uow.run(
      async (tx) => {
        await appendSagaEvents(tx, input.sagaEvents);
        await fenceStep(tx.db, stepScope(input), 'IssueTicket');
        return runOnce(tx.db, stepScope(input), 'VoidTicket', async () => {
          const ticket = await tx.tickets.get(input.ticketId);
          if (!ticket) return ok(nothing('No ticket was issued'));
          // A ticket already used at the door can't be taken back; a person must look at it.
          if (ticket.status !== TicketStatus.Issued) return ok(nothing(`Ticket already ${ticket.status}`));
          const voided = ticket.void(input.reason, ctx);
          if (!voided.ok) return voided;
          await tx.tickets.save(ticket);
          return ok({ message: `Ticket voided: ${ticket.ticketNumber.value}`, undone: true });
        });
      },
      origin(workflowId, input),
    );
    return logged(input, 'VoidTicket', unwrap(result));
  }

  /**
   * Gives the money back. The payment's state says what to do: Completed -> refund at the
   * provider, then record it; Pending/Processing (the charge's outcome was lost: a timeout, a
   * crash, a cancel) -> ask the provider, which either reports the charge (refund it) or cancels
   * the key so that nothing can be charged under it any more; anything else -> nothing to undo.
   */
  async function refundPayment(input: RefundPaymentInput): Promise<CompensationResult> {
    const { workflowId, paymentId } = input;
    const loaded = await uow.run(
      async (tx) => {
        await appendSagaEvents(tx, input.sagaEvents);
        await fenceStep(tx.db, stepScope(input), 'ProcessPayment');
        return ok((await tx.payments.get(paymentId))?.toSnapshot() ?? null);
      },
      origin(workflowId, input),
    );
    const payment = unwrap(loaded);
    // Fenced before the payment row existed: no charge can be attempted under this saga any more.
    if (payment === null) return logged(input, 'RefundPayment', nothing('No payment was taken'));

    let found: ProviderView = payment.transactionId
      ? { charged: payment.transactionId }
      : { declined: payment.failureReason ?? 'Declined' };
    if (payment.status === PaymentStatus.Pending || payment.status === PaymentStatus.Processing) {
      const lookup = await provider.resolveCharge(paymentId);
      found =
        lookup.status === 'succeeded'
          ? { charged: lookup.transactionId }
          : lookup.status === 'declined'
            ? { declined: lookup.message }
            : { declined: null };
    }
    let refundId: string | null = null;
    if ('charged' in found && payment.status !== PaymentStatus.Refunded) {
      // The decision first: the payment row says Refunding (with its outbox event) before the
      // provider is asked, so money never comes back without a row that says why.
      const charged = found.charged;
      const begun = await uow.run(
        async (tx) => {
          const current = await tx.payments.getForUpdate(paymentId);
          if (!current) return ok(undefined);
          if (awaitsOutcome(current.status)) {
            const completed = current.complete(charged, ctx);
            if (!completed.ok) return completed;
          }
          const marked = current.beginRefund(input.reason, ctx);
          if (!marked.ok) return marked;
          await tx.payments.save(current);
          return ok(undefined);
        },
        origin(workflowId, input),
      );
      unwrap(begun);
      // Same key whoever asks (this compensation, a customer's refund, a retry): one refund per payment.
      refundId = (
        await provider.refund(refundKeyOf(paymentId), charged, {
          amountMinor: payment.amountMinor,
          currency: payment.currency,
        })
      ).refundId;
    }

    const result = await uow.run(
      (tx) =>
        runOnce(tx.db, stepScope(input), 'RefundPayment', async () => {
          const current = await tx.payments.get(paymentId);
          if (!current) return ok(nothing('No payment was taken'));
          const message = settle(current, found, refundId, input.reason);
          if (!message.ok) return message;
          await tx.payments.save(current);
          return ok(message.value);
        }),
      origin(workflowId, input),
    );
    return logged(input, 'RefundPayment', unwrap(result));
  }

  /** Brings the payment row in line with what happened at the provider. */
  function settle(payment: Payment, found: ProviderView, refundId: string | null, reason: string) {
    if (payment.status === PaymentStatus.Refunded) return ok(nothing('Payment already refunded'));
    if (payment.status === PaymentStatus.Declined || payment.status === PaymentStatus.Failed) {
      return ok(nothing(`Nothing was charged (payment ${payment.status})`));
    }
    if (payment.status === PaymentStatus.Refunding && refundId !== null) {
      const refunded = payment.refund(reason, ctx);
      if (!refunded.ok) return refunded;
      return ok({ message: `Payment refunded: ${refundId}`, undone: true });
    }
    if ('declined' in found || refundId === null) {
      const outcome =
        'declined' in found && found.declined !== null
          ? payment.decline(found.declined, ctx)
          : payment.fail('Cancelled before the charge was made', ctx);
      return outcome.ok ? ok(nothing('Nothing was charged')) : outcome;
    }
    const completed = payment.complete(found.charged, ctx);
    if (!completed.ok) return completed;
    const refunded = payment.refund(reason, ctx);
    if (!refunded.ok) return refunded;
    return ok({ message: `Payment refunded: ${refundId}`, undone: true });
  }

  /** The saga events left after the last activity (SagaCompleted, SagaCompensated...). */
  async function recordSagaEvents(input: SagaActivityInput): Promise<void> {
    await uow.run((tx) => appendSagaEvents(tx, input.sagaEvents), origin(input.workflowId, input));
  }

  function logged(input: SagaActivityInput, compensation: string, result: CompensationResult) {
    const log = attemptLog(deps.log, { ...loggedWorkflowId(input.workflowId), requestId: input.requestId });
    log.info({ compensation, undone: result.undone }, result.message);
    return result;
  }

  return { releaseSeats, cancelReservation, voidTicket, refundPayment, recordSagaEvents };
}
