/**
 * The saga's forward steps, as thin adapters: load aggregates, call the domain, save, in one unit
 * of work that also writes the outbox rows. Each step runs under `runOnce(workflowId, step)`, so an
 * attempt retried after its commit returns the stored result instead of acting twice.
 */
import { randomBytes } from 'node:crypto';
import { CancelledFailure } from '@temporalio/activity';

import { Payment, type CardSummary } from '../domain/payment';
import { Reservation } from '../domain/reservation';
import { err, ok } from '../domain/shared/result';
import { Ticket, TICKET_NUMBER_ENTROPY_BYTES, TicketNumber, ticketQrClaims } from '../domain/ticket';
import { isTicketNumberTaken } from '../db/repositories/ticket-repository';
import { runOnce } from '../db/run-once';
import type { UnitOfWorkContext } from '../db/unit-of-work';
import { PaymentCallAbortedError, type ChargeResult } from '../providers/payment/payment-provider';
import {
  appendSagaEvents,
  stepScope,
  attemptLog,
  loggedWorkflowId,
  businessFailure,
  domainContext,
  origin,
  unwrap,
  withHeartbeats,
} from './support';
import type {
  ActivityDeps,
  ConfirmReservationInput,
  IssueTicketInput,
  IssueTicketResult,
  ProcessPaymentInput,
  ProcessPaymentResult,
  ReserveSeatsInput,
  ReserveSeatsResult,
  ShowtimeOnTicket,
  StepMessage,
} from './types';

/** Two random ticket numbers colliding is all but impossible; a few fresh draws settle it anyway. */
const TICKET_NUMBER_TRIES = 5;

export function createPurchaseSteps(deps: ActivityDeps) {
  const { uow, provider } = deps;
  const ctx = domainContext(deps);

  async function reserveSeats(input: ReserveSeatsInput): Promise<ReserveSeatsResult> {
    const { workflowId } = input;
    const log = attemptLog(deps.log, { ...loggedWorkflowId(workflowId), requestId: input.requestId });
    const result = await uow.run(
      (tx) =>
        runOnce(tx.db, stepScope(input), 'ReserveSeats', async () => {
          await appendSagaEvents(tx, input.sagaEvents);
          const details = await tx.showtimes.getDetails(input.showtimeId);
          if (!details) return err('ShowtimeNotFound', `showtime ${input.showtimeId} does not exist`);
          if (input.claimHold) {
            // The customer's hold, locked: its own release (the hold's timer or a cancel) runs
            // before this claim and leaves it expired, or after it and leaves it to this purchase.
            const held = await tx.reservations.getForUpdate(input.reservationId);
            if (!held) return err('ReservationNotFound', `No reservation ${input.reservationId}`);
            const claimed = held.claimFor(
              {
                purchaseSagaId: workflowId,
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
        }),
      origin(workflowId, input),
    );
    const reserved = unwrap(result);
    log.info({ reservationId: reserved.reservationId }, reserved.message);
    return reserved;
  }

  /**
   * Three moves, so that no transaction stays open across the provider call:
   * 1. the payment row, Pending -> Processing (runOnce 'ProcessPayment': the compensation fences it);
   * 2. the charge, keyed by the payment id, heartbeating so a cancel reaches it;
   * 3. the outcome recorded (runOnce 'ProcessPayment.outcome').
   * A crash between 2 and 3 is safe: the retry re-sends the same key and gets the same charge.
   */
  async function processPayment(input: ProcessPaymentInput): Promise<ProcessPaymentResult> {
    const { workflowId, paymentId } = input;
    const log = attemptLog(deps.log, { ...loggedWorkflowId(workflowId), requestId: input.requestId });
    const started = await uow.run(
      (tx) =>
        runOnce(tx.db, stepScope(input), 'ProcessPayment', async () => {
          await appendSagaEvents(tx, input.sagaEvents);
          const reservation = await tx.reservations.get(input.reservationId);
          if (!reservation) return err('ReservationNotFound', `reservation ${input.reservationId} not found`);
          if (reservation.status !== 'Pending') {
            return err('ReservationNotPending', `a ${reservation.status} reservation can't be paid`);
          }
          const { cardBrand, cardLast4 } = input.payment;
          const card =
            cardBrand && cardLast4 ? ({ brand: cardBrand, last4: cardLast4 } as CardSummary) : null;
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
        }),
      origin(workflowId, input),
    );
    const amount = unwrap(started);

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

    const recorded = await uow.run(
      (tx) =>
        runOnce(tx.db, stepScope(input), 'ProcessPayment.outcome', async () => {
          const payment = await tx.payments.get(paymentId);
          if (!payment) return err('PaymentNotFound', `payment ${paymentId} not found`);
          const outcome =
            charge.status === 'succeeded'
              ? payment.complete(charge.transactionId, ctx)
              : payment.decline(charge.message, ctx);
          if (!outcome.ok) return outcome;
          await tx.payments.save(payment);
          return ok(charge);
        }),
      origin(workflowId, input),
    );
    const final = unwrap(recorded);
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

  async function confirmReservation(input: ConfirmReservationInput): Promise<StepMessage> {
    const { workflowId } = input;
    const log = attemptLog(deps.log, { ...loggedWorkflowId(workflowId), requestId: input.requestId });
    const result = await uow.run(
      (tx) =>
        runOnce(tx.db, stepScope(input), 'ConfirmReservation', async () => {
          await appendSagaEvents(tx, input.sagaEvents);
          const reservation = await tx.reservations.get(input.reservationId);
          if (!reservation) return err('ReservationNotFound', `reservation ${input.reservationId} not found`);
          const confirmed = reservation.confirm(ctx, await tx.payments.findByReservation(reservation.id));
          if (!confirmed.ok) return confirmed;
          const saved = await tx.reservations.save(reservation);
          if (!saved.ok) return saved;
          return ok({ message: 'Reservation confirmed' });
        }),
      origin(workflowId, input),
    );
    const confirmed = unwrap(result);
    log.info({ reservationId: input.reservationId }, confirmed.message);
    return confirmed;
  }

  async function issueTicket(input: IssueTicketInput): Promise<IssueTicketResult> {
    const { workflowId } = input;
    const log = attemptLog(deps.log, { ...loggedWorkflowId(workflowId), requestId: input.requestId });
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await uow.run(
          (tx) =>
            runOnce(tx.db, stepScope(input), 'IssueTicket', async () => {
              await appendSagaEvents(tx, input.sagaEvents);
              const reservation = await tx.reservations.get(input.reservationId);
              if (!reservation)
                return err('ReservationNotFound', `reservation ${input.reservationId} not found`);
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
              const ticket = issued.value;
              await tx.tickets.save(ticket);
              return ok({
                ticketId: ticket.id,
                ticketNumber: ticket.ticketNumber.value,
                seats: ticket.seats,
                totalAmountMinor: ticket.totalPrice.amountMinor,
                currency: ticket.totalPrice.currency,
                message: `Ticket issued: ${ticket.ticketNumber.value}`,
              });
            }),
          origin(workflowId, input),
        );
        const ticket = unwrap(result);
        log.info({ ticketId: ticket.ticketId, ticketNumber: ticket.ticketNumber }, ticket.message);
        return ticket;
      } catch (error) {
        if (!isTicketNumberTaken(error) || attempt + 1 >= TICKET_NUMBER_TRIES) throw error;
      }
    }
  }

  return { reserveSeats, processPayment, confirmReservation, issueTicket };
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
