/**
 * The ticket purchase saga (workflow id `purchase-<key>`):
 *
 *   ReserveSeats -> ProcessPayment -> ConfirmReservation -> IssueTicket
 *
 * On a failure, a cancel (signal or update) or an expired seat hold, the compensations of the
 * steps attempted so far run in reverse (VoidTicket, CancelReservation, RefundPayment,
 * ReleaseSeats). A clean rollback is a normal result (`success: false`), not a failed workflow.
 */
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
// Modules, not the domain's index: a new workflow evaluates every module it imports, and the
// index would bring every aggregate and event schema (zod) into each purchase.
import { SagaState } from '../domain/purchase/saga-state';
import {
  TicketPurchaseSaga,
  refusedPurchaseStatus,
  sagaFailureMessage,
} from '../domain/purchase/ticket-purchase-saga';
import type { DomainError } from '../domain/shared/result';
import type { IssueTicketResult, ReserveSeatsResult } from '../activities';
import {
  boundedCompensations,
  retriedUntilDone,
  confirmReservation,
  issueTicket,
  localBookkeeping,
  localClosingStep,
  localSteps,
  processPayment,
  reserveSeats,
} from './activities';
import {
  abandonCompensationUpdate,
  cancelSignal,
  cancelUpdate,
  retryCompensationUpdate,
  statusQuery,
  type TicketPurchaseInput,
  type TicketPurchaseResult,
} from './purchase-contract';
import { SagaRunner, type PurchasePlan, type Stop } from './saga-runner';
import { CustomerId, RequestId, ShowtimeId } from './search-attributes';
import { purchaseRowIds } from './purchase-ids';
import { workflowContext } from './support';

/** patched() id of the leaner command sequence (local activities, coalesced search attributes). */
export const LEAN_SAGA_PATCH = 'lean-saga';

/**
 * patched() id of buying the seats a customer holds (`input.reservationId`): ReserveSeats takes
 * that hold over instead of reserving anew, and the hold timer runs to the hold's own expiry.
 */
export const CLAIM_HOLD_PATCH = 'claim-hold';

/** patched() id of row ids derived from the first run id (purchase-ids.ts), with no 1 ms timer. */
export const IDS_FROM_FIRST_RUN_PATCH = 'ids-from-first-run';

/**
 * patched() id of the current shape: every patch above (and the unnamed ones below) at once. Each
 * patch costs a run a marker and a TemporalChangeVersion search-attribute upsert (a visibility
 * write) in its first workflow task, five of each per purchase by now (six with a hold); a new
 * run records this one instead. A run recorded before it has no such marker, so patched() answers
 * false on replay and that run asks for the older patches one by one, as it did
 * (test/histories/README.md). A change of the purchase's commands from now on gets a patch of its
 * own, as the README's "Changing the workflow safely" says, and may later be folded into the next
 * such shape patch.
 */
export const PURCHASE_SHAPE_PATCH = 'purchase-shape-2026-12';

/**
 * patched() id of the shape after PURCHASE_SHAPE_PATCH: that shape, with IssueTicket recording
 * its own success and the saga's completion in its transaction (one local activity and one
 * transaction fewer per purchase: no closing bookkeeping after a success). It stands for
 * PURCHASE_SHAPE_PATCH, so a new run records this one marker only; a run recorded before it has
 * no such marker and asks for PURCHASE_SHAPE_PATCH next.
 */
export const CLOSING_SHAPE_PATCH = 'purchase-shape-2026-12-closing';

/** The patches PURCHASE_SHAPE_PATCH stands for; a later patch is asked for with patched() itself. */
type FoldedPatch =
  | typeof LEAN_SAGA_PATCH
  | typeof IDS_FROM_FIRST_RUN_PATCH
  | typeof CLAIM_HOLD_PATCH
  | 'step-results-per-run'
  | 'stuck-compensation-ends-visible'
  | 'paid-after-hold-goes-on';

