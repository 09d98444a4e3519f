/**
 * The saga worker's activities, built from injected dependencies (pool, unit of work, payment
 * provider, clock, logger). Workflows import the *type* only:
 *
 *   import type { PurchaseActivities } from '../activities';
 *   const { reserveSeats } = proxyActivities<PurchaseActivities>({ ... });
 *
 * Saga domain events reach the outbox through these activities: each saga activity takes the
 * events the workflow raised since its last successful activity and appends them in its own
 * transaction, skipping any whose aggregate version is already there; `recordSagaEvents` writes the tail (SagaCompleted or
 * SagaCompensated) at the end. So no extra activity runs per step, and every saga event commits
 * together with the business change that follows it (or on its own at the end).
 */
import { createCompensations } from './compensations';
import { createPurchaseSteps } from './purchase-steps';
import { createRefundActivities } from './refund-activities';
import { acceptOldInputs } from './support';
import type { ActivityDeps } from './types';

export function createPurchaseActivities(deps: ActivityDeps) {
  return acceptOldInputs({
    ...createPurchaseSteps(deps),
    ...createCompensations(deps),
    ...createRefundActivities(deps),
  });
}

export type PurchaseActivities = ReturnType<typeof createPurchaseActivities>;

export type * from './types';
