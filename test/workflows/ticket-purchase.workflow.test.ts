/**
 * Every path of the purchase saga (workflows/ticket-purchase.ts) with stub activities in the
 * time-skipping test server: the order in which steps and compensations are called, the saga
 * events handed to them, and the result and status the API shows. The same paths on real
 * services: test/int/saga/.
 */
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ticketPurchase } from '../../workflows';
import { CLOSING_SHAPE_PATCH } from '../../workflows/ticket-purchase';
import {
  abandonCompensationUpdate,
  cancelSignal,
  cancelUpdate,
  retryCompensationUpdate,
  statusQuery,
  type PurchaseFailed,
  type TicketPurchaseInput,
} from '../../workflows/purchase-contract';
import { startWorkflowHarness, type WorkflowHarness } from './harness';
import { healthy, outage, refuse } from './stub-activities';

let h: WorkflowHarness;
const EventType = temporal.api.enums.v1.EventType;

beforeAll(async () => {
  h = await startWorkflowHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Each forward step's activity beside the activity that undoes it, in run order. */
const STEPS = [
  ['reserveSeats', 'releaseSeats'],
  ['processPayment', 'refundPayment'],
  ['confirmReservation', 'cancelReservation'],
  ['issueTicket', 'voidTicket'],
] as const;
type Step = (typeof STEPS)[number][0];
const FORWARD = STEPS.map(([step]) => step);
const through = (last: Step) => STEPS.slice(0, FORWARD.indexOf(last) + 1);

/** The forward steps' activities from the first through `last`. */
const stepsThrough = (last: Step) => through(last).map(([step]) => step);
/** The rollback of the steps through `last`: their undo activities, last step first; then the closing bookkeeping. */
const undoThrough = (last: Step) => [
  ...through(last)
    .map(([, undo]) => undo)
    .reverse(),
  'recordSagaEvents',
];

function purchase(tag: string, holdSeconds = 600): TicketPurchaseInput {
  return {
    sagaId: `purchase-${tag}-${randomUUID()}`,
    requestId: `req-${tag}`,
    showtimeId: 'showtime-1',
    customerId: 'customer-1',
    seats: [{ row: 5, number: 10 }],
    payment: {
      method: 'CreditCard',
      token: 'tok_stub',
      cardBrand: 'Visa',
      cardLast4: '1111',
      cardHolderName: 'John Doe',
    },
    holdSeconds,
  };
}

function start(input: TicketPurchaseInput) {
  return h.env.client.workflow.start(ticketPurchase, {
    taskQueue: h.taskQueue,
    workflowId: input.sagaId,
    args: [input],
  });
}

async function rolledBack(input: TicketPurchaseInput): Promise<PurchaseFailed> {
  const result = await (await start(input)).result();
  if (result.success) throw new Error(`${input.sagaId} bought a ticket`);
  return result;
}

const stepNames = (result: { finalStatus?: { stepLogs: readonly { stepName: string }[] } }) =>
  result.finalStatus?.stepLogs.map((log) => log.stepName);

it('happy path: four steps, the last one closing the saga; Completed with the ticket', async () => {
  const input = purchase('happy');
  const handle = await start(input);
  const result = await handle.result();

  // IssueTicket writes the saga's closing events with the ticket: no bookkeeping after it.
  expect(h.stubs.callsOf(input.sagaId)).toEqual(FORWARD);
  expect(result).toMatchObject({ success: true, ticketNumber: 'TKT-STUB-0001', movieTitle: 'Inception' });
  expect(result.finalStatus).toMatchObject({ status: 'Completed', currentStep: 4, failureReason: null });
  expect(stepNames(result)).toEqual(['ReserveSeats', 'ProcessPayment', 'ConfirmReservation', 'IssueTicket']);
  expect(await handle.query(statusQuery)).toEqual(result.finalStatus);
  // Each saga event reaches the outbox through exactly one activity that succeeded.
  expect(h.stubs.eventsDelivered(input.sagaId)).toEqual([
    'SagaStarted',
    'StepCompleted',
    'StepCompleted',
    'StepCompleted',
    'StepCompleted',
    'SagaCompleted',
  ]);
});

it('a new purchase sends few commands: one patch marker, one search-attribute upsert per workflow task', async () => {
  const input = purchase('shape');
  const handle = await start(input);
  await handle.result();
  const { events } = await handle.fetchHistory();
  const of = (type: temporal.api.enums.v1.EventType) => (events ?? []).filter((e) => e.eventType === type);
  const json = (payload: temporal.api.common.v1.IPayload | null | undefined): unknown =>
    payload ? defaultPayloadConverter.fromPayload(payload) : undefined;

  // The current shape's one patch stands for every earlier one (each of which cost a marker and
  // a TemporalChangeVersion upsert per run).
  const patches = of(EventType.EVENT_TYPE_MARKER_RECORDED)
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]));
  expect(patches).toEqual([{ id: CLOSING_SHAPE_PATCH, deprecated: false }]);

  // The saga's own upserts (not the SDK's TemporalChangeVersion one): the local steps run inside
  // the workflow task, so each task sends one, with the state at its end.
  const upserts = of(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
    .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})
    .filter((fields) => !('TemporalChangeVersion' in fields));
  expect(upserts).toHaveLength(of(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length);
  expect(upserts.map((fields) => [json(fields.SagaStatus), json(fields.CurrentStep)])).toEqual([
    ['InProgress', 'ProcessPayment'],
    ['Completed', 'None'],
  ]);
});