const holdExpired = (): Stop => ({
  reason: 'Seat hold expired before payment completed',
  code: 'HoldExpired',
});
const cancelled = (reason?: string): Stop => ({
  reason: reason?.trim() ? `Cancelled: ${reason.trim()}` : 'Cancelled by customer',
  code: 'Cancelled',
});

export async function ticketPurchase(input: TicketPurchaseInput): Promise<TicketPurchaseResult> {
  const { sagaId, requestId } = input;
  const ctx = workflowContext();
  const started = TicketPurchaseSaga.start(input, ctx);
  if (!started.ok) return refused(sagaId, started.error);
  if (!(input.holdSeconds > 0)) {
    return refused(sagaId, { code: 'InvalidHoldSeconds', message: 'holdSeconds must be a positive number' });
  }
  // Asked first: true for every run started since, which then never asks for the older ones.
  const closesInLastStep = patched(CLOSING_SHAPE_PATCH);
  const currentShape = closesInLastStep || patched(PURCHASE_SHAPE_PATCH);
  const has = (patchId: FoldedPatch) => currentShape || patched(patchId);
  // Purchases started before this patch replay their recorded commands (activities, one
  // search-attribute upsert per publish); newer ones run the database steps and the closing
  // bookkeeping as local activities and upsert once per change of step (workflows/activities.ts).
  const lean = has(LEAN_SAGA_PATCH);
  const steps = lean ? localSteps : { reserveSeats, confirmReservation, issueTicket };
  const recordSagaEvents = lean ? localBookkeeping.recordSagaEvents : retriedUntilDone.recordSagaEvents;
  const saga = new SagaRunner(
    started.value,
    ctx,
    currentShape ? 'per-task' : lean ? 'per-wait' : 'every-publish',
  );
  // Minted here, before any step: retries and compensations all name the same rows, and so must
  // a reset run (`temporal workflow reset`), which runs the last workflow task again with a new
  // random seed. Newer purchases derive the ids from the first run id, which a reset keeps
  // (purchase-ids.ts). Before that, in the lean shape, the ids drawn at random got a workflow
  // task of their own (a 1 ms timer after them); older purchases drew them with the first steps.
  const idsFromRun = lean && has(IDS_FROM_FIRST_RUN_PATCH);
  const idsInOwnTask = lean && !idsFromRun && patched('ids-in-own-workflow-task');
  // Drawn even when a hold is taken over, so the payment and ticket ids come from the same draws.
  const ids = idsFromRun
    ? purchaseRowIds(workflowInfo().firstExecutionRunId)
    : { reservationId: uuid4(), paymentId: uuid4(), ticketId: uuid4() };
  const heldReservationId =
    input.reservationId !== undefined && has(CLAIM_HOLD_PATCH) ? input.reservationId : null;
  const claimHold = heldReservationId !== null;
  const reservationId = heldReservationId ?? ids.reservationId;
  const { paymentId, ticketId } = ids;
  const holdExpiresAt = new Date(Date.now() + input.holdSeconds * 1000);
  // Stored step results belong to this run of this purchase (activities/support.ts stepScope).
  const runKey = has('step-results-per-run') ? workflowInfo().firstExecutionRunId : undefined;
  const scope = { workflowId: sagaId, requestId, ...(runKey === undefined ? {} : { runKey }) };
  // A compensation that keeps failing ends Failed and waits for an operator (SagaRunner.compensate).
  const stuckEndsVisible = has('stuck-compensation-ends-visible');
  const undo = stuckEndsVisible ? boundedCompensations : retriedUntilDone;
  const compensationReason = () => saga.snapshot().failureReason ?? 'Purchase rolled back';

  // Stopping = cancelling the forward scope; the step in flight then fails and compensation follows.
  const forward = new CancellationScope();
  let stop: Stop | null = null;
  const stoppable = () => saga.status === SagaState.Started || saga.status === SagaState.InProgress;
  const requestStop = (why: Stop) => {
    if (stop !== null || !stoppable()) return;
    stop = why;
    forward.cancel();
  };

  setHandler(statusQuery, () => saga.statusView());
  setHandler(cancelSignal, (reason) => requestStop(cancelled(reason)));
  setHandler(
    cancelUpdate,
    async (reason) => {
      requestStop(cancelled(reason));
      await condition(() => saga.isFinished);
      return saga.statusView();
    },
    {
      validator: (_reason: string) => {
        if (!stoppable()) throw new Error(`a ${saga.status} purchase can't be cancelled any more`);
      },
    },
  );

  const operatorOnly = () => {
    if (!saga.awaitsOperator) throw new Error(`a ${saga.status} purchase is not waiting for an operator`);
  };
  setHandler(
    retryCompensationUpdate,
    async () => {
      await saga.retryByOperator();
      return saga.statusView();
    },
    { validator: operatorOnly },
  );
  setHandler(
    abandonCompensationUpdate,
    async (reason) => {
      await saga.abandonByOperator(reason.trim() || 'abandoned by an operator');
      return saga.statusView();
    },
    { validator: (_reason: string) => operatorOnly() },
  );

  saga.publishOnce([
    { key: CustomerId, value: input.customerId },
    { key: ShowtimeId, value: input.showtimeId },
    { key: RequestId, value: input.requestId },
  ]);
  saga.publish('None');

  // A hold that runs out while the charge is in flight stops the charge only: if the provider
  // still answers "charged", the purchase goes on (confirmation accepts a paid, lapsed hold).
  const paidAfterHoldGoesOn = has('paid-after-hold-goes-on');
  let charging: CancellationScope | null = null;
  const chargeWithinHold = async <T>(charge: () => Promise<T>): Promise<T> => {
    charging = new CancellationScope(); // a child of forward: a customer's cancel reaches it too
    const charged = await charging.run(charge);
    charging = null;
    if (stop?.code === 'HoldExpired') stop = null; // charged after all: the paid hold stands
    return charged;
  };

  // The seat hold: a durable timer. If payment has not completed when it fires, stop and compensate.
  // A taken-over hold keeps its own expiry (the countdown the customer saw): its timer starts once
  // ReserveSeats has read it; a new reservation's starts now.
  const hold = new CancellationScope();
  const startHoldTimer = (expiresAt: Date) =>
    void hold
      .run(() => sleep(Math.max(1, expiresAt.getTime() - Date.now())))
      .then(
        () => {
          if (saga.snapshot().completedSteps.includes('ProcessPayment')) return;
          if (charging !== null && stop === null && stoppable()) {
            stop = holdExpired();
            charging.cancel();
          } else requestStop(holdExpired());
        },
        () => undefined, // cancelled: paid in time, or the purchase already ended
      );
  if (!claimHold) startHoldTimer(holdExpiresAt);

  if (idsInOwnTask) await sleep(1);

  // The purchase: each step beside what undoes it, in the order the saga runs them (SAGA_STEPS).
  let reserved: ReserveSeatsResult | undefined;
  let ticket: IssueTicketResult | undefined;
  const plan: PurchasePlan = {
    ReserveSeats: {
      undo: (sagaEvents) =>
        undo.releaseSeats({
          ...scope,
          sagaEvents,
          reservationId,
          reason: compensationReason(),
          ...(claimHold ? { claimedHold: true } : {}),
        }),
      run: (sagaEvents) =>
        steps.reserveSeats({
          ...scope,
          sagaEvents,
          reservationId,
          showtimeId: input.showtimeId,
          customerId: input.customerId,
          seats: input.seats,
          holdExpiresAt: holdExpiresAt.toISOString(),
          ...(claimHold ? { claimHold: true } : {}),
        }),
      refs: (r) => ({ reservationId: r.reservationId }),
      inWorkflowTask: lean,
      succeeded: (r) => {
        reserved = r;
        if (claimHold) startHoldTimer(new Date(r.holdExpiresAt ?? holdExpiresAt));
      },
    },
    ProcessPayment: {
      undo: (sagaEvents) =>
        undo.refundPayment({ ...scope, sagaEvents, paymentId, reason: compensationReason() }),
      run: (sagaEvents) =>
        processPayment({
          ...scope,
          sagaEvents,
          paymentId,
          reservationId,
          customerId: input.customerId,
          payment: input.payment,
        }),
      refs: (r) => ({ paymentId: r.paymentId, transactionId: r.transactionId }),
      within: paidAfterHoldGoesOn ? chargeWithinHold : undefined,
      succeeded: () => hold.cancel(), // paid in time: the seats stay held until confirmed
    },
    ConfirmReservation: {
      undo: (sagaEvents) =>
        undo.cancelReservation({ ...scope, sagaEvents, reservationId, reason: compensationReason() }),
      run: (sagaEvents) => steps.confirmReservation({ ...scope, sagaEvents, reservationId }),
      inWorkflowTask: lean,
    },
    IssueTicket: {
      undo: (sagaEvents) => undo.voidTicket({ ...scope, sagaEvents, ticketId, reason: compensationReason() }),
      run: (sagaEvents) =>
        (closesInLastStep ? localClosingStep : steps).issueTicket({
          ...scope,
          sagaEvents,
          ticketId,
          reservationId,
          paymentId,
          showtime: reserved && {
            movieTitle: reserved.movieTitle,
            screeningTime: reserved.screeningTime,
            auditoriumName: reserved.auditoriumName,
          },
          ...(closesInLastStep ? { closingSaga: saga.snapshot() } : {}),
        }),
      refs: (r) => ({ ticketId: r.ticketId, ticketNumber: r.ticketNumber }),
      inWorkflowTask: lean,
      // Once the saga's completion may be committed, a stop must not roll it back on a guess: a
      // cancel that arrives while the ticket is issued comes too late (the purchase completes).
      within: closesInLastStep ? (step) => CancellationScope.nonCancellable(step) : undefined,
      closes: (r) => r.saga,
      succeeded: (r) => {
        ticket = r;
      },
    },
  };

  let code = 'None';
  try {
    await forward.run(() => saga.run(plan));
  } catch (error) {
    // A cancel of the whole workflow (not via our signal) also ends in a clean rollback.
    code = saga.fail(error, stop ?? (isCancellation(error) ? cancelled('workflow cancelled') : null));
  }
  hold.cancel();
  await saga.compensate(plan, stuckEndsVisible);

  await CancellationScope.nonCancellable(async () => {
    saga.flush();
    const sagaEvents = saga.pendingEvents();
    // A success closed by IssueTicket has nothing left to record (older runs recorded anyway).
    if (sagaEvents.length > 0 || !closesInLastStep) await recordSagaEvents({ ...scope, sagaEvents });
    await condition(allHandlersFinished); // a cancelPurchase update answers before we return
  });

  log.info('purchase ended', { sagaId, status: saga.status, code });
  if (saga.status === SagaState.Completed && reserved && ticket) {
    return {
      success: true,
      sagaId,
      ticketId: ticket.ticketId,
      ticketNumber: ticket.ticketNumber,
      reservationId,
      paymentId,
      movieTitle: reserved.movieTitle,
      screeningTime: reserved.screeningTime,
      seats: ticket.seats,
      totalAmountMinor: ticket.totalAmountMinor,
      currency: ticket.currency,
      finalStatus: saga.statusView(),
    };
  }
  return {
    success: false,
    sagaId,
    error: sagaFailureMessage(saga.snapshot()) ?? 'Failed',
    code,
    finalStatus: saga.statusView(),
  };
}

/**
 * A purchase refused before its first step (input the API should not have let through): nothing
 * to compensate, and the status query still answers so the API's status page works.
 */
function refused(sagaId: string, error: DomainError): TicketPurchaseResult {
  const finalStatus = refusedPurchaseStatus(sagaId, error.message, new Date());
  setHandler(statusQuery, () => finalStatus);
  return {
    success: false,
    sagaId,
    error: sagaFailureMessage(finalStatus) ?? 'Failed',
    code: error.code,
    finalStatus,
  };
}
