/**
 * Activities of the refundTicket workflow (a customer's refund of a paid purchase), keyed by the
 * refund workflow id. Unlike the saga's RefundPayment compensation, these refuse what the
 * business forbids: refunding an unknown or unpaid payment, or a ticket already used. They refuse
 * before the refund is recorded as begun; after that, they only ever finish it.
 */
import { PaymentStatus } from '../domain/payment';
import { Money } from '../domain/shared/money';
import { err, ok, type Result } from '../domain/shared/result';
import { TicketStatus } from '../domain/ticket';
import { runOnce } from '../db/run-once';
import { readRepositories } from '../db/unit-of-work';
import { refundKeyOf } from './compensations';
import { attemptLog, domainContext, origin, unwrap } from './support';
import type {
  ActivityDeps,
  MarkTicketRefundedInput,
  MarkTicketRefundedResult,
  RefundCompletedPaymentInput,
  RefundCompletedPaymentResult,
} from './types';

export function createRefundActivities(deps: ActivityDeps) {
  const { uow, provider } = deps;
  const ctx = domainContext(deps);
  const read = readRepositories(deps.db);

  async function refundCompletedPayment(
    input: RefundCompletedPaymentInput,
  ): Promise<RefundCompletedPaymentResult> {
    const { refundId, paymentId } = input;
    const reason = input.reason.trim();
    if (reason === '') unwrap(err('RefundReasonRequired', 'a refund needs a reason'));
    // 1. Decide under row locks, in admission's order (the ticket, then its payment), and record
    //    the decision (Refunding, with its outbox event) before any money moves. A ticket scanned
    //    first is seen as Used here; one scanned after this commits finds the refund begun.
    const decided = await uow.run(
      async (tx) => {
        const found = await read.payments.get(paymentId);
        if (!found) return err('PaymentNotFound', `payment ${paymentId} not found`);
        const ticket = await tx.tickets.findByReservationForUpdate(found.reservationId);
        const payment = await tx.payments.getForUpdate(paymentId);
        if (!payment) return err('PaymentNotFound', `payment ${paymentId} not found`);
        if (payment.status === PaymentStatus.Completed && ticket?.status === TicketStatus.Used) {
          return err('TicketAlreadyUsed', 'the ticket has already been used');
        }
        const begun = payment.beginRefund(reason, ctx);
        if (!begun.ok) return begun;
        await tx.payments.save(payment);
        return ok({
          status: payment.status,
          transactionId: payment.transactionId,
          amount: payment.amount.toSnapshot(),
        });
      },
      origin(refundId, input),
    );
    const payment = unwrap(decided);

    // 2. The money, keyed like the saga's compensation: the provider refunds a payment at most once.
    if (payment.status === PaymentStatus.Refunding && payment.transactionId !== null) {
      await provider.refund(refundKeyOf(paymentId), payment.transactionId, payment.amount);
    }
    // 3. The outcome, retried until it is recorded (the workflow never gives up on this activity).
    const result = await uow.run(
      (tx) =>
        runOnce(tx.db, refundId, 'RefundPayment', async () => {
          const current = await tx.payments.get(paymentId);
          if (!current) return err('PaymentNotFound', `payment ${paymentId} not found`);
          const refunded = current.refund(reason, ctx);
          if (!refunded.ok) return refunded;
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
        }),
      origin(refundId, input),
    );
    const refunded = unwrap(result);
    attemptLog(deps.log, { refundId, requestId: input.requestId }).info(
      { paymentId, refundedAmountMinor: refunded.refundedAmountMinor },
      'Payment refunded',
    );
    return refunded;
  }

  /** The reservation's live ticket becomes Refunded; none (or one already voided/refunded) is fine. */
  async function markTicketRefunded(input: MarkTicketRefundedInput): Promise<MarkTicketRefundedResult> {
    const { refundId } = input;
    const result = await uow.run(
      (tx) =>
        runOnce(tx.db, refundId, 'RefundTicket', async (): Promise<Result<MarkTicketRefundedResult>> => {
          const ticket = await tx.tickets.findByReservation(input.reservationId);
          if (!ticket) return ok({ ticketId: null, message: 'No ticket to refund' });
          if (ticket.status === TicketStatus.Voided || ticket.status === TicketStatus.Refunded) {
            return ok({ ticketId: ticket.id, message: `Ticket already ${ticket.status}` });
          }
          const refunded = ticket.refund(input.reason, ctx);
          if (!refunded.ok) return refunded;
          await tx.tickets.save(ticket);
          return ok({ ticketId: ticket.id, message: `Ticket refunded: ${ticket.ticketNumber.value}` });
        }),
      origin(refundId, input),
    );
    const marked = unwrap(result);
    attemptLog(deps.log, { refundId, requestId: input.requestId }).info(
      { ticketId: marked.ticketId },
      marked.message,
    );
    return marked;
  }

  return { refundCompletedPayment, markTicketRefunded };
}
