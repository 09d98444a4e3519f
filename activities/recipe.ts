/**
 * The recipe every writing activity follows, written once, so that an activity reads as its
 * business work only (load, call the domain, save, return a Result):
 *
 *   const confirmed = await sagaStep(input, 'ConfirmReservation', async (tx) => { ...; return ok(...) });
 *
 * One unit of work whose rows and outbox rows carry the asking workflow's id and request id; in
 * it, the saga events the input carries and the work, run once per step of the workflow run
 * (db/run-once.ts); a refusal (a failed Result) rolls the transaction back and fails the activity
 * for good (unwrap), anything thrown is retried by Temporal.
 */
import type { DomainError, Result } from '../domain/shared/result';
import { runOnce } from '../db/run-once';
import type { UnitOfWorkContext } from '../db/unit-of-work';
import {
  appendSagaEvents,
  attemptLog,
  fenceStep,
  loggedWorkflowId,
  origin,
  stepScope,
  unwrap,
} from './support';
import type {
  ActivityDeps,
  ActivityLog,
  CompensationResult,
  SagaActivityInput,
  WorkflowScoped,
} from './types';

/** An activity's business work in one transaction: a refusal is a failed Result, not a throw. */
export type Work<T> = (tx: UnitOfWorkContext) => Promise<Result<T, DomainError>>;

/** What a compensation answers when there is nothing to undo. */
export const nothingToUndo = (message: string): CompensationResult => ({ message, undone: false });

export function activityRecipe(deps: Pick<ActivityDeps, 'uow' | 'log'>) {
  const { uow } = deps;

  /** One unit of work for the asking workflow; a refusal rolls it back and fails the activity non-retryably. */
  async function transaction<T>(caller: WorkflowScoped, work: Work<T>): Promise<T> {
    return unwrap(await uow.run(work, origin(caller.workflowId, caller)));
  }

  /** `transaction`, run once per step of the workflow run: a retry after its commit gets the stored result. */
  function once<T>(caller: WorkflowScoped, step: string, work: Work<T>): Promise<T> {
    return transaction(caller, (tx) => runOnce(tx.db, stepScope(caller), step, () => work(tx)));
  }

  /** A forward step of the saga: `once`, writing the saga events the input carries in its transaction. */
  function sagaStep<T>(input: SagaActivityInput, step: string, work: Work<T>): Promise<T> {
    return once(input, step, async (tx) => {
      await appendSagaEvents(tx, input.sagaEvents);
      return work(tx);
    });
  }

  /**
   * The saga events the input carries, then the forward step `undoes` fenced off (support.ts
   * fenceStep: a timed-out attempt of it can no longer take effect), then `work`, in one
   * transaction.
   */
  function fenced<T>(input: SagaActivityInput, undoes: string, work: Work<T>): Promise<T> {
    return transaction(input, async (tx) => {
      await appendSagaEvents(tx, input.sagaEvents);
      await fenceStep(tx.db, stepScope(input), undoes);
      return work(tx);
    });
  }

  /**
   * An undo step `step` of the forward step `undoes`: `fenced`, with `work` run once. It is a no-op
   * when there is nothing to undo (the step never ran, or someone already undid it: `work` then
   * answers `nothingToUndo`). The workflow retries it until it succeeds: it never refuses for
   * business reasons.
   */
  async function compensation(
    input: SagaActivityInput,
    step: string,
    undoes: string,
    work: Work<CompensationResult>,
  ): Promise<CompensationResult> {
    const result = await fenced(input, undoes, (tx) =>
      runOnce(tx.db, stepScope(input), step, () => work(tx)),
    );
    return logCompensation(input, step, result);
  }

  /** The one line every compensation logs: whether it undid anything, and what. */
  function logCompensation(caller: WorkflowScoped, step: string, result: CompensationResult) {
    logOf(caller).info({ compensation: step, undone: result.undone }, result.message);
    return result;
  }

  /** This attempt's logger, bound to the asking workflow and its request. */
  const logOf = (caller: WorkflowScoped): ActivityLog =>
    attemptLog(deps.log, { ...loggedWorkflowId(caller.workflowId), requestId: caller.requestId });

  return { transaction, once, sagaStep, fenced, compensation, logCompensation, logOf };
}
