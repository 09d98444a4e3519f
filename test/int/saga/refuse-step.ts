/**
 * A purchase step that refuses like a business rule would (a non-retryable failure of `type`),
 * for sagas whose id carries `tag`, and runs the real step otherwise. ConfirmReservation and
 * IssueTicket have no test card that makes them fail, so tests and the history recorder inject it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { BookingActivities } from '../../../activities';

export function refuseStepFor<K extends 'confirmReservation' | 'issueTicket'>(
  real: BookingActivities,
  name: K,
  tag: string,
  failure: { readonly message: string; readonly type: string },
): BookingActivities[K] {
  const step = real[name] as (input: { workflowId: string }) => Promise<unknown>;
  return (async (input: { workflowId: string }) => {
    if (input.workflowId.includes(tag)) throw ApplicationFailure.nonRetryable(failure.message, failure.type);
    return step(input);
  }) as BookingActivities[K];
}
