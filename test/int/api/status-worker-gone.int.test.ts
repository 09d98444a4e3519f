/**
 * The status of a running purchase whose saga worker has been gone a while. The server then no
 * longer lets the status query run into the API's deadline: for a workflow whose worker had taken
 * its tasks (its sticky queue), it gives up a second early with FAILED_PRECONDITION ("no poller
 * seen for task queue recently, worker may be down"). The API answers that as it answers a
 * timeout: 503 SagaUnavailable, never a 500.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { status as grpcStatus } from '@grpc/grpc-js';
import { ServiceError } from '@temporalio/client';
import { statusQuery } from '../../../workflows/purchase-contract';
import { scheduleShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { asAdmin } from '../../support/auth';
import { buy, purchaseBody } from './purchase-flow';
import { eventually } from '../read/harness';

/** A test card whose charge never answers (providers/payment/test-cards.ts): the saga stays running. */
const HANGING_CARD = '4000000000000259';
/** How long no worker polls before the server refuses such queries (seen at 20 s, not at 5 s). */
const NO_POLLER_FOR_MS = 20_000;

let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness({ name: 'status_worker_gone', sagaWorker: true });
});

afterAll(async () => {
  await h?.close();
});

it('answers 503 SagaUnavailable when the server refuses the status query of a saga whose worker is gone', async () => {
  const showtimeId = (await scheduleShowtime(h.uow, h.ctx)).showtime.id;
  const node = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 0 });
  const pending = await buy(
    node,
    purchaseBody(showtimeId, [{ row: 2, number: 1 }], { cardNumber: HANGING_CARD }),
  );
  expect(pending.status).toBe(202);
  const sagaId = String(pending.body.sagaId);
  // Running on the worker: the charge is in flight.
  await eventually(async () => {
    const status = await asAdmin(h.url).get(`/api/ticketpurchase/${sagaId}/status`);
    if (status.status !== 200 || status.body.currentStep !== 2) throw new Error('not charging yet');
  });

  await h.stopSagaWorker();
  await sleep(NO_POLLER_FOR_MS);
  // The scenario: the server itself refuses the query (not a timeout of ours).
  const refused = await h.temporal
    .withDeadline(Date.now() + 10_000, () => h.temporal.workflow.getHandle(sagaId).query(statusQuery))
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(ServiceError);
  expect((refused as ServiceError).cause).toMatchObject({ code: grpcStatus.FAILED_PRECONDITION });

  const status = await asAdmin(h.url).get(`/api/ticketpurchase/${sagaId}/status`);
  expect(status.status).toBe(503);
  expect(status.body.error).toBe('SagaUnavailable');
  await h.temporal.workflow.getHandle(sagaId).terminate('test over: no worker');
});
