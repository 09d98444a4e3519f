/**
 * Activities on tickets: the purchase saga issues one (its step IssueTicket) and voids it as its
 * undo (VoidTicket); the refundTicket workflow marks a refunded purchase's ticket Refunded.
 */
import { randomBytes } from 'node:crypto';

import { ok, err, type Result } from '../domain/shared/result';
import {
  Ticket,
  TICKET_NUMBER_ENTROPY_BYTES,
  TicketNumber,
  TicketStatus,
  ticketQrClaims,
} from '../domain/ticket';
import {
  ticketIssued,
  type TicketIssuedOutcome,
  type TicketPurchaseSagaSnapshot,
} from '../domain/purchase/ticket-purchase-saga';
import { isTicketNumberTaken } from '../db/repositories/ticket-repository';
import type { UnitOfWorkContext } from '../db/unit-of-work';
import { activityRecipe, nothingToUndo } from './recipe';
import { attemptLog, domainContext } from './support';
import type {
  ActivityDeps,
  CompensationResult,
  IssueTicketInput,
  IssueTicketResult,
  MarkTicketRefundedInput,
  MarkTicketRefundedResult,
  ShowtimeOnTicket,
  VoidTicketInput,
} from './types';

/** Two random ticket numbers colliding is all but impossible; a few fresh draws settle it anyway. */
const TICKET_NUMBER_TRIES = 5;

