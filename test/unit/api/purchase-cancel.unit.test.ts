/**
 * How the API answers a cancel from what the saga's cancelPurchase update answered (the
 * workflow's side is in test/workflows/ticket-purchase.workflow.test.ts). A fake client stands in
 * for Temporal: a running purchase whose update answers with the given status.
 */
import type { Client } from '@temporalio/client';

import { SagaState } from '../../../domain/purchase/saga-state';
import type { SagaStatusView } from '../../../domain/purchase/ticket-purchase-saga';
import { ApiError } from '../../../api/http/api-error';
import { PurchaseSagas } from '../../../api/purchase/purchase-sagas';

const statusOf = (status: SagaState, failureReason: string | null): SagaStatusView => ({
  sagaId: 'purchase-1',
  status,
  currentStep: 4,
  totalSteps: 4,
  failureReason,
  createdAt: '2030-01-01T18:00:00.000Z',
  completedAt: '2030-01-01T18:00:01.000Z',
  ticketId: null,
  ticketNumber: null,
  stepLogs: [],
});

function sagasAnswering(update: SagaStatusView): PurchaseSagas {
  const handle = {
    describe: async () => ({ status: { name: 'RUNNING' } }),
    executeUpdate: async () => update,
  };
  const client = {
    workflow: { getHandle: () => handle },
    withDeadline: <T>(_deadline: number, call: () => Promise<T>) => call(),
  } as unknown as Client;
  return new PurchaseSagas(client, { taskQueue: 'q', holdSeconds: 600, responseWaitMs: 1000, nodeId: 'n' });
}

it('answers with the rolled-back status when the cancel stopped the purchase', async () => {
  const rolledBack = statusOf(SagaState.Compensated, 'Cancelled: too slow');

  await expect(sagasAnswering(rolledBack).cancel('purchase-1', 'too slow')).resolves.toEqual(rolledBack);
});

it('refuses with 409 TooLateToCancel when the purchase completed while the cancel arrived', async () => {
  const cancel = sagasAnswering(statusOf(SagaState.Completed, null)).cancel('purchase-1', 'too late');

  await expect(cancel).rejects.toBeInstanceOf(ApiError);
  await expect(cancel).rejects.toMatchObject({ status: 409, code: 'TooLateToCancel' });
});
