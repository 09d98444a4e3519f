import { AggregateRoot } from '../shared/aggregate-root';
import type { DomainContext } from '../shared/context';
import { validateId } from '../shared/ids';
import { err, ok, type Result } from '../shared/result';
import { sortSeats, validateSeat, type SeatRef } from '../shared/seat';
import type { SagaError } from './errors';
import type { SagaEvent } from './events';
import { SagaState, isFinalSagaState } from './saga-state';
import {
  COMPENSATION_OF,
  SAGA_STEPS,
  TOTAL_SAGA_STEPS,
  stepNumber,
  type CompensationName,
  type SagaRefs,
  type SagaStepName,
  type StepLog,
} from './saga-steps';

/**
 * The whole saga as plain JSON: what the workflow holds and answers to its `status` query with.
 * `sagaId` is the aggregate id.
 */
export interface TicketPurchaseSagaSnapshot extends SagaRefs {
  readonly sagaId: string;
  readonly customerId: string;
  readonly showtimeId: string;
  readonly seats: readonly SeatRef[];
  readonly status: SagaState;
  readonly currentStep: number; // 1-based step running or last run; 0 before the first
  readonly totalSteps: number;
  readonly inFlightStep: SagaStepName | null; // started, outcome not yet recorded
  readonly completedSteps: readonly SagaStepName[];
  readonly failedStep: SagaStepName | null;
  readonly compensationsPlanned: readonly CompensationName[]; // in run order, fixed at failure
  readonly compensationsCompleted: readonly CompensationName[];
  readonly failureReason: string | null;
  readonly abandonReason: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null; // when a final state was reached
  readonly stepLogs: readonly StepLog[];
  readonly version: number;
}

/** Exactly the `GET /api/ticketpurchase/{sagaId}/status` body. */
export interface SagaStatusView {
  readonly sagaId: string;
  readonly status: SagaState;
  readonly currentStep: number;
  readonly totalSteps: number;
  readonly failureReason: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly ticketId: string | null;
  readonly ticketNumber: string | null;
  readonly stepLogs: readonly StepLog[];
}

export interface StartPurchase {
  readonly sagaId: string;
  readonly customerId: string;
  readonly showtimeId: string;
  readonly seats: readonly unknown[];
}

export interface StepSuccess {
  readonly message: string;
  /** Ids the step produced: ReserveSeats must give reservationId, ProcessPayment paymentId, IssueTicket ticketId + ticketNumber. */
  readonly refs?: Partial<SagaRefs>;
}

export interface StepFailure {
  readonly reason: string;
  /**
   * Whether the step may have taken effect even though it reported failure (a timeout, a worker
   * crash, a cancel while it ran). Then its own compensation runs too; compensations are
   * idempotent, so undoing something that never happened is harmless, while skipping it could
   * leave money taken. A business refusal (card declined, seat taken) passes false.
   */
  readonly possiblyApplied: boolean;
}

