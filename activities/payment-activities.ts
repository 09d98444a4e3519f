/**
 * Activities on payments: the purchase saga's charge (its step ProcessPayment) and its undo
 * (RefundPayment), and the customer's refund of a paid purchase (the refundTicket workflow,
 * refundCompletedPayment). Money moves only at the provider, never inside a transaction, and
 * never without a payment row that says why.
 */
import { CancelledFailure } from '@temporalio/activity';

import { Payment, PaymentStatus, awaitsOutcome, type CardSummary } from '../domain/payment';
import { Money } from '../domain/shared/money';
import { err, ok } from '../domain/shared/result';
import { TicketStatus } from '../domain/ticket';
import { readRepositories } from '../db/unit-of-work';
import { PaymentCallAbortedError, type ChargeResult } from '../providers/payment/payment-provider';
import { activityRecipe, nothingToUndo } from './recipe';
import { attemptLog, businessFailure, domainContext, unwrap, withHeartbeats } from './support';
import type {
  ActivityDeps,
  CompensationResult,
  ProcessPaymentInput,
  ProcessPaymentResult,
  RefundCompletedPaymentInput,
  RefundCompletedPaymentResult,
  RefundPaymentInput,
} from './types';

/** The refund's idempotency key at the provider: one refund per payment, whoever asks for it. */
export const refundKeyOf = (paymentId: string): string => `refund-${paymentId}`;

/** What the provider holds for a payment: a charge to refund, or a decline/cancel (null) with nothing taken. */
type ProviderView = { readonly charged: string } | { readonly declined: string | null };