it('refused before the first step: nothing runs; Compensated, the status query answers', async () => {
  const input = purchase('refused', 0);
  const handle = await start(input);
  const result = await handle.result();

  expect(h.stubs.callsOf(input.sagaId)).toEqual([]);
  expect(result).toMatchObject({
    success: false,
    code: 'InvalidHoldSeconds',
    error: 'Compensated: holdSeconds must be a positive number',
    finalStatus: { status: 'Compensated', currentStep: 0, totalSteps: FORWARD.length, stepLogs: [] },
  });
  expect(await handle.query(statusQuery)).toEqual(result.finalStatus);
});

it('payment declined: only the seats are released; Compensated with the decline', async () => {
  const input = purchase('declined');
  h.stubs.on(input.sagaId, { processPayment: refuse('PaymentDeclined', 'Card declined') });
  const result = await rolledBack(input);

  expect(h.stubs.callsOf(input.sagaId)).toEqual([
    ...stepsThrough('processPayment'),
    ...undoThrough('reserveSeats'),
  ]);
  expect(result).toMatchObject({ code: 'PaymentDeclined', error: 'Compensated: Card declined' });
  expect(result.finalStatus?.status).toBe('Compensated');
  expect(stepNames(result)).toEqual(['ReserveSeats', 'ProcessPayment', 'ReleaseSeats']);
  expect(h.stubs.eventsDelivered(input.sagaId)).toEqual([
    'SagaStarted',
    'StepCompleted',
    'StepFailed',
    'CompensationCompleted',
    'SagaCompensated',
  ]);
});

it('confirmation refused: the payment is refunded, then the seats released', async () => {
  const input = purchase('confirm');
  h.stubs.on(input.sagaId, { confirmReservation: refuse('ReservationExpired', 'hold lapsed') });
  const result = await rolledBack(input);

  expect(h.stubs.callsOf(input.sagaId)).toEqual([
    ...stepsThrough('confirmReservation'),
    ...undoThrough('processPayment'),
  ]);
  expect(result).toMatchObject({ code: 'ReservationExpired', error: 'Compensated: hold lapsed' });
});

it('ticket refused: reservation cancelled, payment refunded, seats released, in that order', async () => {
  const input = purchase('issue');
  h.stubs.on(input.sagaId, { issueTicket: refuse('TicketPrinterFailed', 'ticket printer on fire') });
  const result = await rolledBack(input);

  expect(h.stubs.callsOf(input.sagaId)).toEqual([...FORWARD, ...undoThrough('confirmReservation')]);
  expect(result).toMatchObject({ code: 'TicketPrinterFailed', finalStatus: { status: 'Compensated' } });
  expect(stepNames(result)?.slice(-3)).toEqual(['CancelReservation', 'RefundPayment', 'ReleaseSeats']);
});

