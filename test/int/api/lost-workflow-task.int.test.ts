/**
 * A purchase's workflow task that a worker took and never finished (the worker killed holding it,
 * or a dispatch the dev server gave up on under a burst: bench:purchase's race showed buyers
 * waiting out Temporal's default 10 s for it) is handed out again after the purchase's own
 * workflow task timeout. The task is taken here with a bare poll, as a worker would, and never
 * answered; the real dev server does the rest.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';

import { PurchaseSagas } from '../../../api/purchase/purchase-sagas';
import type { PurchaseRequest } from '../../../api/schemas/purchase';
import { loadConfig } from '../../../config';
import { connectTestTemporal, uniqueTaskQueue } from '../../support/temporal';
import { uniqueName } from '../../support/unique';
import { eventually } from '../read/harness';

const EventType = temporal.api.enums.v1.EventType;
const config = loadConfig();
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectTestTemporal(config);
});

afterAll(async () => {
  await env?.teardown();
});

it('hands a purchase workflow task nobody finished out again after 5 s (PURCHASE_WORKFLOW_TASK_TIMEOUT)', async () => {
  const taskQueue = uniqueTaskQueue('lost-wft');
  const sagaId = uniqueName('purchase-lost-wft');
  const sagas = new PurchaseSagas(env.client, {
    taskQueue,
    holdSeconds: 600,
    responseWaitMs: 0,
    nodeId: 'test',
  });
  const handle = await sagas.startOrAttach({
    sagaId,
    requestId: sagaId,
    request: {
      showtimeId: 'st-1',
      customerId: 'c-1',
      seats: [{ row: 1, number: 1 }],
      reservationId: null,
    } as PurchaseRequest,
    payment: {
      method: 'CreditCard',
      token: 'tok',
      cardBrand: 'Visa',
      cardLast4: '1111',
      cardHolderName: 'A',
    },
    fingerprint: 'f',
    keyed: false,
  });
  // The server wants a deadline on a long poll; a task is there, so it answers at once.
  const takeTask = () =>
    env.client.withDeadline(Date.now() + 30_000, () =>
      env.client.workflowService.pollWorkflowTaskQueue({
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: { name: taskQueue },
        identity: 'a worker that dies holding the task',
      }),
    );
  try {
    const taken = await takeTask();
    expect(taken.workflowExecution?.workflowId).toBe(sagaId);

    const history = await eventually(async () => {
      const { events } = await handle.fetchHistory();
      const timedOut = events?.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
      if (!timedOut) throw new Error('the task has not timed out yet');
      return events!;
    }, 200);

    const started = history[0]!.workflowExecutionStartedEventAttributes!;
    expect(tsToMs(started.workflowTaskTimeout)).toBe(5_000);
    expect(history.slice(1, 4).map((e) => e.eventType)).toEqual([
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    ]);
    // And the next worker to poll gets it: its second attempt.
    const again = await takeTask();
    expect(again.workflowExecution?.workflowId).toBe(sagaId);
    expect(again.attempt).toBe(2);
  } finally {
    await handle.terminate('test over');
  }
});
