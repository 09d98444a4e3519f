/**
 * A compensation that keeps failing ends in a visible state, not an endless silent retry: the
 * saga's status says Failed (query and the SagaStatus search attribute) and it waits for an
 * operator, who retries it (once the cause is fixed) or abandons it, by workflow update.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { BookingActivities } from '../../../activities';
import {
  abandonCompensationUpdate,
  retryCompensationUpdate,
  statusQuery,
} from '../../../workflows/purchase-contract';
import { CARDS, customerState, seat, startSagaHarness, type SagaHarness, statusWhen } from './harness';
import { refuseStepFor } from './refuse-step';

let h: SagaHarness;
/** While true, CancelReservation of tagged sagas fails like a bug would (non-retryable). */
let cancelBroken = true;

beforeAll(async () => {
  h = await startSagaHarness({
    name: 'stuckcomp',
    wrapActivities: (real): BookingActivities => ({
      ...real,
      issueTicket: refuseStepFor(real, 'issueTicket', 'stuck', {
        message: 'ticket printer on fire',
        type: 'TicketPrinterFailed',
      }),
      cancelReservation: async (input) => {
        if (cancelBroken && input.workflowId.includes('stuck')) {
          throw ApplicationFailure.nonRetryable('reservations table is read-only', 'Bug');
        }
        return real.cancelReservation(input);
      },
    }),
  });
});

afterAll(async () => {
  await h?.close();
});

async function searchStatus(handle: WorkflowHandle): Promise<unknown> {
  const described = await handle.describe();
  return described.typedSearchAttributes.get({ name: 'SagaStatus', type: 'KEYWORD' } as never);
}

it('shows Failed and waits; an operator retry then finishes the rollback', async () => {
  cancelBroken = true;
  const purchase = await h.startPurchase({ card: CARDS.visa, seats: [seat(6, 1)], tag: 'stuck-retry' });

  const failed = await statusWhen(purchase.handle, (s) => s.status === 'Failed');
  expect(failed.stepLogs.at(-1)).toMatchObject({ stepName: 'CancelReservation', success: false });
  expect(failed.failureReason).toBe('ticket printer on fire');
  expect(await searchStatus(purchase.handle)).toBe('Failed');

  cancelBroken = false;
  await purchase.handle.executeUpdate(retryCompensationUpdate);
  const result = await purchase.handle.result();

  expect(result).toMatchObject({ success: false, code: 'TicketPrinterFailed' });
  expect(await purchase.handle.query(statusQuery)).toMatchObject({ status: 'Compensated' });
  expect(await searchStatus(purchase.handle)).toBe('Compensated');
  expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 0, moneyKeptMinor: 0 });
}, 60_000);

it('an operator may abandon it instead: the purchase ends Failed', async () => {
  cancelBroken = true;
  const purchase = await h.startPurchase({ card: CARDS.visa, seats: [seat(6, 2)], tag: 'stuck-abandon' });
  await statusWhen(purchase.handle, (s) => s.status === 'Failed');

  await purchase.handle.executeUpdate(abandonCompensationUpdate, { args: ['refunded by hand, ticket #42'] });
  const result = await purchase.handle.result();

  expect(result).toMatchObject({ success: false, error: 'Failed: ticket printer on fire' });
  expect(await searchStatus(purchase.handle)).toBe('Failed');
}, 60_000);
