/**
 * The golden histories: one representative run of every path through the workflows. Each
 * scenario drives real workflows to a known end and checks it got there, so a file never holds
 * a different path than its name says. They run in this order (some reuse an earlier one's seats
 * or payment).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import type { WorkflowHandle } from '@temporalio/client';

import type { SagaStatusView } from '../domain';
import type { refundTicket, reservationHold, ticketPurchase } from '../workflows';
import {
  cancelSignal,
  cancelUpdate,
  PURCHASE_WORKFLOW_ID_PREFIX,
  statusQuery,
  type TicketPurchaseResult,
} from '../workflows/purchase-contract';
import { refundWorkflowId, type RefundTicketResult } from '../workflows/refund-contract';
import {
  awaitPlacementUpdate,
  cancelReservationUpdate,
  reservationWorkflowId,
  type ReservationHoldView,
} from '../workflows/reservation-contract';
import { newId, REFUSE_TAG, seat, type RecordingEnv } from './record-histories-env';

export const CARDS = {
  ok: '4111111111111111',
  ok2: '4242424242424242',
  declined: '4000000000000002',
  transient: '4000000000000119',
  hang: '4000000000000259',
} as const;

/** A run to store: `<file>.json` gets the history of this workflow run. */
export interface Recorded {
  readonly file: string;
  readonly workflowId: string;
  readonly runId: string;
}

export interface Scenario {
  readonly file: string;
  readonly about: string;
  readonly run: (env: RecordingEnv, earlier: Earlier) => Promise<Recorded[]>;
}

/** What later scenarios reuse. */
interface Earlier {
  paymentId?: string;
}

type Purchase = WorkflowHandle<typeof ticketPurchase> & { firstExecutionRunId: string };

async function purchase(
  env: RecordingEnv,
  o: {
    key: string;
    card: string;
    seats: { row: number; number: number }[];
    holdSeconds?: number;
    /** A hold to take over (POST /api/ticketpurchase with a reservationId). */
    reservationId?: string;
  },
): Promise<Purchase> {
  const sagaId = `${PURCHASE_WORKFLOW_ID_PREFIX}golden-${o.key}-${newId().slice(0, 8)}`;
  return env.client.workflow.start<typeof ticketPurchase>('ticketPurchase', {
    taskQueue: env.sagaTaskQueue,
    workflowId: sagaId,
    args: [
      {
        sagaId,
        requestId: `req-${newId()}`,
        showtimeId: env.showtime.showtime.id,
        customerId: 'customer-golden',
        seats: o.seats,
        payment: env.payment(o.card),
        holdSeconds: o.holdSeconds ?? 600,
        ...(o.reservationId === undefined ? {} : { reservationId: o.reservationId }),
      },
    ],
  });
}

/** Waits for the purchase's result and checks it ended the way the scenario means to. */
async function ended(
  handle: Purchase,
  file: string,
  expected: { success: true } | { success: false; code: string },
): Promise<Recorded & { result: TicketPurchaseResult }> {
  const result = await handle.result();
  const code = result.success ? null : result.code;
  if (result.success !== expected.success || (!expected.success && code !== expected.code)) {
    throw new Error(
      `${file}: expected ${JSON.stringify(expected)}, the purchase ended ${JSON.stringify(result)}`,
    );
  }
  return { file, workflowId: handle.workflowId, runId: handle.firstExecutionRunId, result };
}

async function paymentInFlight(handle: Purchase): Promise<void> {
  const inFlight = (s: SagaStatusView) => s.status === 'InProgress' && s.currentStep === 2;
  while (!inFlight(await handle.query(statusQuery))) await sleep(100);
}

