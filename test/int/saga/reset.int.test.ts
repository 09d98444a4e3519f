/**
 * An operator resets a purchase run that died (README, "Operating sagas"): `temporal workflow
 * reset --type LastWorkflowTask` starts a new run that re-executes the run's last workflow task.
 * That task raises again the saga events it raised before, under new event ids (a reset gives
 * the run a new random seed), while the first run's activities already wrote them to the outbox.
 * The new run must carry on regardless: here it is cancelled and compensates completely.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { loadConfig } from '../../../config';
import type { SagaStatusView } from '../../../domain';
import { cancelSignal } from '../../../workflows/purchase-contract';
import { temporalCliPath } from '../../support/temporal-cli';
import {
  CARDS,
  customerState,
  sagaEventVersions,
  seat,
  startSagaHarness,
  type SagaHarness,
  statusWhen,
} from './harness';

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({ name: 'reset' });
});

afterAll(async () => {
  await h?.close();
});

const paymentInFlight = (s: SagaStatusView) => s.status === 'InProgress' && s.currentStep === 2;

it('a terminated purchase reset to its last workflow task carries on and compensates', async () => {
  const purchase = await h.startPurchase({ card: CARDS.hang, seats: [seat(1, 1)] });
  await statusWhen(purchase.handle, paymentInFlight);
  const { runId: firstRun } = await purchase.handle.describe();
  await purchase.handle.terminate('simulated: the run died');

  const config = loadConfig();
  await promisify(execFile)(temporalCliPath(), [
    ...['workflow', 'reset', '--workflow-id', purchase.sagaId, '--type', 'LastWorkflowTask'],
    ...[
      '--reason',
      'operator retry',
      '--address',
      config.TEMPORAL_ADDRESS,
      '--namespace',
      config.TEMPORAL_NAMESPACE,
    ],
  ]);
  const reset = h.env.client.workflow.getHandle(purchase.sagaId); // the latest run: the reset one
  await statusWhen(reset, paymentInFlight);
  await reset.signal(cancelSignal, 'after the reset');

  expect(await reset.result()).toMatchObject({ success: false, code: 'Cancelled' });
  expect((await reset.describe()).runId).not.toBe(firstRun);
  expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 0, moneyKeptMinor: 0 });
  const versions = await sagaEventVersions(h.db, purchase.sagaId);
  expect(versions).toEqual(versions.map((_, i) => i + 1));
});
