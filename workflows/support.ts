/** Small helpers shared by the workflows: sandbox-safe, deterministic. */
import {
  ActivityFailure,
  ApplicationFailure,
  TemporalFailure,
  TimeoutFailure,
  uuid4,
} from '@temporalio/workflow';
import type { DomainContext } from '../domain';

/** The domain's clock and ids inside the sandbox: workflow time and the seeded uuid4 replay identically. */
export const workflowContext = (): DomainContext => ({
  clock: { now: () => new Date() },
  ids: { nextId: () => uuid4() },
});

export interface BusinessFailure {
  readonly code: string;
  readonly message: string;
}

/**
 * What an activity's failure reaches the workflow as: an ActivityFailure wrapping the cause for an
 * activity; the cause itself (ApplicationFailure, TimeoutFailure...) for a local activity.
 */
export function isActivityOutcome(error: unknown): error is TemporalFailure {
  return (
    error instanceof ActivityFailure || error instanceof ApplicationFailure || error instanceof TimeoutFailure
  );
}

/** A business refusal from an activity or local activity (non-retryable, typed with a domain code), or null. */
export function businessFailureOf(error: unknown): BusinessFailure | null {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    return { code: cause.type ?? 'BusinessRuleViolated', message: cause.message };
  }
  return null;
}

/** One line about a failure, for step logs: the root cause's message. */
export function describeFailure(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