/** A charge stopped while in flight (it may have gone through): refunded, then the seats released. */
const chargeStoppedThenRolledBack = [
  ...stepsThrough('processPayment'),
  'processPayment stopped',
  ...undoThrough('processPayment'),
];

describe('a cancel while the charge is in flight', () => {
  it('by signal: the charge is stopped before its refund runs', async () => {
    const input = purchase('cancel-signal');
    h.stubs.on(input.sagaId, { processPayment: h.stubs.untilCancelled('processPayment') });
    const handle = await start(input);
    await h.stubs.reached(input.sagaId, 'processPayment');

    await handle.signal(cancelSignal, 'changed my mind');
    const result = await handle.result();

    expect(h.stubs.callsOf(input.sagaId)).toEqual(chargeStoppedThenRolledBack);
    expect(result).toMatchObject({
      success: false,
      code: 'Cancelled',
      error: 'Compensated: Cancelled: changed my mind',
    });
  });

  it('by update: it answers with the rolled-back status', async () => {
    const input = purchase('cancel-update');
    h.stubs.on(input.sagaId, { processPayment: h.stubs.untilCancelled('processPayment') });
    const handle = await start(input);
    await h.stubs.reached(input.sagaId, 'processPayment');

    const answer = await handle.executeUpdate(cancelUpdate, { args: ['wrong showtime'] });

    expect(answer).toMatchObject({ status: 'Compensated', failureReason: 'Cancelled: wrong showtime' });
    expect(h.stubs.callsOf(input.sagaId)).toEqual(chargeStoppedThenRolledBack);
    expect(await handle.result()).toMatchObject({ code: 'Cancelled', finalStatus: answer });
    // Once it has ended there is nothing left to cancel.
    await expect(handle.executeUpdate(cancelUpdate, { args: ['again'] })).rejects.toThrow();
  });
});

describe('a cancel while the ticket is issued', () => {
  it('comes too late: IssueTicket, which closes the saga, is not stopped and the purchase completes', async () => {
    const input = purchase('cancel-at-issue');
    // The database is out for a few seconds of local retries; the short workflow task timeout
    // makes the worker report back meanwhile, so the cancel reaches the workflow mid-step.
    let cancelledAt: number | null = null;
    h.stubs.on(input.sagaId, {
      issueTicket: (stepInput, healthyAnswer) =>
        cancelledAt !== null && Date.now() - cancelledAt > 2_500
          ? healthyAnswer(stepInput)
          : Promise.reject(new Error('connection refused')),
    });
    const handle = await h.env.client.workflow.start(ticketPurchase, {
      taskQueue: h.taskQueue,
      workflowId: input.sagaId,
      args: [input],
      workflowTaskTimeout: '1 second',
    });
    await h.stubs.reached(input.sagaId, 'issueTicket');

    cancelledAt = Date.now();
    const answer = await handle.executeUpdate(cancelUpdate, { args: ['too late'] });

    expect(answer).toMatchObject({ status: 'Completed', failureReason: null });
    expect(await handle.result()).toMatchObject({ success: true, finalStatus: answer });
    expect(h.stubs.callsOf(input.sagaId).filter((call) => !FORWARD.includes(call as Step))).toEqual([]);
  });
});