const purchaseScenarios: Scenario[] = [
  {
    file: 'purchase-success',
    about: 'all four steps succeed',
    async run(env, earlier) {
      const done = await ended(
        await purchase(env, { key: 'success', card: CARDS.ok, seats: [seat(1, 1), seat(1, 2)] }),
        this.file,
        { success: true },
      );
      if (done.result.success) earlier.paymentId = done.result.paymentId;
      return [done];
    },
  },
  {
    file: 'purchase-payment-retried',
    about: 'the provider fails twice, the retried charge succeeds',
    async run(env) {
      const handle = await purchase(env, { key: 'retried', card: CARDS.transient, seats: [seat(2, 1)] });
      return [await ended(handle, this.file, { success: true })];
    },
  },
  {
    file: 'purchase-reserve-seats-fails',
    about: 'ReserveSeats refused (seat already taken): nothing to compensate',
    async run(env) {
      const handle = await purchase(env, { key: 'seat-taken', card: CARDS.ok, seats: [seat(1, 1)] });
      return [await ended(handle, this.file, { success: false, code: 'SeatAlreadyTaken' })];
    },
  },
  {
    file: 'purchase-payment-declined',
    about: 'ProcessPayment declined: ReleaseSeats',
    async run(env) {
      const handle = await purchase(env, { key: 'declined', card: CARDS.declined, seats: [seat(3, 1)] });
      return [await ended(handle, this.file, { success: false, code: 'PaymentDeclined' })];
    },
  },
  {
    file: 'purchase-confirm-fails',
    about: 'ConfirmReservation refused: RefundPayment, ReleaseSeats',
    async run(env) {
      const key = REFUSE_TAG.confirm;
      const handle = await purchase(env, { key, card: CARDS.ok, seats: [seat(4, 1)] });
      return [await ended(handle, this.file, { success: false, code: 'RecordedRefusal' })];
    },
  },
  {
    file: 'purchase-issue-ticket-fails',
    about: 'IssueTicket refused: CancelReservation, RefundPayment, ReleaseSeats',
    async run(env) {
      const key = REFUSE_TAG.issue;
      const handle = await purchase(env, { key, card: CARDS.ok2, seats: [seat(4, 2)] });
      return [await ended(handle, this.file, { success: false, code: 'RecordedRefusal' })];
    },
  },
  {
    file: 'purchase-hold-expired',
    about: 'the seat hold timer fires while the charge hangs: the charge is cancelled, then compensated',
    async run(env) {
      const handle = await purchase(env, {
        key: 'hold-expired',
        card: CARDS.hang,
        seats: [seat(5, 1)],
        holdSeconds: 2,
      });
      return [await ended(handle, this.file, { success: false, code: 'HoldExpired' })];
    },
  },
  {
    file: 'purchase-cancelled-by-signal',
    about: 'the cancel signal while the charge hangs',
    async run(env) {
      const handle = await purchase(env, { key: 'cancel-signal', card: CARDS.hang, seats: [seat(5, 2)] });
      await paymentInFlight(handle);
      await handle.signal(cancelSignal, 'changed my mind');
      return [await ended(handle, this.file, { success: false, code: 'Cancelled' })];
    },
  },
  {
    file: 'purchase-cancelled-by-update',
    about: 'the cancelPurchase update while the charge hangs (answers once compensated)',
    async run(env) {
      const handle = await purchase(env, { key: 'cancel-update', card: CARDS.hang, seats: [seat(5, 3)] });
      await paymentInFlight(handle);
      await handle.executeUpdate(cancelUpdate, { args: ['too slow'] });
      return [await ended(handle, this.file, { success: false, code: 'Cancelled' })];
    },
  },
  {
    file: 'purchase-refused-before-first-step',
    about: 'input refused by the workflow itself (holdSeconds 0): no activity at all',
    async run(env) {
      const handle = await purchase(env, {
        key: 'refused',
        card: CARDS.ok,
        seats: [seat(6, 1)],
        holdSeconds: 0,
      });
      return [await ended(handle, this.file, { success: false, code: 'InvalidHoldSeconds' })];
    },
  },
];