const REQUIRED_REFS: Record<SagaStepName, readonly (keyof SagaRefs)[]> = {
  ReserveSeats: ['reservationId'],
  ProcessPayment: ['paymentId'],
  ConfirmReservation: [],
  IssueTicket: ['ticketId', 'ticketNumber'],
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The TicketPurchaseSaga as a pure, deterministic state machine. The Temporal workflow
 * owns one, drives it (each step in `nextStep()` order: stepStarted -> run the activity ->
 * stepSucceeded/stepFailed; then each compensation in `nextCompensation()` order) and forwards
 * its events to the outbox through an activity. No Node APIs, no clock: every method takes the
 * context it stamps with.
 */
export class TicketPurchaseSaga extends AggregateRoot<SagaEvent> {
  protected readonly aggregateType = 'TicketPurchaseSaga' as const;

  private constructor(private s: Mutable<TicketPurchaseSagaSnapshot>) {
    super(s.sagaId, s.version);
  }

  static start(cmd: StartPurchase, ctx: DomainContext): Result<TicketPurchaseSaga, SagaError> {
    for (const [value, what] of [
      [cmd.sagaId, 'sagaId'],
      [cmd.customerId, 'customerId'],
      [cmd.showtimeId, 'showtimeId'],
    ] as const) {
      const id = validateId(value, what);
      if (!id.ok) return id;
    }
    if (!Array.isArray(cmd.seats) || cmd.seats.length === 0) {
      return err('NoSeatsRequested', 'choose at least one seat');
    }
    const seats: SeatRef[] = [];
    for (const raw of cmd.seats) {
      const seat = validateSeat(raw);
      if (!seat.ok) return seat;
      seats.push(seat.value);
    }
    const now = ctx.clock.now();
    const saga = new TicketPurchaseSaga({
      sagaId: cmd.sagaId,
      customerId: cmd.customerId,
      showtimeId: cmd.showtimeId,
      seats: sortSeats(seats),
      status: SagaState.Started,
      currentStep: 0,
      totalSteps: TOTAL_SAGA_STEPS,
      inFlightStep: null,
      completedSteps: [],
      failedStep: null,
      compensationsPlanned: [],
      compensationsCompleted: [],
      failureReason: null,
      abandonReason: null,
      reservationId: null,
      paymentId: null,
      transactionId: null,
      ticketId: null,
      ticketNumber: null,
      createdAt: now.toISOString(),
      completedAt: null,
      stepLogs: [],
      version: 0,
    });
    saga.raise(
      'SagaStarted',
      {
        sagaId: saga.id,
        customerId: cmd.customerId,
        showtimeId: cmd.showtimeId,
        seats: sortSeats(seats),
        startedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(saga);
  }

  /**
   * The saga a snapshot describes, with no events pending. A step that records its own outcome
   * in its transaction rebuilds the saga so (activities/ticket-activities.ts), and the workflow
   * then carries on with the saga the step gave back (workflows/saga-runner.ts).
   */
  static fromSnapshot(snapshot: TicketPurchaseSagaSnapshot): TicketPurchaseSaga {
    return new TicketPurchaseSaga(clone(snapshot));
  }

  get status(): SagaState {
    return this.s.status;
  }

  get isFinished(): boolean {
    return isFinalSagaState(this.s.status);
  }

  private get refs(): SagaRefs {
    const { reservationId, paymentId, transactionId, ticketId, ticketNumber } = this.s;
    return { reservationId, paymentId, transactionId, ticketId, ticketNumber };
  }

  /** The forward step to run next, or null when none may run (in flight, compensating, ended). */
  nextStep(): SagaStepName | null {
    if (this.s.status !== SagaState.Started && this.s.status !== SagaState.InProgress) return null;
    if (this.s.inFlightStep !== null) return null;
    return SAGA_STEPS[this.s.completedSteps.length] ?? null;
  }

  /** The compensation to run next, or null when none may run (not compensating, or all done). */
  nextCompensation(): CompensationName | null {
    return this.pendingCompensations()[0] ?? null;
  }

  /**
   * Marks a step as attempted before its activity runs, so that a failure or cancel while it is
   * in flight also compensates it (a step that timed out may still have happened).
   */
  stepStarted(step: SagaStepName): Result<void, SagaError> {
    if (this.nextStep() !== step) return this.illegal(`${step} can't start now`);
    this.s.inFlightStep = step;
    this.s.currentStep = stepNumber(step);
    this.s.status = SagaState.InProgress;
    return ok(undefined);
  }

  stepSucceeded(step: SagaStepName, outcome: StepSuccess, ctx: DomainContext): Result<void, SagaError> {
    const running = this.checkInFlight(step);
    if (!running.ok) return running;
    const refs = { ...this.refs, ...definedOnly(outcome.refs ?? {}) };
    const missing = REQUIRED_REFS[step].filter((k) => !refs[k]);
    if (missing.length > 0)
      return err('MissingStepResult', `${step} succeeded without ${missing.join(', ')}`);

    const now = ctx.clock.now();
    Object.assign(this.s, refs);
    this.s.inFlightStep = null;
    this.s.completedSteps = [...this.s.completedSteps, step];
    this.log(step, true, outcome.message, now);
    this.raise(
      'StepCompleted',
      {
        sagaId: this.id,
        stepName: step,
        stepNumber: stepNumber(step),
        message: outcome.message,
        reservationId: refs.reservationId,
        paymentId: refs.paymentId,
        ticketId: refs.ticketId,
        ticketNumber: refs.ticketNumber,
      },
      ctx,
      now,
    );
    if (this.s.completedSteps.length === TOTAL_SAGA_STEPS) this.finishCompleted(ctx, now);
    return ok(undefined);
  }

  stepFailed(step: SagaStepName, failure: StepFailure, ctx: DomainContext): Result<void, SagaError> {
    const running = this.checkInFlight(step);
    if (!running.ok) return running;
    const now = ctx.clock.now();
    const attempted = failure.possiblyApplied ? [...this.s.completedSteps, step] : [...this.s.completedSteps];
    const plan = attempted.reverse().map((s) => COMPENSATION_OF[s]);

    this.s.inFlightStep = null;
    this.s.failedStep = step;
    this.s.failureReason = failure.reason;
    this.s.compensationsPlanned = plan;
    this.s.status = SagaState.Compensating;
    this.log(step, false, failure.reason, now);
    this.raise(
      'StepFailed',
      {
        sagaId: this.id,
        stepName: step,
        stepNumber: stepNumber(step),
        reason: failure.reason,
        possiblyApplied: failure.possiblyApplied,
        compensations: plan,
      },
      ctx,
      now,
    );
    if (plan.length === 0) this.finishCompensated(ctx, now);
    return ok(undefined);
  }

  /**
   * Ends the forward path from outside: the customer cancelled, or the seat hold ran out. The
   * workflow stops it by cancelling the step in flight (it always waits on one while it runs
   * forward), so that step fails as possibly applied and the usual StepFailed -> compensation
   * path follows.
   */
  abort(reason: string, ctx: DomainContext): Result<void, SagaError> {
    const step = this.s.inFlightStep;
    if (step === null) return this.illegal(`a ${this.s.status} saga with no step running can't be aborted`);
    return this.stepFailed(step, { reason, possiblyApplied: true }, ctx);
  }

  /** Records a compensation that succeeded; compensations must be recorded in plan order. */
  compensationSucceeded(
    compensation: CompensationName,
    message: string,
    ctx: DomainContext,
  ): Result<void, SagaError> {
    const next = this.checkNextCompensation(compensation);
    if (!next.ok) return next;
    const now = ctx.clock.now();
    this.s.compensationsCompleted = [...this.s.compensationsCompleted, compensation];
    this.log(compensation, true, message, now);
    this.raise('CompensationCompleted', { sagaId: this.id, compensation, message }, ctx, now);
    if (this.pendingCompensations().length === 0) this.finishCompensated(ctx, now);
    return ok(undefined);
  }

  /**
   * Logs a failed compensation attempt for the status view. The compensation stays pending: the
   * workflow retries it until it succeeds. No event: an attempt is not a business fact.
   */
  compensationFailed(
    compensation: CompensationName,
    message: string,
    ctx: DomainContext,
  ): Result<void, SagaError> {
    const next = this.checkNextCompensation(compensation);
    if (!next.ok) return next;
    this.log(compensation, false, message, ctx.clock.now());
    return ok(undefined);
  }

  /**
   * A compensation failed for good (non-retryable, or out of attempts): Compensating -> Failed,
   * with the compensations left kept for an operator, who retries (`resumeCompensation`) or
   * abandons them. SagaFailed is raised now: the purchase needs a person from this moment on.
   */
  compensationStuck(
    compensation: CompensationName,
    message: string,
    ctx: DomainContext,
  ): Result<void, SagaError> {
    const next = this.checkNextCompensation(compensation);
    if (!next.ok) return next;
    const now = ctx.clock.now();
    const pending = this.pendingCompensations();
    this.log(compensation, false, message, now);
    this.s.status = SagaState.Failed;
    this.raise(
      'SagaFailed',
      {
        sagaId: this.id,
        reason: this.s.failureReason ?? message,
        abandonReason: `waiting for an operator: ${compensation} failed: ${message}`,
        pendingCompensations: pending,
        failedAt: now.toISOString(),
      },
      ctx,
      now,
    );
    return ok(undefined);
  }

  /** True while a stuck compensation waits for an operator's retry or abandon. */
  get awaitsOperator(): boolean {
    return (
      this.s.status === SagaState.Failed &&
      this.s.abandonReason === null &&
      this.s.compensationsCompleted.length < this.s.compensationsPlanned.length
    );
  }

  /** An operator retries the stuck compensations: Failed -> Compensating. */
  resumeCompensation(): Result<void, SagaError> {
    if (!this.awaitsOperator) return this.illegal(`a ${this.s.status} saga has no compensation to retry`);
    this.s.status = SagaState.Compensating;
    return ok(undefined);
  }

  /**
   * An operator gives up on the stuck compensations (after doing by hand what they would have
   * done): the saga, already Failed with its SagaFailed raised, is closed with the reason.
   */
  abandon(reason: string, ctx: DomainContext): Result<void, SagaError> {
    if (!this.awaitsOperator) return this.illegal(`a ${this.s.status} saga has no compensation to abandon`);
    this.s.abandonReason = reason;
    this.s.completedAt = ctx.clock.now().toISOString();
    return ok(undefined);
  }

  toSnapshot(): TicketPurchaseSagaSnapshot {
    return clone({ ...this.s, version: this.version });
  }

  /** The status JSON. */
  toStatusView(): SagaStatusView {
    const s = this.toSnapshot();
    return {
      sagaId: s.sagaId,
      status: s.status,
      currentStep: s.currentStep,
      totalSteps: s.totalSteps,
      failureReason: s.failureReason,
      createdAt: s.createdAt,
      completedAt: s.completedAt,
      ticketId: s.ticketId,
      ticketNumber: s.ticketNumber,
      stepLogs: s.stepLogs,
    };
  }

  /** An outcome is recorded for the step in flight only. Checks only: nothing changes on refusal. */
  private checkInFlight(step: SagaStepName): Result<void, SagaError> {
    if (this.s.inFlightStep === step) return ok(undefined);
    if (this.s.inFlightStep !== null) return this.illegal(`${this.s.inFlightStep} is running, not ${step}`);
    return this.illegal(`${step} was not started: a ${this.s.status} saga at step ${this.s.currentStep}`);
  }

  /** Compensations run one at a time, in plan order: an outcome is recorded for the next one only. */
  private checkNextCompensation(compensation: CompensationName): Result<void, SagaError> {
    if (this.nextCompensation() === compensation) return ok(undefined);
    return this.illegal(`${compensation} is not the next compensation`);
  }

  /** Compensations still to run, in the order they must run. */
  private pendingCompensations(): CompensationName[] {
    if (this.s.status !== SagaState.Compensating) return [];
    return this.s.compensationsPlanned.slice(this.s.compensationsCompleted.length);
  }

  private finishCompleted(ctx: DomainContext, now: Date): void {
    const { reservationId, paymentId, ticketId, ticketNumber } = this.s;
    this.s.status = SagaState.Completed;
    this.s.completedAt = now.toISOString();
    this.raise(
      'SagaCompleted',
      {
        sagaId: this.id,
        customerId: this.s.customerId,
        showtimeId: this.s.showtimeId,
        // Guaranteed by REQUIRED_REFS before the steps could succeed.
        reservationId: reservationId ?? '',
        paymentId: paymentId ?? '',
        ticketId: ticketId ?? '',
        ticketNumber: ticketNumber ?? '',
        completedAt: now.toISOString(),
      },
      ctx,
      now,
    );
  }

  private finishCompensated(ctx: DomainContext, now: Date): void {
    this.s.status = SagaState.Compensated;
    this.s.completedAt = now.toISOString();
    this.raise(
      'SagaCompensated',
      {
        sagaId: this.id,
        customerId: this.s.customerId,
        showtimeId: this.s.showtimeId,
        reason: this.s.failureReason ?? '',
        failedStep: this.s.failedStep ?? 'ReserveSeats',
        compensations: [...this.s.compensationsCompleted],
        completedAt: now.toISOString(),
      },
      ctx,
      now,
    );
  }

  private log(stepName: StepLog['stepName'], success: boolean, message: string, at: Date): void {
    this.s.stepLogs = [...this.s.stepLogs, { stepName, success, message, timestamp: at.toISOString() }];
  }

  private illegal(message: string): Result<never, SagaError> {
    return err('IllegalSagaTransition', message);
  }
}

/** What IssueTicket reports of the ticket it issued: the refs and message of its step's success. */
export interface TicketIssuedOutcome {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly message: string;
}

/**
 * IssueTicket's success recorded on the saga a snapshot describes (IssueTicket in flight), as the
 * step records it itself, in its own transaction: the saga after it (then Completed) and the
 * events that raised, to write with the ticket.
 */
export function ticketIssued(
  snapshot: TicketPurchaseSagaSnapshot,
  issued: TicketIssuedOutcome,
  ctx: DomainContext,
): Result<{ readonly saga: TicketPurchaseSagaSnapshot; readonly events: SagaEvent[] }, SagaError> {
  const saga = TicketPurchaseSaga.fromSnapshot(snapshot);
  const { ticketId, ticketNumber, message } = issued;
  const succeeded = saga.stepSucceeded('IssueTicket', { message, refs: { ticketId, ticketNumber } }, ctx);
  if (!succeeded.ok) return succeeded;
  const events = saga.pullEvents();
  return ok({ saga: saga.toSnapshot(), events });
}

/**
 * The message the purchase's failure response carries: "Compensated: <reason>" after a clean
 * rollback, "Failed: <reason>" when compensation was abandoned, null otherwise.
 */
export function sagaFailureMessage(
  saga: Pick<TicketPurchaseSagaSnapshot, 'status' | 'failureReason'>,
): string | null {
  if (saga.status === SagaState.Compensated) return `Compensated: ${saga.failureReason ?? 'unknown reason'}`;
  if (saga.status === SagaState.Failed) return `Failed: ${saga.failureReason ?? 'unknown reason'}`;
  return null;
}

/**
 * The status of a purchase refused before its first step (input that should not have got this
 * far): Compensated, with nothing run and nothing to undo.
 */
export function refusedPurchaseStatus(sagaId: string, reason: string, at: Date): SagaStatusView {
  return {
    sagaId,
    status: SagaState.Compensated,
    currentStep: 0,
    totalSteps: TOTAL_SAGA_STEPS,
    failureReason: reason,
    createdAt: at.toISOString(),
    completedAt: at.toISOString(),
    ticketId: null,
    ticketNumber: null,
    stepLogs: [],
  };
}

function definedOnly(refs: Partial<SagaRefs>): Partial<SagaRefs> {
  return Object.fromEntries(Object.entries(refs).filter(([, v]) => typeof v === 'string' && v !== ''));
}

/** Deep copy through JSON: the snapshot is plain data by contract, and this proves it. */
function clone<T>(value: T): Mutable<T> {
  return JSON.parse(JSON.stringify(value)) as Mutable<T>;
}
