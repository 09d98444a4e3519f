/**
 * The seat hold without purchase (workflows/reservation-hold.ts) with stub activities in the
 * time-skipping test server: a 10-minute hold expires and gives its seats back in milliseconds.
 * On real services: test/int/saga/hold-and-cancel.int.test.ts, hold-lapse.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { reservationHold } from '../../workflows';
import {
  awaitPlacementUpdate,
  cancelReservationUpdate,
  reservationStatusQuery,
  reservationWorkflowId,
  type ReservationHoldInput,
} from '../../workflows/reservation-contract';
import { startWorkflowHarness, type WorkflowHarness } from './harness';
import { outageFor, refuse, SEAT_PRICE_MINOR } from './stub-activities';

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness();
});

afterAll(async () => {
  await h?.close();
});

function hold(holdSeconds = 600): ReservationHoldInput {
  return {
    reservationId: randomUUID(),
    showtimeId: 'showtime-1',
    customerId: 'customer-1',
    seats: [
      { row: 3, number: 4 },
      { row: 3, number: 5 },
    ],
    holdSeconds,
    requestId: 'req-hold',
  };
}

async function place(input: ReservationHoldInput) {
  const workflowId = reservationWorkflowId(input.reservationId);
  const handle = await h.env.client.workflow.start(reservationHold, {
    taskQueue: h.taskQueue,
    workflowId,
    args: [input],
  });
  return { workflowId, handle, placed: await handle.executeUpdate(awaitPlacementUpdate) };
}

it('a 10-minute hold expires and releases its seats', async () => {
  const input = hold(600);
  const { workflowId, handle, placed } = await place(input);
  expect(placed).toMatchObject({ status: 'Pending', totalAmountMinor: 2 * SEAT_PRICE_MINOR, reason: null });

  const before = await h.env.currentTimeMs();
  const result = await handle.result();

  expect(h.stubs.callsOf(workflowId)).toEqual(['reserveSeats', 'releaseSeats']);
  expect(result).toMatchObject({
    status: 'Expired',
    reason: 'Hold expired',
    holdExpiresAt: placed.holdExpiresAt,
  });
  expect(await handle.query(reservationStatusQuery)).toEqual(result);
  // The server's clock moved on by the whole hold (in skipped time).
  expect((await h.env.currentTimeMs()) - before).toBeGreaterThanOrEqual(599_000);
});

it('a cancel before then releases the seats as cancelled, not expired', async () => {
  const input = hold(600);
  const { workflowId, handle } = await place(input);

  const answer = await handle.executeUpdate(cancelReservationUpdate, { args: ['plans changed'] });

  expect(answer).toMatchObject({ status: 'Cancelled', reason: 'plans changed' });
  expect(h.stubs.callsOf(workflowId)).toEqual(['reserveSeats', 'cancelReservation']);
  expect(await handle.result()).toEqual(answer);
});

it('seats already taken: Rejected, nothing to release', async () => {
  const input = hold(600);
  const workflowId = reservationWorkflowId(input.reservationId);
  h.stubs.on(workflowId, { reserveSeats: refuse('SeatAlreadyTaken', 'seat 3-4 is taken') });
  const { handle, placed } = await place(input);

  expect(placed).toMatchObject({ status: 'Rejected', code: 'SeatAlreadyTaken', reason: 'seat 3-4 is taken' });
  expect(await handle.result()).toEqual(placed);
  expect(h.stubs.callsOf(workflowId)).toEqual(['reserveSeats']);
});

it('the release outlasts a database outage: retried until it succeeds', async () => {
  const input = hold(600);
  const workflowId = reservationWorkflowId(input.reservationId);
  h.stubs.on(workflowId, { releaseSeats: outageFor(6) });
  const { handle } = await place(input);

  expect(await handle.result()).toMatchObject({ status: 'Expired' });
  expect(h.stubs.callsOf(workflowId)).toEqual(['reserveSeats', ...Array<string>(7).fill('releaseSeats')]);
});