export function createPaymentActivities(deps: ActivityDeps) {
  const { provider } = deps;
  const { transaction, once, sagaStep, fenced, logCompensation, logOf } = activityRecipe(deps);
  const ctx = domainContext(deps);
  const read = readRepositories(deps.db);

  /**
   * Three moves, so that no transaction stays open across the provider call:
   * 1. the payment row, Pending -> Processing (runOnce 'ProcessPayment': the compensation fences it);
   * 2. the charge, keyed by the payment id, heartbeating so a cancel reaches it;
   * 3. the outcome recorded (runOnce 'ProcessPayment.outcome').
   * A crash between 2 and 3 is safe: the retry re-sends the same key and gets the same charge.
   */
  async function processPayment(input: ProcessPaymentInput): Promise<ProcessPaymentResult> {
    const { paymentId } = input;
    const amount = await sagaStep(input, 'ProcessPayment', async (tx) => {
      const reservation = await tx.reservations.get(input.reservationId);
      if (!reservation) return err('ReservationNotFound', `reservation ${input.reservationId} not found`);
      if (reservation.status !== 'Pending') {
        return err('ReservationNotPending', `a ${reservation.status} reservation can't be paid`);
      }
      const { cardBrand, cardLast4 } = input.payment;
      const card = cardBrand && cardLast4 ? ({ brand: cardBrand, last4: cardLast4 } as CardSummary) : null;
      const created = Payment.create(
        {
          id: paymentId,
          reservationId: reservation.id,
          customerId: input.customerId,
          amount: reservation.totalPrice,
          method: input.payment.method,
          card,
          providerToken: input.payment.token,
        },
        ctx,
      );
      if (!created.ok) return created;
      const marked = created.value.markProcessing(ctx);
      if (!marked.ok) return marked;
      await tx.payments.save(created.value);
      return ok({
        amountMinor: reservation.totalPrice.amountMinor,
        currency: reservation.totalPrice.currency,
      });
    });

    let charge: ChargeResult;
    try {
      charge = await withHeartbeats((signal) =>
        provider.charge(paymentId, input.payment.token, amount, { signal }),
      );
    } catch (error) {
      // Reported to Temporal as a cancellation, which the workflow waits for before refunding.
      if (error instanceof PaymentCallAbortedError) throw new CancelledFailure('payment call aborted');
      throw error;
    }

    const final = await once(input, 'ProcessPayment.outcome', async (tx) => {
      const payment = await tx.payments.get(paymentId);
      if (!payment) return err('PaymentNotFound', `payment ${paymentId} not found`);
      const outcome =
        charge.status === 'succeeded'
          ? payment.complete(charge.transactionId, ctx)
          : payment.decline(charge.message, ctx);
      if (!outcome.ok) return outcome;
      await tx.payments.save(payment);
      return ok(charge);
    });
    const log = logOf(input);
    if (final.status === 'declined') {
      log.info({ paymentId, declineCode: final.code }, final.message);
      throw businessFailure('PaymentDeclined', final.message, { declineCode: final.code });
    }
    log.info({ paymentId, transactionId: final.transactionId }, 'Payment processed');
    return {
      paymentId,
      transactionId: final.transactionId,
      amountMinor: amount.amountMinor,
      currency: amount.currency,
      message: `Payment processed, TransactionId: ${final.transactionId}`,
    };
  }

  /**
   * Undoes ProcessPayment: gives the money back. The payment's state says what to do: Completed
   * -> refund at the provider, then record it; Pending/Processing (the charge's outcome was lost:
   * a timeout, a crash, a cancel) -> ask the provider, which either reports the charge (refund it)
   * or cancels the key so that nothing can be charged under it any more; anything else -> nothing
   * to undo. Written out rather than through `compensation`: the provider is asked between
   * transactions.
   */
  async function refundPayment(input: RefundPaymentInput): Promise<CompensationResult> {
    const { paymentId } = input;
    const payment = await fenced(input, 'ProcessPayment', async (tx) =>
      ok((await tx.payments.get(paymentId))?.toSnapshot() ?? null),
    );
    // Fenced before the payment row existed: no charge can be attempted under this saga any more.
    if (payment === null)
      return logCompensation(input, 'RefundPayment', nothingToUndo('No payment was taken'));

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
      await transaction(input, async (tx) => {
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
      });
      // Same key whoever asks (this compensation, a customer's refund, a retry): one refund per payment.
      refundId = (
        await provider.refund(refundKeyOf(paymentId), charged, {
          amountMinor: payment.amountMinor,
          currency: payment.currency,
        })
      ).refundId;
    }

    const result = await once(input, 'RefundPayment', async (tx) => {
      const current = await tx.payments.get(paymentId);
      if (!current) return ok(nothingToUndo('No payment was taken'));
      const message = settle(current, found, refundId, input.reason);
      if (!message.ok) return message;
      await tx.payments.save(current);
      return ok(message.value);
    });
    return logCompensation(input, 'RefundPayment', result);
  }

  /** Brings the payment row in line with what happened at the provider. */
  function settle(payment: Payment, found: ProviderView, refundId: string | null, reason: string) {
    if (payment.status === PaymentStatus.Refunded) return ok(nothingToUndo('Payment already refunded'));
    if (payment.status === PaymentStatus.Declined || payment.status === PaymentStatus.Failed) {
      return ok(nothingToUndo(`Nothing was charged (payment ${payment.status})`));
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
      return outcome.ok ? ok(nothingToUndo('Nothing was charged')) : outcome;
    }
    const completed = payment.complete(found.charged, ctx);
    if (!completed.ok) return completed;
    const refunded = payment.refund(reason, ctx);
    if (!refunded.ok) return refunded;
    return ok({ message: `Payment refunded: ${refundId}`, undone: true });
  }

  /**
   * A customer's refund of a paid purchase (the refundTicket workflow), keyed by the refund
   * workflow id. Unlike the saga's RefundPayment, it refuses what the business forbids: refunding
   * an unknown or unpaid payment, or a ticket already used. It refuses before the refund is
   * recorded as begun; after that, it only ever finishes it.
   */
  async function refundCompletedPayment(
    input: RefundCompletedPaymentInput,
  ): Promise<RefundCompletedPaymentResult> {
    const { refundId, paymentId } = input;
    const refundWorkflow = { workflowId: refundId, requestId: input.requestId };
    const reason = input.reason.trim();
    if (reason === '') unwrap(err('RefundReasonRequired', 'a refund needs a reason'));
    // 1. Decide under row locks, in admission's order (the ticket, then its payment), and record
    //    the decision (Refunding, with its outbox event) before any money moves. A ticket scanned
    //    first is seen as Used here; one scanned after this commits finds the refund begun.
    const payment = await transaction(refundWorkflow, async (tx) => {
      const found = await read.payments.get(paymentId);
      if (!found) return err('PaymentNotFound', `payment ${paymentId} not found`);
      const ticket = await tx.tickets.findByReservationForUpdate(found.reservationId);
      const locked = await tx.payments.getForUpdate(paymentId);
      if (!locked) return err('PaymentNotFound', `payment ${paymentId} not found`);
      if (locked.status === PaymentStatus.Completed && ticket?.status === TicketStatus.Used) {
        return err('TicketAlreadyUsed', 'the ticket has already been used');
      }
      const begun = locked.beginRefund(reason, ctx);
      if (!begun.ok) return begun;
      await tx.payments.save(locked);
      return ok({
        status: locked.status,
        transactionId: locked.transactionId,
        amount: locked.amount.toSnapshot(),
      });
    });

    // 2. The money, keyed like the saga's compensation: the provider refunds a payment at most once.
    if (payment.status === PaymentStatus.Refunding && payment.transactionId !== null) {
      await provider.refund(refundKeyOf(paymentId), payment.transactionId, payment.amount);
    }
    // 3. The outcome, retried until it is recorded (the workflow never gives up on this activity).
    const refunded = await once(refundWorkflow, 'RefundPayment', async (tx) => {
      const current = await tx.payments.get(paymentId);
      if (!current) return err('PaymentNotFound', `payment ${paymentId} not found`);
      const done = current.refund(reason, ctx);
      if (!done.ok) return done;
      await tx.payments.save(current);
      const snapshot = current.toSnapshot();
      const amount = Money.fromSnapshot({
        amountMinor: snapshot.refundedAmountMinor ?? 0,
        currency: snapshot.currency,
      });
      return ok({
        paymentId,
        reservationId: current.reservationId,
        refundedAmountMinor: amount.amountMinor,
        refundedAmount: amount.toDecimalNumber(),
        currency: amount.currency,
        refundReason: snapshot.refundReason ?? reason,
      });
    });
    attemptLog(deps.log, { refundId, requestId: input.requestId }).info(
      { paymentId, refundedAmountMinor: refunded.refundedAmountMinor },
      'Payment refunded',
    );
    return refunded;
  }

  return { processPayment, refundPayment, refundCompletedPayment };
}
