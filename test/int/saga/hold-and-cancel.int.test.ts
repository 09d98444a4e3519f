/**
 * Ending a purchase from outside while a step runs: the seat hold's durable timer, and the
 * customer's cancel by signal or by update. The payment step is kept in flight with the hanging
 * test card, so each case also proves a charge in flight is stopped before the refund runs.
 * Plus the reservationHold workflow (plain reservation with a durable expiry).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { BookingActivities } from '../../../activities';
import type { SagaStatusView } from '../../../domain';
import { sql } from '../../../db/sql';
import * as read from '../../../db/row';
import { reservationHold } from '../../../workflows';
import { cancelSignal, cancelUpdate, statusQuery } from '../../../workflows/purchase-contract';
import {
  awaitPlacementUpdate,
  cancelReservationUpdate,
  reservationWorkflowId,
  type ReservationHoldInput,
} from '../../../workflows/reservation-contract';
import {
  CARDS,
  customerState,
  ledgerEntry,
  seat,
  startSagaHarness,
  type SagaHarness,
  statusWhen,
} from './harness';

/** Holds ReleaseSeats (a rollback's last step) of tagged sagas until the test opens the gate. */
let openGate: () => void = () => undefined;
const gate = new Promise<void>((resolve) => {
  openGate = resolve;
});

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({
    name: 'hold',
    wrapActivities: (real): BookingActivities => ({
      ...real,
      releaseSeats: async (input) => {
        if (input.workflowId.includes('gated')) await gate;
        return real.releaseSeats(input);
      },
    }),
  });
});

afterAll(async () => {
  openGate();
  await h?.close();
});

const paymentInFlight = (s: SagaStatusView) => s.status === 'InProgress' && s.currentStep === 2;

async function reservationStatus(customerId: string): Promise<string[]> {
  const { rows } = await h.db.query(sql`SELECT status FROM reservations WHERE customer_id = ${customerId}`);
  return rows.map((r) => read.str(r.status, 'status'));
}

async function paymentId(customerId: string): Promise<string> {
  const { rows } = await h.db.query(sql`SELECT id FROM payments WHERE customer_id = ${customerId}`);
  return read.str(rows[0]?.id, 'id');
}

describe('the seat hold', () => {
  it('expires while the payment hangs: the charge is stopped, nothing is taken, the seats are back', async () => {
    const purchase = await h.startPurchase({
      card: CARDS.hang,
      seats: [seat(1, 1), seat(1, 2)],
      holdSeconds: 2,
    });

    const result = await purchase.handle.result();

    expect(result).toMatchObject({
      success: false,
      code: 'HoldExpired',
      error: 'Compensated: Seat hold expired before payment completed',
    });
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({
      liveSeats: 0,
      moneyKeptMinor: 0,
      charges: 0,
      paymentStatuses: ['Failed'],
    });
    expect(await reservationStatus(purchase.customerId)).toEqual(['Expired']);
    // The charge key is cancelled at the provider: a late attempt could not charge any more.
    expect(await ledgerEntry(h.db, await paymentId(purchase.customerId))).toMatchObject({
      status: 'cancelled',
    });
    const status = await purchase.handle.query(statusQuery);
    expect(status.stepLogs.map((l) => [l.stepName, l.success])).toEqual([
      ['ReserveSeats', true],
      ['ProcessPayment', false],
      ['RefundPayment', true],
      ['ReleaseSeats', true],
    ]);
  });
});

