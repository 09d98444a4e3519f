/**
 * How the API answers from what Temporal answered about a running purchase: a cancel from the
 * saga's cancelPurchase update (the workflow's side is in
 * test/workflows/ticket-purchase.workflow.test.ts), a status from its query. A fake client stands
 * in for Temporal: a running purchase whose update and query answer as given.
 */
import { Metadata, status as grpcStatus } from '@grpc/grpc-js';
import { ServiceError, type Client } from '@temporalio/client';

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

function sagasAnswering(update: SagaStatusView, query: () => Promise<SagaStatusView> = async () => update) {
  const handle = {
    describe: async () => ({ status: { name: 'RUNNING' } }),
    executeUpdate: async () => update,
    query,
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

it('answers a status query no worker took with 503 SagaUnavailable, as one that ran out of time', async () => {
  // What the server answers a query within a while of the task queue's last poll, instead of
  // letting it run into the caller's deadline.
  const noPoller = Object.assign(new Error('9 FAILED_PRECONDITION: no poller seen for task queue recently'), {
    code: grpcStatus.FAILED_PRECONDITION,
    details: 'no poller seen for task queue recently, worker may be down',
    metadata: new Metadata(),
  });
  const sagas = sagasAnswering(statusOf(SagaState.InProgress, null), () =>
    Promise.reject(new ServiceError('Failed to query Workflow', { cause: noPoller })),
  );

  await expect(sagas.status('purchase-1')).rejects.toMatchObject({ status: 503, code: 'SagaUnavailable' });
});

it('answers a status query cut off as CANCELLED at the deadline with 503 SagaUnavailable too', async () => {
  // What grpc-js answers at the deadline of a query no worker takes, now and then (a dev-server probe).
  const cancelled = Object.assign(new Error('1 CANCELLED: Call cancelled'), {
    code: grpcStatus.CANCELLED,
    details: 'Call cancelled',
    metadata: new Metadata(),
  });
  const sagas = sagasAnswering(statusOf(SagaState.InProgress, null), async () => {
    await new Promise((resolve) => setTimeout(resolve, 10_050)); // past the API's 10 s deadline
    throw new ServiceError('Failed to query Workflow', { cause: cancelled });
  });

  await expect(sagas.status('purchase-1')).rejects.toMatchObject({ status: 503, code: 'SagaUnavailable' });
}, 20_000);
