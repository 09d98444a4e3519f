/** Domain objects for db integration tests, built through the real aggregates. */
import { randomBytes, randomUUID } from 'node:crypto';

import { Payment } from '../../../domain/payment';
import type { SagaStartedPayload, StepCompletedPayload } from '../../../domain/purchase';
import { Reservation } from '../../../domain/reservation';
import type { DomainContext } from '../../../domain/shared/context';
import { Money } from '../../../domain/shared/money';
import { expectOk } from '../../../domain/shared/result';
import type { SeatRef } from '../../../domain/shared/seat';
import { Auditorium, Movie, SeatLayout, Showtime } from '../../../domain/showtime';
import { Ticket, TICKET_NUMBER_ENTROPY_BYTES, TicketNumber } from '../../../domain/ticket';
import type { UnitOfWork } from '../../../db/unit-of-work';

export const HOUR = 3_600_000;

/** A context whose clock the test moves by hand. */
export function testContext(start = new Date()): DomainContext & { advance(ms: number): void } {
  let now = start.getTime();
  return {
    clock: { now: () => new Date(now) },
    ids: { nextId: () => randomUUID() },
    advance(ms: number) {
      now += ms;
    },
  };
}

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * Payloads of saga events, which have no aggregate table of their own: tests write them straight
 * to the outbox, whose writer checks each against its event's schema.
 */
export const stepCompletedPayload = (sagaId: string, stepNumber: number, message = `step ${stepNumber}`) =>
  ({
    sagaId,
    stepName: 'ReserveSeats',
    stepNumber,
    message,
    reservationId: null,
    paymentId: null,
    ticketId: null,
    ticketNumber: null,
  }) satisfies StepCompletedPayload;

export const sagaStartedPayload = (sagaId: string) =>
  ({
    sagaId,
    customerId: 'customer-1',
    showtimeId: 'showtime-1',
    seats: [{ row: 1, number: 1 }],
    startedAt: new Date().toISOString(),
  }) satisfies SagaStartedPayload;

export interface ScheduledShowtime {
  readonly movie: Movie;
  readonly auditorium: Auditorium;
  readonly showtime: Showtime;
}

/** Saves a movie, a rectangular auditorium and a showtime starting in `startsInHours`. */
export async function scheduleShowtime(
  uow: UnitOfWork,
  ctx: DomainContext,
  options: { rows?: number; seatsPerRow?: number; startsInHours?: number; priceMinor?: number } = {},
): Promise<ScheduledShowtime> {
  const movie = expectOk(
    Movie.create({ id: uniqueId('movie'), title: 'Inception', runningTimeMinutes: 148, rating: 'PG-13' }),
  );
  const layout = expectOk(SeatLayout.rectangular(options.rows ?? 5, options.seatsPerRow ?? 10));
  const auditorium = expectOk(
    Auditorium.create({ id: uniqueId('aud'), name: uniqueId('Hall'), rows: layout.toSnapshot() }),
  );
  const showtime = expectOk(
    Showtime.schedule(
      {
        id: uniqueId('st'),
        movie,
        auditorium,
        startsAt: new Date(ctx.clock.now().getTime() + (options.startsInHours ?? 48) * HOUR),
        pricePerSeat: expectOk(Money.of(options.priceMinor ?? 1250, 'USD')),
        existingShowtimes: [],
      },
      ctx,
    ),
  );
  await uow.run(async (tx) => {
    await tx.showtimes.saveMovie(movie);
    await tx.showtimes.saveAuditorium(auditorium);
    await tx.showtimes.save(showtime);
  });
  return { movie, auditorium, showtime };
}

export function newReservation(
  ctx: DomainContext,
  scheduled: ScheduledShowtime,
  seats: readonly SeatRef[],
  options: { takenSeats?: SeatRef[]; id?: string; customerId?: string } = {},
): Reservation {
  return expectOk(
    Reservation.create(
      {
        id: options.id ?? uniqueId('res'),
        customerId: options.customerId ?? 'customer-123',
        showtime: scheduled.showtime,
        auditorium: scheduled.auditorium,
        seats,
        takenSeats: options.takenSeats ?? [],
        holdExpiresAt: new Date(ctx.clock.now().getTime() + 10 * 60_000),
      },
      ctx,
    ),
  );
}

export function completedPayment(ctx: DomainContext, reservation: Reservation): Payment {
  const payment = expectOk(
    Payment.create(
      {
        id: uniqueId('pay'),
        reservationId: reservation.id,
        customerId: reservation.customerId,
        amount: reservation.totalPrice,
        method: 'CreditCard',
        card: { brand: 'Visa', last4: '1111' },
        providerToken: 'tok_test_visa',
      },
      ctx,
    ),
  );
  expectOk(payment.markProcessing(ctx));
  expectOk(payment.complete(`TXN-${randomUUID().slice(0, 8)}`, ctx));
  return payment;
}

export function issuedTicket(
  ctx: DomainContext,
  scheduled: ScheduledShowtime,
  reservation: Reservation,
  payment: Payment,
  /** Pins the last 4 digits (with the clock's milliseconds before them), to provoke a collision. */
  sequence?: number,
): Ticket {
  const ticketNumber =
    sequence === undefined
      ? TicketNumber.fromEntropy(randomBytes(TICKET_NUMBER_ENTROPY_BYTES))
      : TicketNumber.parse(
          `TKT-${String(ctx.clock.now().getTime()).padStart(14, '0').slice(-14)}-${String(sequence).padStart(4, '0')}`,
        );
  return expectOk(
    Ticket.issue(
      {
        id: uniqueId('ticket'),
        ticketNumber: expectOk(ticketNumber),
        reservation: reservation.toSnapshot(),
        payment: payment.toSnapshot(),
        movieTitle: scheduled.movie.title,
        screeningTime: scheduled.showtime.startsAt,
        auditoriumName: scheduled.auditorium.name,
      },
      ctx,
    ),
  );
}

/** A confirmed reservation, its completed payment and its issued ticket, saved in one transaction. */
export async function saveIssuedTicket(
  uow: UnitOfWork,
  ctx: DomainContext,
  scheduled: ScheduledShowtime,
  seats: readonly SeatRef[],
): Promise<{ reservation: Reservation; payment: Payment; ticket: Ticket }> {
  const reservation = newReservation(ctx, scheduled, seats);
  expectOk(reservation.confirm(ctx));
  const payment = completedPayment(ctx, reservation);
  const ticket = issuedTicket(ctx, scheduled, reservation, payment);
  await uow.run(async (tx) => {
    expectOk(await tx.reservations.save(reservation));
    await tx.payments.save(payment);
    await tx.tickets.save(ticket);
  });
  return { reservation, payment, ticket };
}
