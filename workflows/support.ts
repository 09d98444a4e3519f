/** Small helpers shared by the workflows: sandbox-safe, deterministic. */
import { ActivityFailure, ApplicationFailure, uuid4 } from '@temporalio/workflow';
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

/** A business refusal from an activity (non-retryable, typed with a domain code), or null. */
export function businessFailureOf(error: unknown): BusinessFailure | null {
  if (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.nonRetryable
  ) {
    return { code: error.cause.type ?? 'BusinessRuleViolated', message: error.cause.message };
  }
  return null;
}

/** One line about a failure, for step logs: the root cause's message. */
export function describeFailure(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
