/**
 * Drives the domain's TicketPurchaseSaga from inside the workflow: runs the steps of a
 * `PurchasePlan` and their undo steps, hands the saga's events to the next activity, and
 * publishes search attributes on every step change. The saga (domain) decides what may happen
 * next and which compensations run in which order; this class only connects it to activities.
 */
import { CancellationScope, condition, log, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { DomainContext } from '../domain/shared/context';
import { expectOk } from '../domain/shared/result';
import type { SagaEvent } from '../domain/purchase/events';
import type { SagaState } from '../domain/purchase/saga-state';
import {
  STEP_UNDONE_BY,
  type CompensationName,
  type SagaRefs,
  type SagaStepName,
} from '../domain/purchase/saga-steps';
import {
  TicketPurchaseSaga,
  type SagaStatusView,
  type TicketPurchaseSagaSnapshot,
} from '../domain/purchase/ticket-purchase-saga';
import type { CompensationResult, BookingActivities } from '../activities';
import { CurrentStep, SagaStatus, TicketNumberAttribute } from './search-attributes';
import { businessFailureOf, describeFailure, isActivityOutcome } from './support';

/** An activity call that is handed the saga events not yet in the outbox. */
type WithEvents<T> = (sagaEvents: SagaEvent[]) => Promise<T>;

/** What a step gives back: the result of the activity named after it (ReserveSeats: reserveSeats). */
export type StepResult<S extends SagaStepName> = Awaited<ReturnType<BookingActivities[Uncapitalize<S>]>>;

/** How the workflow runs one step of the purchase, and what undoes it. */
export interface StepPlan<S extends SagaStepName> {
  /**
   * Undoes the step (its compensation, named in the domain's COMPENSATION_OF). Known before the
   * step runs: a step that times out may still have happened, and its undo must name the ids the
   * step would have used.
   */
  readonly undo: WithEvents<CompensationResult>;
  readonly run: WithEvents<StepResult<S>>;
  /** The ids the step produced, for later steps, compensations and the status (the saga checks them). */
  readonly refs?: (result: StepResult<S>) => Partial<SagaRefs>;
  /** The step is a local activity: it runs inside the workflow task that asks for it. */
  readonly inWorkflowTask?: boolean;
  /** Runs the whole step inside a scope of the workflow's own (cancellable on its own). */
  readonly within?: <T>(step: () => Promise<T>) => Promise<T>;
  /** What the workflow does once the step succeeded, before the next one starts. */
  readonly succeeded?: (result: StepResult<S>) => void;
  /**
   * The saga after the step, when the step recorded its own success (and what followed from it)
   * in its transaction: the workflow carries on with that saga, whose events are in the outbox,
   * instead of recording the success itself. Undefined: the workflow records it, as for any step.
   */
  readonly closes?: (result: StepResult<S>) => TicketPurchaseSagaSnapshot | undefined;
}

/**
 * The purchase, one entry per step of the domain's SAGA_STEPS, each with its undo: a plan that
 * leaves out a step or an undo does not compile. The steps run in SAGA_STEPS order.
 */
export type PurchasePlan = { readonly [S in SagaStepName]: StepPlan<S> };

/** Why the forward path was stopped from outside (cancel, hold expiry), and the result code. */
export interface Stop {
  readonly reason: string;
  readonly code: string;
}

/** Pause before re-running a compensation that failed non-retryably (a bug someone must fix). */
const COMPENSATION_RETRY_PAUSE = '1 minute';

/** What an operator decided for a stuck compensation. */
type OperatorDecision = { readonly kind: 'retry' } | { readonly kind: 'abandon'; readonly reason: string };

export class SagaRunner {
  private unsaved: SagaEvent[] = [];
  private decision: OperatorDecision | null = null;
  /** Coalescing: the latest step change not yet sent, and attributes that ride with the first one. */
  private pendingAttributes: SearchAttributeUpdatePair[] | null = null;
  private firstAttributes: SearchAttributeUpdatePair[] = [];

  /**
   * How often the search attributes go to the server (older runs replay their recorded upserts):
   * - `every-publish`: on every publish (runs before the 'lean-saga' patch);
   * - `per-wait`: one upsert per change of step, sent just before the saga next waits (an
   *   activity, a pause). A step's success and the next step's start happen in the same workflow
   *   task, so nothing observable is lost;
   * - `per-task`: as `per-wait`, but a step that runs inside the workflow task (a local activity,
   *   StepPlan.inWorkflowTask) is no wait: its commands reach the server only when the task
   *   completes, so an upsert before it would be overwritten in the same instant. One upsert per
   *   workflow task, sent before the next wait outside the worker or the saga's end. The price:
   *   while a local step retries for long (our database down), the list in the Web UI shows the
   *   step before it; the status query, and so the API, always answer the current one.
   */
  constructor(
    private saga: TicketPurchaseSaga,
    private readonly ctx: DomainContext,
    private readonly upserts: 'every-publish' | 'per-wait' | 'per-task' = 'every-publish',
  ) {}

  get status(): SagaState {
    return this.saga.status;
  }

  get isFinished(): boolean {
    return this.saga.isFinished;
  }

  snapshot(): TicketPurchaseSagaSnapshot {
    return this.saga.toSnapshot();
  }

  statusView(): SagaStatusView {
    return this.saga.toStatusView();
  }

  /**
   * Runs the plan's steps in the order the saga gives (SAGA_STEPS) until it completes. A step
   * that fails throws: the caller records why (`fail`) and then runs `compensate`.
   */
  async run(plan: PurchasePlan): Promise<void> {
    for (let name = this.saga.nextStep(); name !== null; name = this.saga.nextStep()) {
      const afterwards = await this.runStep(name, plan);
      // No await between a step's `succeeded` and the next step's start: a command it issues
      // later (a cancelled timer's, in a microtask) then follows the next step's commands, the
      // order every recorded run has (test/histories/).
      afterwards();
    }
  }

  /** Runs one step; resolves to its `succeeded`, ready to call. */
  private async runStep<S extends SagaStepName>(name: S, plan: PurchasePlan): Promise<() => void> {
    const { run, refs, within, succeeded, inWorkflowTask, closes }: StepPlan<S> = plan[name];
    const step = async () => {
      expectOk(this.saga.stepStarted(name));
      this.publish(name);
      const result = await this.withEvents(run, inWorkflowTask);
      const after = closes?.(result);
      if (after) this.carryOnWith(name, after);
      else
        expectOk(
          this.saga.stepSucceeded(name, { message: result.message, refs: refs?.(result) ?? {} }, this.ctx),
        );
      this.publish(name);
      return result;
    };
    const result = await (within ? within(step) : step());
    return () => succeeded?.(result);
  }

  /**
   * Takes over the saga a step gave back (StepPlan.closes). It must be this saga with the step
   * done: anything else is a bug, and throwing fails the workflow task (retried, visible in the
   * UI) rather than going on with a saga whose events don't follow the ones written.
   */
  private carryOnWith(step: SagaStepName, after: TicketPurchaseSagaSnapshot): void {
    const before = this.saga.toSnapshot();
    const follows =
      after.sagaId === before.sagaId &&
      after.inFlightStep === null &&
      after.completedSteps.join() === [...before.completedSteps, step].join() &&
      after.version > before.version;
    if (!follows) throw new Error(`${step} gave back a saga that does not follow this one`);
    this.saga = TicketPurchaseSaga.fromSnapshot(after);
  }

  /**
   * Records why the forward path ended early and returns the result code. A stop from outside
   * aborts the step in flight as possibly applied; an activity's business refusal fails its step
   * as not applied (its transaction rolled back); anything else (timeouts, retries exhausted)
   * counts as possibly applied, so the step's own compensation runs too.
   */
  fail(error: unknown, stop: Stop | null): string {
    if (stop !== null) {
      expectOk(this.saga.abort(stop.reason, this.ctx));
      return stop.code;
    }
    const step = this.saga.toSnapshot().inFlightStep;
    // Not an activity outcome: a bug in this workflow. Fail the workflow task (it is retried and
    // visible in the UI) rather than compensate on a guess.
    if (step === null || !isActivityOutcome(error)) throw error;
    const business = businessFailureOf(error);
    const reason = business?.message ?? `${step} failed: ${describeFailure(error)}`;
    expectOk(this.saga.stepFailed(step, { reason, possiblyApplied: business === null }, this.ctx));
    this.publish(step);
    return business?.code ?? 'StepFailed';
  }

  /** True while a compensation that failed for good waits for an operator's retry or abandon. */
  get awaitsOperator(): boolean {
    return this.saga.awaitsOperator && this.decision === null;
  }

  /** The operator's retry: resolves once the compensations ran again (all done, or stuck again). */
  async retryByOperator(): Promise<void> {
    this.decision = { kind: 'retry' };
    await condition(() => this.decision === null && this.saga.isFinished);
  }

  /** The operator gives up on the stuck compensations (after fixing things by hand): ends Failed. */
  async abandonByOperator(reason: string): Promise<void> {
    this.decision = { kind: 'abandon', reason };
    await condition(() => this.decision === null);
  }

  /**
   * Runs the planned compensations (each the `undo` of its step in `plan`) in reverse step
   * order, in a scope nothing can cancel. With
   * `stuckEndsVisible`, a compensation that failed for good (non-retryable, or out of its bounded
   * attempts) turns the saga Failed (status query, SagaStatus, SagaFailed event, one error log
   * line) and waits for an operator; without it (runs older than that), it is re-run every minute.
   */
  async compensate(plan: PurchasePlan, stuckEndsVisible = false): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      for (let name = this.saga.nextCompensation(); name !== null; name = this.saga.nextCompensation()) {
        const { undo } = plan[STEP_UNDONE_BY[name]];
        this.publish(name);
        try {
          const done = await this.withEvents(undo);
          expectOk(this.saga.compensationSucceeded(name, done.message, this.ctx));
        } catch (error) {
          if (!stuckEndsVisible) {
            // The activity retries transient errors forever; only a non-retryable failure gets here.
            expectOk(this.saga.compensationFailed(name, describeFailure(error), this.ctx));
            this.flush();
            await sleep(COMPENSATION_RETRY_PAUSE);
            continue;
          }
          await this.waitForOperator(name, describeFailure(error));
        }
      }
    });
    this.publish('None');
  }

  private async waitForOperator(compensation: CompensationName, message: string): Promise<void> {
    const { sagaId } = this.saga.toSnapshot();
    expectOk(this.saga.compensationStuck(compensation, message, this.ctx));
    this.publish(compensation);
    this.flush();
    log.error('compensation failed for good: the saga is Failed until an operator retries or abandons it', {
      sagaId,
      compensation,
      error: message,
      retry: `temporal workflow update execute --workflow-id ${sagaId} --name retryCompensation`,
      abandon: `temporal workflow update execute --workflow-id ${sagaId} --name abandonCompensation --input '"<what was done by hand>"'`,
    });
    await condition(() => this.decision !== null);
    const decision = this.decision as OperatorDecision | null;
    if (decision?.kind === 'abandon') expectOk(this.saga.abandon(decision.reason, this.ctx));
    else expectOk(this.saga.resumeCompensation());
    this.decision = null;
  }

  /** Saga events raised since the last activity that succeeded (and so wrote them). */
  pendingEvents(): SagaEvent[] {
    this.unsaved.push(...this.saga.pullEvents());
    return [...this.unsaved];
  }

  /** Attributes set once per run: at once, or (coalescing) with the first step change. */
  publishOnce(attributes: SearchAttributeUpdatePair[]): void {
    if (this.upserts !== 'every-publish') this.firstAttributes = attributes;
    else upsertSearchAttributes(attributes);
  }

  publish(currentStep: string): void {
    const { status, ticketNumber } = this.saga.toSnapshot();
    const attributes: SearchAttributeUpdatePair[] = [
      { key: SagaStatus, value: status },
      { key: CurrentStep, value: currentStep },
      ...(ticketNumber ? [{ key: TicketNumberAttribute, value: ticketNumber }] : []),
    ];
    if (this.upserts !== 'every-publish') this.pendingAttributes = attributes;
    else upsertSearchAttributes(attributes);
  }

  /** Sends the step change not yet sent (coalescing); call it before the saga waits. */
  flush(): void {
    if (this.pendingAttributes === null) return;
    upsertSearchAttributes([...this.firstAttributes, ...this.pendingAttributes]);
    this.firstAttributes = [];
    this.pendingAttributes = null;
  }

  private async withEvents<T>(run: WithEvents<T>, inWorkflowTask = false): Promise<T> {
    if (!(inWorkflowTask && this.upserts === 'per-task')) this.flush();
    const batch = this.pendingEvents();
    const result = await run(batch);
    this.unsaved = this.unsaved.slice(batch.length);
    return result;
  }
}
