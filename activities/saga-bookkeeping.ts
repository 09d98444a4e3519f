/**
 * The purchase saga's own bookkeeping: the saga events no business step carries, i.e. those
 * raised after the last activity (SagaCompensated, SagaFailed; SagaCompleted in runs from before
 * IssueTicket wrote it itself).
 */
import { ok } from '../domain/shared/result';
import { activityRecipe } from './recipe';
import { appendSagaEvents } from './support';
import type { ActivityDeps, SagaActivityInput } from './types';

export function createSagaBookkeeping(deps: ActivityDeps) {
  const { transaction } = activityRecipe(deps);

  async function recordSagaEvents(input: SagaActivityInput): Promise<void> {
    await transaction(input, async (tx) => {
      await appendSagaEvents(tx, input.sagaEvents);
      return ok(undefined);
    });
  }

  return { recordSagaEvents };
}
