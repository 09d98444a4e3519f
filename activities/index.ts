/**
 * The saga worker's activities (a booking's reservations, payments and tickets), built from injected dependencies (pool, unit of work, payment
 * provider, clock, logger), grouped by what they act on: reservations, payments, tickets, and
 * the purchase saga's own bookkeeping. The purchase saga, the reservationHold and the
 * refundTicket workflows all draw on them. Workflows import the *type* only:
 *
 *   import type { BookingActivities } from '../activities';
 *   const { reserveSeats } = proxyActivities<BookingActivities>({ ... });
 *
 * Saga domain events reach the outbox through these activities: each saga activity takes the
 * events the workflow raised since its last successful activity and appends them in its own
 * transaction, skipping any whose aggregate version is already there. IssueTicket writes a
 * successful purchase's tail (its StepCompleted and SagaCompleted) with the ticket; after a
 * rollback `recordSagaEvents` writes the tail (SagaCompensated) at the end. So no extra activity
 * runs per step, and every saga event commits together with the business change that follows it
 * (or, after a rollback, on its own at the end).
 */
import { createPaymentActivities } from './payment-activities';
import { createReservationActivities } from './reservation-activities';
import { createSagaBookkeeping } from './saga-bookkeeping';
import { acceptOldInputs } from './support';
import { createTicketActivities } from './ticket-activities';
import type { ActivityDeps } from './types';

export function createBookingActivities(deps: ActivityDeps) {
  return acceptOldInputs({
    ...createReservationActivities(deps),
    ...createPaymentActivities(deps),
    ...createTicketActivities(deps),
    ...createSagaBookkeeping(deps),
  });
}

export type BookingActivities = ReturnType<typeof createBookingActivities>;

export type * from './types';