export function createTicketActivities(deps: ActivityDeps) {
  const { once, sagaStep, compensation, logOf } = activityRecipe(deps);
  const ctx = domainContext(deps);

  async function issueTicket(input: IssueTicketInput): Promise<IssueTicketResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const ticket = await sagaStep(input, 'IssueTicket', async (tx) => {
          const reservation = await tx.reservations.get(input.reservationId);
          if (!reservation) return err('ReservationNotFound', `reservation ${input.reservationId} not found`);
          const payment = await tx.payments.get(input.paymentId);
          if (!payment) return err('PaymentNotFound', `payment ${input.paymentId} not found`);
          const printed = await showtimeOnTicket(tx, reservation.showtimeId, input.showtime);
          if (!printed) return err('ShowtimeNotFound', `showtime ${reservation.showtimeId} not found`);
          // Random, not derived from the saga or the clock: a ticket number must not be guessable.
          // A retry after a commit gets the stored ticket from runOnce, never a second number.
          const number = TicketNumber.fromEntropy(randomBytes(TICKET_NUMBER_ENTROPY_BYTES));
          if (!number.ok) return number;
          const qrCode = await deps.ticketQr.sign(
            ticketQrClaims({
              id: input.ticketId,
              ticketNumber: number.value.value,
              showtimeId: reservation.showtimeId,
              seats: reservation.seats,
            }),
          );
          const issued = Ticket.issue(
            {
              id: input.ticketId,
              ticketNumber: number.value,
              reservation: reservation.toSnapshot(),
              payment: payment.toSnapshot(),
              ...printed,
              qrCode,
            },
            ctx,
          );
          if (!issued.ok) return issued;
          const saved = issued.value;
          await tx.tickets.save(saved);
          const done = {
            ticketId: saved.id,
            ticketNumber: saved.ticketNumber.value,
            seats: saved.seats,
            totalAmountMinor: saved.totalPrice.amountMinor,
            currency: saved.totalPrice.currency,
            message: `Ticket issued: ${saved.ticketNumber.value}`,
          };
          if (!input.closingSaga) return ok(done);
          const saga = closeSaga(tx, input.closingSaga, done);
          return saga.ok ? ok({ ...done, saga: saga.value }) : saga;
        });
        logOf(input).info({ ticketId: ticket.ticketId, ticketNumber: ticket.ticketNumber }, ticket.message);
        return ticket;
      } catch (error) {
        if (!isTicketNumberTaken(error) || attempt + 1 >= TICKET_NUMBER_TRIES) throw error;
      }
    }
  }

  /**
   * IssueTicket's success and the saga's completion, recorded in the step's transaction: the
   * saga's closing events go to the outbox with the ticket, so the purchase needs no bookkeeping
   * transaction after it. The saga given back is the one whose events were written; the workflow
   * carries on with it (workflows/saga-runner.ts, StepPlan.closes).
   */
  function closeSaga(
    tx: UnitOfWorkContext,
    closing: TicketPurchaseSagaSnapshot,
    issued: TicketIssuedOutcome,
  ): Result<TicketPurchaseSagaSnapshot> {
    const closed = ticketIssued(closing, issued, ctx);
    if (!closed.ok) return closed;
    // Not sifted like a workflow's re-sent events (appendSagaEvents): these are raised here, with
    // versions after every event the workflow had, and written once (a retry after the commit
    // gets the stored result from runOnce instead of running this again).
    tx.recordEvents(closed.value.events);
    return ok(closed.value.saga);
  }

  /** Undoes IssueTicket. */
  function voidTicket(input: VoidTicketInput): Promise<CompensationResult> {
    return compensation(input, 'VoidTicket', 'IssueTicket', async (tx) => {
      const ticket = await tx.tickets.get(input.ticketId);
      if (!ticket) return ok(nothingToUndo('No ticket was issued'));
      // A ticket already used at the door can't be taken back; a person must look at it.
      if (ticket.status !== TicketStatus.Issued) return ok(nothingToUndo(`Ticket already ${ticket.status}`));
      const voided = ticket.void(input.reason, ctx);
      if (!voided.ok) return voided;
      await tx.tickets.save(ticket);
      return ok({ message: `Ticket voided: ${ticket.ticketNumber.value}`, undone: true });
    });
  }

  /**
   * The refundTicket workflow's second step, keyed by the refund workflow id: the reservation's
   * live ticket becomes Refunded; none (or one already voided/refunded) is fine.
   */
  async function markTicketRefunded(input: MarkTicketRefundedInput): Promise<MarkTicketRefundedResult> {
    const { refundId } = input;
    const refundWorkflow = { workflowId: refundId, requestId: input.requestId };
    const marked = await once(
      refundWorkflow,
      'RefundTicket',
      async (tx): Promise<Result<MarkTicketRefundedResult>> => {
        const ticket = await tx.tickets.findByReservation(input.reservationId);
        if (!ticket) return ok({ ticketId: null, message: 'No ticket to refund' });
        if (ticket.status === TicketStatus.Voided || ticket.status === TicketStatus.Refunded) {
          return ok({ ticketId: ticket.id, message: `Ticket already ${ticket.status}` });
        }
        const refunded = ticket.refund(input.reason, ctx);
        if (!refunded.ok) return refunded;
        await tx.tickets.save(ticket);
        return ok({ ticketId: ticket.id, message: `Ticket refunded: ${ticket.ticketNumber.value}` });
      },
    );
    attemptLog(deps.log, { refundId, requestId: input.requestId }).info(
      { ticketId: marked.ticketId },
      marked.message,
    );
    return marked;
  }

  return { issueTicket, voidTicket, markTicketRefunded };
}

/** The showtime as ReserveSeats passed it on, or read again (sagas that reserved before it was passed). */
async function showtimeOnTicket(
  tx: UnitOfWorkContext,
  showtimeId: string,
  passed: ShowtimeOnTicket | undefined,
): Promise<{ movieTitle: string; screeningTime: Date; auditoriumName: string } | null> {
  if (passed?.auditoriumName !== undefined) {
    return {
      movieTitle: passed.movieTitle,
      screeningTime: new Date(passed.screeningTime),
      auditoriumName: passed.auditoriumName,
    };
  }
  const details = await tx.showtimes.getDetails(showtimeId);
  if (!details) return null;
  return {
    movieTitle: details.movie.title,
    screeningTime: details.showtime.startsAt,
    auditoriumName: details.auditorium.name,
  };
}
