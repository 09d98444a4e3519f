/**
 * What the activities share: turning domain refusals into non-retryable failures, writing
 * the workflow's saga events to the outbox, fencing a step off, heartbeating while waiting, and
 * tagging its writes and log lines with the asking workflow's id and the request id.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';

import type { DomainContext } from '../domain/shared/context';
import type { DomainEvent } from '../domain/shared/events';
import { err, type DomainError, type Result } from '../domain/shared/result';
import type { Queryable } from '../db/database';
import { notYetInOutbox } from '../db/outbox/outbox-writer';
import { runOnce } from '../db/run-once';
import type { RunOptions, UnitOfWorkContext } from '../db/unit-of-work';
import { PURCHASE_WORKFLOW_ID_PREFIX } from '../workflows/purchase-contract';
import type { ActivityDeps, ActivityLog, RequestScoped, WorkflowScoped } from './types';

/** Activities mint event ids at random: a retried transaction is a new attempt with new events. */
export const domainContext = (deps: Pick<ActivityDeps, 'clock'>): DomainContext => ({
  clock: deps.clock,
  ids: { nextId: () => randomUUID() },
});

/**
 * Whose stored step results (saga_steps) an activity reads and writes: one run of one workflow.
 * The workflow id alone (`purchase-<Idempotency-Key>`) would hand a new run under a reused key
 * (the old workflow gone after Temporal's retention) the old run's results under its new ids: a
 * second charge with no payment row, the old ticket answered as new. The run key is the
 * workflow's first run id, which a reset keeps, so a reset run still finds its own results.
 * Runs started before the key existed, and workflows that pass none, keep the workflow id alone.
 */
export const stepScope = (input: Pick<WorkflowScoped, 'workflowId' | 'runKey'>): string =>
  input.runKey ? `${input.workflowId}~${input.runKey}` : input.workflowId;

/** What one activity's units of work stamp on their events: the workflow's id and the request. */
export const origin = (correlationId: string, input: RequestScoped): RunOptions => ({
  correlationId,
  requestId: input.requestId,
});

/**
 * The logger of this activity attempt: the given ids (workflow or refund id, request id) bound,
 * plus what Temporal knows of the attempt, so every line leads back to the workflow and its request.
 */
export function attemptLog(log: ActivityLog, ids: Record<string, unknown> & RequestScoped): ActivityLog {
  const { info } = Context.current();
  return log.child({ ...ids, activity: info.activityType, attempt: info.attempt });
}

/** The log field of the asking workflow: a purchase's lines say `sagaId`, which operators search by. */
export const loggedWorkflowId = (workflowId: string): { sagaId: string } | { workflowId: string } =>
  workflowId.startsWith(PURCHASE_WORKFLOW_ID_PREFIX) ? { sagaId: workflowId } : { workflowId };

/**
 * Activities as the worker registers them, taking the asking workflow's id under its old name too:
 * tasks scheduled before `sagaId` became `workflowId` (recorded in histories, or in flight during
 * a deploy) still carry `{ sagaId }`.
 */
export function acceptOldInputs<A extends Record<string, (input: never) => Promise<unknown>>>(
  activities: A,
): A {
  const renamed = (input: unknown): unknown => {
    if (typeof input !== 'object' || input === null || 'workflowId' in input || !('sagaId' in input)) {
      return input;
    }
    const { sagaId, ...rest } = input;
    return { ...rest, workflowId: sagaId };
  };
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [
      name,
      (input: unknown) => (activity as (input: unknown) => Promise<unknown>)(renamed(input)),
    ]),
  ) as unknown as A;
}

/**
 * A broken business rule is final: the workflow compensates instead of retrying. The failure's
 * `type` is the domain error code, which the workflow reports as the purchase's `code`.
 * Infrastructure errors are simply thrown and Temporal retries them.
 */
export function unwrap<T>(result: Result<T, DomainError>): T {
  if (result.ok) return result.value;
  throw businessFailure(result.error.code, result.error.message);
}

/** BENIGN: an expected business outcome, so the SDK logs it at debug level and not as a warning. */
export const businessFailure = (code: string, message: string, ...details: unknown[]): ApplicationFailure =>
  ApplicationFailure.create({
    message,
    type: code,
    nonRetryable: true,
    details,
    category: ApplicationFailureCategory.BENIGN,
  });

/**
 * Appends the saga's own events (SagaStarted, StepCompleted, ...) in the caller's transaction.
 * The workflow re-sends events until an activity carrying them succeeds, and an activity that
 * timed out may still have committed them, so an event whose aggregate version is already in the
 * outbox is skipped (notYetInOutbox says why by version, not by event id).
 */
export async function appendSagaEvents(tx: UnitOfWorkContext, events: readonly DomainEvent[]): Promise<void> {
  tx.recordEvents(await notYetInOutbox(tx.db, events));
}

const FENCED = err('StepCompensated', 'the saga compensated this step before it ran');

/**
 * Makes sure a forward step of this saga can no longer take effect: called by its compensation,
 * in the compensation's transaction. A step attempt that timed out may still be running (a zombie
 * on a stalled worker). If it already committed, its rows are there to undo; if its transaction
 * is open, this blocks on its saga_steps row until it ends; if it has not started, the stored
 * failure makes it refuse to run later (runOnce returns the stored result, unwrap throws).
 */
export async function fenceStep(tx: Queryable, scope: string, step: string): Promise<void> {
  await runOnce(tx, scope, step, async () => FENCED);
}

/** Heartbeats while `work` runs, and hands it the activity's cancellation signal. */
export async function withHeartbeats<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const activity = Context.current();
  const timer = setInterval(() => activity.heartbeat(), 1_000);
  try {
    return await work(activity.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
