/**
 * Activity proxies with their timeouts and retry policies, shared by the workflows. Business
 * refusals arrive as non-retryable ApplicationFailures and skip every retry; anything else
 * (database or provider unavailable, a worker crash) is retried with exponential backoff.
 */
import { ActivityCancellationType, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BookingActivities } from '../activities';

/**
 * Forward database steps: short, a bounded number of retries, then the saga compensates. The
 * default cancellation (TRY_CANCEL) is enough for them: an attempt still running after its
 * timeout or a cancel is fenced off by its compensation (activities/support.ts fenceStep).
 */
export const { reserveSeats, confirmReservation, issueTicket } = proxyActivities<BookingActivities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 8,
  },
});

/**
 * The same forward database steps as local activities, for purchases started with the
 * 'lean-saga' patch (workflows/ticket-purchase.ts). A local activity runs in the saga worker
 * inside the workflow task that asks for it: no activity task through the server and no extra
 * workflow task per step (a purchase takes two workflow tasks instead of six). Their retry
 * semantics fit local execution: short transactions against our own database, idempotent per saga
 * step (runOnce), no heartbeats, no outside party; a worker that dies mid-step fails the workflow
 * task and the step runs again on another worker, at least once, as an activity would. A cancel
 * is TRY_CANCEL as above, fenced off by the compensation the same way.
 */
export const localSteps = proxyLocalActivities<BookingActivities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 8,
  },
});

/**
 * IssueTicket when it also records the saga's end (workflows/ticket-purchase.ts,
 * CLOSING_SHAPE_PATCH): retried until it is done or refused, as the closing bookkeeping it took
 * over was. An attempt that timed out may have committed the saga's completion to the outbox, so
 * giving up and compensating would put a rollback after a completed saga; a refusal rolls its
 * transaction back and compensates as before. The workflow's customer-facing answer waits (202)
 * while our database is down, which a compensation would need as much.
 */
export const localClosingStep = proxyLocalActivities<BookingActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The saga's closing bookkeeping (recordSagaEvents: the last saga events into the outbox) as a
 * local activity, with the same no-limit retries as `retriedUntilDone`: a plain insert into our own
 * database, idempotent by aggregate version (appendSagaEvents). Compensations stay regular
 * activities: they may retry for long, and that waiting belongs on the server's timers, not in a
 * worker's memory; ProcessPayment stays regular too (it calls the provider, heartbeats, and is
 * waited for when cancelled).
 */
export const localBookkeeping = proxyLocalActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The customer's refund: it refuses (non-retryably) before it records the refund as begun; after
 * that the money may already be on its way back, so it is retried until the outcome is recorded,
 * never abandoned half-way. An outage before the decision only delays the refund (the API says 202).
 */
export const { refundCompletedPayment } = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The charge. It heartbeats (a crashed worker is noticed after 5 s, not 30) and the workflow
 * waits for a cancelled charge to actually stop (WAIT_CANCELLATION_COMPLETED) before it runs
 * RefundPayment: with the default TRY_CANCEL the workflow would move on at once and could look
 * for a charge that the still-running attempt is about to make, then finish "nothing to refund"
 * while money is taken. Waiting means RefundPayment sees the charge's final outcome. (An attempt
 * on a worker that is gone is covered by the provider: resolveCharge cancels its key.)
 */
export const { processPayment } = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '5 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 5,
  },
});

/**
 * Steps that must happen whatever it takes (compensations, a refund's bookkeeping, a hold's
 * release): no attempt limit, backoff capped at a minute. (A compensation that fails
 * non-retryably is retried by the workflow.)
 */
export const retriedUntilDone = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The purchase saga's compensations in runs that end visibly when one keeps failing: 10 attempts
 * (about 4 minutes of backoff) ride out an outage; past that, or on a non-retryable failure, the
 * saga shows Failed and waits for an operator (workflows/saga-runner.ts) instead of retrying blind.
 */
export const boundedCompensations = proxyActivities<BookingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
});