async function refund(
  env: RecordingEnv,
  file: string,
  paymentId: string,
  success: boolean,
): Promise<Recorded> {
  const handle = await env.client.workflow.start<typeof refundTicket>('refundTicket', {
    taskQueue: env.sagaTaskQueue,
    workflowId: refundWorkflowId(paymentId),
    args: [{ paymentId, reason: 'Customer request', requestId: `req-${newId()}` }],
  });
  const result: RefundTicketResult = await handle.result();
  if (result.success !== success) throw new Error(`${file}: the refund ended ${JSON.stringify(result)}`);
  return { file, workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

const refundScenarios: Scenario[] = [
  {
    file: 'refund-success',
    about: "refund of purchase-success's payment: money back, ticket Refunded, seats released",
    async run(env, earlier) {
      if (!earlier.paymentId) throw new Error(`${this.file} needs purchase-success's payment`);
      return [await refund(env, this.file, earlier.paymentId, true)];
    },
  },
  {
    file: 'refund-refused',
    about: 'refund of an unknown payment: refused before any money moves',
    run: async (env) => [await refund(env, 'refund-refused', `pay-${newId()}`, false)],
  },
];

async function hold(
  env: RecordingEnv,
  seats: { row: number; number: number }[],
  holdSeconds: number,
): Promise<WorkflowHandle<typeof reservationHold> & { firstExecutionRunId: string }> {
  const reservationId = newId();
  return env.client.workflow.start<typeof reservationHold>('reservationHold', {
    taskQueue: env.sagaTaskQueue,
    workflowId: reservationWorkflowId(reservationId),
    args: [
      {
        reservationId,
        showtimeId: env.showtime.showtime.id,
        customerId: 'customer-golden',
        seats,
        holdSeconds,
        requestId: `req-${newId()}`,
      },
    ],
  });
}

async function holdEnded(
  handle: WorkflowHandle<typeof reservationHold> & { firstExecutionRunId: string },
  file: string,
  status: ReservationHoldView['status'],
): Promise<Recorded> {
  const view = await handle.result();
  if (view.status !== status)
    throw new Error(`${file}: expected ${status}, the hold ended ${JSON.stringify(view)}`);
  return { file, workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

const holdScenarios: Scenario[] = [
  {
    file: 'reservation-hold-expired',
    about: 'seats held without buying, released when the hold timer fires',
    async run(env) {
      const handle = await hold(env, [seat(7, 1)], 2);
      return [await holdEnded(handle, this.file, 'Expired')];
    },
  },
  {
    file: 'reservation-hold-cancelled',
    about: 'awaitPlacement update answers Pending, then the cancelReservation update',
    async run(env) {
      const handle = await hold(env, [seat(7, 2)], 600);
      await handle.executeUpdate(awaitPlacementUpdate);
      await handle.executeUpdate(cancelReservationUpdate, { args: ['changed plans'] });
      return [await holdEnded(handle, this.file, 'Cancelled')];
    },
  },
  {
    file: 'purchase-claims-hold',
    about: "a purchase takes a hold over (its reservationId), then the hold's cancel leaves it Claimed",
    async run(env) {
      const held = await hold(env, [seat(7, 3)], 600);
      await held.executeUpdate(awaitPlacementUpdate);
      const reservationId = held.workflowId.slice(reservationWorkflowId('').length);
      const bought = await ended(
        await purchase(env, { key: 'claims-hold', card: CARDS.ok, seats: [seat(7, 3)], reservationId }),
        this.file,
        { success: true },
      );
      await held.executeUpdate(cancelReservationUpdate, { args: ['changed plans'] });
      return [bought, await holdEnded(held, 'reservation-hold-claimed', 'Claimed')];
    },
  },
  {
    file: 'reservation-hold-rejected',
    about: "seats already taken (purchase-payment-retried's): never held",
    async run(env) {
      const handle = await hold(env, [seat(2, 1)], 600);
      return [await holdEnded(handle, this.file, 'Rejected')];
    },
  },
];

/**
 * The relay of this recording's own outbox: its first run (first batch carries the purchases'
 * events, a purge, idle batches, continue-as-new) and the run that continued it (counters carried).
 */
const relayScenario: Scenario = {
  file: 'outbox-relay',
  about: 'first run until continue-as-new, and the continued run',
  async run(env) {
    const handle = await env.startRelay();
    const first = handle.firstExecutionRunId;
    let second: string | undefined;
    for (let waited = 0; ; waited += 200) {
      if (waited > 120_000) throw new Error('outbox-relay: did not continue as new twice within 2 minutes');
      const history = await env.client.workflow.getHandle(handle.workflowId, first).fetchHistory();
      second ??=
        history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ??
        undefined;
      const current = (await handle.describe()).runId;
      if (second && current !== first && current !== second) break;
      await sleep(200);
    }
    const backlog = await env.relayEnv.store.backlog();
    if (backlog.pending !== 0) throw new Error(`outbox-relay: ${backlog.pending} events still pending`);
    return [
      { file: 'outbox-relay-first-run', workflowId: handle.workflowId, runId: first },
      { file: 'outbox-relay-continued-run', workflowId: handle.workflowId, runId: second! },
    ];
  },
};

export const SCENARIOS: readonly Scenario[] = [
  ...purchaseScenarios,
  ...refundScenarios,
  ...holdScenarios,
  relayScenario,
];