describe('the seat hold lapses before the payment completes', () => {
  const holdExpired = 'Compensated: Seat hold expired before payment completed';

  it('in a payment provider outage: it lapses in the retry backoff (server time skipped)', async () => {
    const input = purchase('hold-outage', 10);
    h.stubs.on(input.sagaId, { processPayment: outage('provider unavailable') });
    const result = await rolledBack(input);

    // Attempts at 0, 1, 3 and 7 s (backoff 1 s doubling); the hold lapses at 10 s, before the
    // fifth attempt at 15 s: the waiting charge is cancelled, and refunded in case it went through.
    expect(h.stubs.callsOf(input.sagaId)).toEqual([
      'reserveSeats',
      ...Array<string>(4).fill('processPayment'),
      ...undoThrough('processPayment'),
    ]);
    expect(result).toMatchObject({ code: 'HoldExpired', error: holdExpired });
  });

  // The test server's clock runs at wall-clock speed while an activity runs: a hold that lapses
  // during a hanging charge takes its real length, so it is one second here.
  it('while the charge hangs: the charge is stopped, then refunded', async () => {
    const input = purchase('hold-hang', 1);
    h.stubs.on(input.sagaId, { processPayment: h.stubs.untilCancelled('processPayment') });
    const result = await rolledBack(input);

    expect(h.stubs.callsOf(input.sagaId)).toEqual(chargeStoppedThenRolledBack);
    expect(result).toMatchObject({ code: 'HoldExpired', error: holdExpired });
  });

  it('a charge that still goes through after the hold lapsed buys the ticket', async () => {
    const input = purchase('hold-paid', 1);
    h.stubs.on(input.sagaId, {
      processPayment: h.stubs.untilCancelled('processPayment', 'succeed anyway'),
    });
    const result = await (await start(input)).result();

    expect(h.stubs.callsOf(input.sagaId)).toEqual([
      ...stepsThrough('processPayment'),
      'processPayment stopped',
      'confirmReservation',
      'issueTicket',
    ]);
    expect(result).toMatchObject({ success: true, finalStatus: { status: 'Completed' } });
  });
});

describe('a compensation that keeps failing', () => {
  /** Issuing is refused and CancelReservation fails on every attempt (its database is down). */
  async function stuck(tag: string) {
    const input = purchase(tag);
    h.stubs.on(input.sagaId, {
      issueTicket: refuse('TicketPrinterFailed', 'ticket printer on fire'),
      cancelReservation: outage('reservations database unavailable'),
    });
    const handle = await start(input);
    // Its 10 bounded attempts take about 4 minutes of backoff: skipped.
    await h.env.sleep('10 minutes');
    return { input, handle };
  }

  it('ends Failed after its bounded attempts and waits; an operator retry finishes the rollback', async () => {
    const { input, handle } = await stuck('stuck-retry');

    const failed = await handle.query(statusQuery);
    expect(failed).toMatchObject({ status: 'Failed', failureReason: 'ticket printer on fire' });
    expect(failed.stepLogs.at(-1)).toMatchObject({ stepName: 'CancelReservation', success: false });
    expect(h.stubs.callsOf(input.sagaId)).toEqual([
      ...FORWARD,
      ...Array<string>(10).fill('cancelReservation'),
    ]);

    h.stubs.on(input.sagaId, { cancelReservation: healthy() });
    const answer = await handle.executeUpdate(retryCompensationUpdate);

    expect(answer).toMatchObject({ status: 'Compensated' });
    expect(h.stubs.callsOf(input.sagaId).slice(14)).toEqual(undoThrough('confirmReservation'));
    expect(await handle.result()).toMatchObject({ code: 'TicketPrinterFailed', finalStatus: answer });
  });

  it('or the operator abandons it: the purchase ends Failed, the remaining compensations not run', async () => {
    const { input, handle } = await stuck('stuck-abandon');

    const answer = await handle.executeUpdate(abandonCompensationUpdate, {
      args: ['refunded by hand, ticket #42'],
    });

    expect(answer).toMatchObject({ status: 'Failed' });
    expect(await handle.result()).toMatchObject({
      success: false,
      error: 'Failed: ticket printer on fire',
    });
    expect(h.stubs.callsOf(input.sagaId).slice(14)).toEqual(['recordSagaEvents']);
    expect(h.stubs.eventsDelivered(input.sagaId).at(-1)).toBe('SagaFailed');
  });

  it('the operator commands are refused while no compensation is stuck', async () => {
    const input = purchase('not-stuck');
    h.stubs.on(input.sagaId, { processPayment: h.stubs.untilCancelled('processPayment') });
    const handle = await start(input);
    await h.stubs.reached(input.sagaId, 'processPayment');

    const refused = {
      cause: { message: 'a InProgress purchase is not waiting for an operator' },
    };
    await expect(handle.executeUpdate(retryCompensationUpdate)).rejects.toMatchObject(refused);
    await expect(handle.executeUpdate(abandonCompensationUpdate, { args: ['no'] })).rejects.toMatchObject(
      refused,
    );
    await handle.signal(cancelSignal);
    expect(await handle.result()).toMatchObject({ code: 'Cancelled' });
  });
});