describe('cancel in flight', () => {
  it('by signal: the payment in flight is stopped and the seats are released', async () => {
    const purchase = await h.startPurchase({ card: CARDS.hang, seats: [seat(2, 1)] });
    await statusWhen(purchase.handle, paymentInFlight);

    await purchase.handle.signal(cancelSignal, 'changed my mind');
    const result = await purchase.handle.result();

    expect(result).toMatchObject({
      success: false,
      code: 'Cancelled',
      error: 'Compensated: Cancelled: changed my mind',
    });
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 0, moneyKeptMinor: 0 });
    expect(await reservationStatus(purchase.customerId)).toEqual(['Cancelled']);
  });

  it('by update: answers with the compensated status', async () => {
    const purchase = await h.startPurchase({ card: CARDS.hang, seats: [seat(2, 2), seat(2, 3)] });
    await statusWhen(purchase.handle, paymentInFlight);

    const status = await purchase.handle.executeUpdate(cancelUpdate, { args: ['too slow'] });

    expect(status).toMatchObject({ status: 'Compensated', failureReason: 'Cancelled: too slow' });
    expect(status.stepLogs.map((l) => l.stepName)).toEqual([
      'ReserveSeats',
      'ProcessPayment',
      'RefundPayment',
      'ReleaseSeats',
    ]);
    expect(await purchase.handle.result()).toMatchObject({ success: false, code: 'Cancelled' });
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 0, moneyKeptMinor: 0 });
  });

  it('is refused by the update validator once the purchase is rolling back, and a signal changes nothing', async () => {
    const purchase = await h.startPurchase({ card: CARDS.declined, seats: [seat(2, 4)], tag: 'gated' });
    await statusWhen(purchase.handle, (s) => s.status === 'Compensating'); // the gate holds ReleaseSeats

    const refused = purchase.handle.executeUpdate(cancelUpdate, { args: ['too late'] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/can't be cancelled/) },
    });
    await purchase.handle.signal(cancelSignal, 'too late');
    openGate();

    expect(await purchase.handle.result()).toMatchObject({ success: false, code: 'PaymentDeclined' });
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 0, liveTickets: 0 });
  });

  it('finds nothing to cancel once the ticket is issued: the purchase ended with it', async () => {
    const purchase = await h.startPurchase({ card: CARDS.visa, seats: [seat(2, 5)] });
    expect(await purchase.handle.result()).toMatchObject({ success: true });

    await expect(purchase.handle.executeUpdate(cancelUpdate, { args: ['too late'] })).rejects.toThrow();
    await expect(purchase.handle.signal(cancelSignal, 'too late')).rejects.toThrow();
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 1, liveTickets: 1 });
  });
});

describe('reservationHold (a reservation without purchase)', () => {
  const start = (
    seats: ReturnType<typeof seat>[],
    holdSeconds: number,
    customerId = `hold-${Date.now()}`,
  ) => {
    const reservationId = `res-${Math.random().toString(36).slice(2, 12)}`;
    const input: ReservationHoldInput = {
      reservationId,
      showtimeId: h.showtime.showtime.id,
      customerId,
      seats,
      holdSeconds,
      requestId: 'req-hold',
    };
    return h.env.client.workflow.start(reservationHold, {
      taskQueue: h.taskQueue,
      workflowId: reservationWorkflowId(reservationId),
      args: [input],
    });
  };

  it('holds the seats, then expires durably and gives them back', async () => {
    const handle = await start([seat(7, 1), seat(7, 2)], 2, 'hold-expiring');

    const placed = await handle.executeUpdate(awaitPlacementUpdate);
    const final = await handle.result();

    expect(placed).toMatchObject({ status: 'Pending', totalAmountMinor: 2500, currency: 'USD' });
    expect(final).toMatchObject({ status: 'Expired' });
    expect(await reservationStatus('hold-expiring')).toEqual(['Expired']);
    expect(await customerState(h.db, 'hold-expiring')).toMatchObject({ liveSeats: 0 });
  });

  it('is cancelled by update, and refuses seats someone else holds', async () => {
    const handle = await start([seat(7, 5)], 600, 'hold-cancelled');
    await handle.executeUpdate(awaitPlacementUpdate);
    const rival = await start([seat(7, 5)], 600, 'hold-rival');

    const rejected = await rival.executeUpdate(awaitPlacementUpdate);
    const cancelled = await handle.executeUpdate(cancelReservationUpdate, { args: ['plans changed'] });

    expect(rejected).toMatchObject({ status: 'Rejected', code: 'SeatAlreadyTaken' });
    expect(cancelled).toMatchObject({ status: 'Cancelled', reason: 'plans changed' });
    expect(await reservationStatus('hold-cancelled')).toEqual(['Cancelled']);
    expect(await customerState(h.db, 'hold-cancelled')).toMatchObject({ liveSeats: 0 });
  });
});
