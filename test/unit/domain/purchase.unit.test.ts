import { SagaState } from '../../../domain/purchase/saga-state';
import {
  COMPENSATIONS,
  COMPENSATION_OF,
  SAGA_STEPS,
  STEP_UNDONE_BY,
  type SagaStepName,
} from '../../../domain/purchase/saga-steps';
import {
  refusedPurchaseStatus,
  sagaFailureMessage,
  ticketIssued,
  TicketPurchaseSaga,
  type StepFailure,
  type StepSuccess,
} from '../../../domain/purchase/ticket-purchase-saga';
import { expectErr, expectOk, testContext, type TestContext } from './fakes';

const START = '2025-01-08T12:00:00Z';

const SUCCESS: Record<SagaStepName, StepSuccess> = {
  ReserveSeats: { message: 'Reserved 2 seats', refs: { reservationId: 'res-1' } },
  ProcessPayment: {
    message: 'Payment processed, TransactionId: TXN-abc123',
    refs: { paymentId: 'pay-xyz789', transactionId: 'TXN-abc123' },
  },
  ConfirmReservation: { message: 'Reservation confirmed' },
  IssueTicket: {
    message: 'Ticket issued: TKT-20250108123456-1234',
    refs: { ticketId: 'ticket-abc123', ticketNumber: 'TKT-20250108123456-1234' },
  },
};

const start = (ctx: TestContext = testContext(START)) =>
  expectOk(
    TicketPurchaseSaga.start(
      {
        sagaId: 'saga-123456',
        customerId: 'customer-123',
        showtimeId: '34306464-2135-4992-89b1-3e25839fbc4f',
        seats: [
          { row: 5, number: 11 },
          { row: 5, number: 10 },
        ],
      },
      ctx,
    ),
  );

/** Runs the given steps successfully, one second apart, as the workflow would. */
function runSteps(saga: TicketPurchaseSaga, ctx: TestContext, steps: readonly SagaStepName[]): void {
  for (const step of steps) {
    ctx.clock.advanceSeconds(1);
    expect(saga.nextStep()).toBe(step);
    expectOk(saga.stepStarted(step));
    expectOk(saga.stepSucceeded(step, SUCCESS[step], ctx));
  }
}

/** Starts `step` and records its failure, as the workflow does when the step's activity fails. */
function failStep(
  saga: TicketPurchaseSaga,
  ctx: TestContext,
  step: SagaStepName,
  failure: StepFailure,
): void {
  expectOk(saga.stepStarted(step));
  expectOk(saga.stepFailed(step, failure, ctx));
}

/** The compensations still to run, in run order. */
const pending = (saga: TicketPurchaseSaga) => {
  const { compensationsPlanned, compensationsCompleted } = saga.toSnapshot();
  return compensationsPlanned.slice(compensationsCompleted.length);
};

/** Runs every pending compensation successfully and returns their names in run order. */
function runCompensations(saga: TicketPurchaseSaga, ctx: TestContext): string[] {
  const ran: string[] = [];
  for (let c = saga.nextCompensation(); c !== null; c = saga.nextCompensation()) {
    ctx.clock.advanceSeconds(1);
    expectOk(saga.compensationSucceeded(c, `${c} done`, ctx));
    ran.push(c);
  }
  return ran;
}

describe('TicketPurchaseSaga: happy path', () => {
  it('runs the four steps in order and completes with the documented status shape', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expect(saga.status).toBe('Started');
    runSteps(saga, ctx, SAGA_STEPS);

    expect(saga.status).toBe('Completed');
    expect(saga.isFinished).toBe(true);
    expect(saga.nextStep()).toBeNull();
    expect(saga.toStatusView()).toEqual({
      sagaId: 'saga-123456',
      status: 'Completed',
      currentStep: 4,
      totalSteps: 4,
      failureReason: null,
      createdAt: '2025-01-08T12:00:00.000Z',
      completedAt: '2025-01-08T12:00:04.000Z',
      ticketId: 'ticket-abc123',
      ticketNumber: 'TKT-20250108123456-1234',
      stepLogs: [
        {
          stepName: 'ReserveSeats',
          success: true,
          message: 'Reserved 2 seats',
          timestamp: '2025-01-08T12:00:01.000Z',
        },
        {
          stepName: 'ProcessPayment',
          success: true,
          message: 'Payment processed, TransactionId: TXN-abc123',
          timestamp: '2025-01-08T12:00:02.000Z',
        },
        {
          stepName: 'ConfirmReservation',
          success: true,
          message: 'Reservation confirmed',
          timestamp: '2025-01-08T12:00:03.000Z',
        },
        {
          stepName: 'IssueTicket',
          success: true,
          message: 'Ticket issued: TKT-20250108123456-1234',
          timestamp: '2025-01-08T12:00:04.000Z',
        },
      ],
    });
    expect(saga.toSnapshot()).toMatchObject({
      reservationId: 'res-1',
      paymentId: 'pay-xyz789',
      transactionId: 'TXN-abc123',
      ticketId: 'ticket-abc123',
      ticketNumber: 'TKT-20250108123456-1234',
    });
    expect(sagaFailureMessage(saga.toSnapshot())).toBeNull();
  });

  it('raises SagaStarted, a StepCompleted per step and SagaCompleted, versioned 1..6', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, SAGA_STEPS);
    const events = saga.pullEvents();
    expect(events.map((e) => [e.eventType, e.aggregateVersion])).toEqual([
      ['SagaStarted', 1],
      ['StepCompleted', 2],
      ['StepCompleted', 3],
      ['StepCompleted', 4],
      ['StepCompleted', 5],
      ['SagaCompleted', 6],
    ]);
    expect(
      events.every((e) => e.aggregateType === 'TicketPurchaseSaga' && e.aggregateId === 'saga-123456'),
    ).toBe(true);
    expect(events[5]?.payload).toEqual({
      sagaId: 'saga-123456',
      customerId: 'customer-123',
      showtimeId: '34306464-2135-4992-89b1-3e25839fbc4f',
      reservationId: 'res-1',
      paymentId: 'pay-xyz789',
      ticketId: 'ticket-abc123',
      ticketNumber: 'TKT-20250108123456-1234',
      completedAt: '2025-01-08T12:00:04.000Z',
    });
    expect(new Set(events.map((e) => e.eventId)).size).toBe(6);
  });

  it('tracks currentStep as steps start', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expect(saga.toSnapshot().currentStep).toBe(0);
    expectOk(saga.stepStarted('ReserveSeats'));
    expect(saga.toSnapshot()).toMatchObject({
      currentStep: 1,
      status: 'InProgress',
      inFlightStep: 'ReserveSeats',
    });
    expectOk(saga.stepSucceeded('ReserveSeats', SUCCESS.ReserveSeats, ctx));
    expect(saga.toSnapshot()).toMatchObject({ currentStep: 1, inFlightStep: null });
    expect(saga.nextStep()).toBe('ProcessPayment');
  });

  it('is deterministic: the same inputs give the same snapshot and events', () => {
    const drive = () => {
      const ctx = testContext(START);
      const saga = start(ctx);
      runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment']);
      failStep(saga, ctx, 'ConfirmReservation', { reason: 'boom', possiblyApplied: true });
      runCompensations(saga, ctx);
      return { snapshot: saga.toSnapshot(), events: saga.pullEvents() };
    };
    expect(drive()).toEqual(drive());
  });
});

describe('TicketPurchaseSaga: rebuilt from its snapshot', () => {
  it('goes on as the saga it was taken from: same state, the next events versioned after it, none pending', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment', 'ConfirmReservation']);
    expectOk(saga.stepStarted('IssueTicket'));
    saga.pullEvents();

    const rebuilt = TicketPurchaseSaga.fromSnapshot(saga.toSnapshot());
    expect(rebuilt.toSnapshot()).toEqual(saga.toSnapshot());
    expect(rebuilt.pendingEvents).toEqual([]);

    for (const copy of [saga, rebuilt]) expectOk(copy.stepSucceeded('IssueTicket', SUCCESS.IssueTicket, ctx));
    expect(rebuilt.toSnapshot()).toEqual(saga.toSnapshot());
    expect(rebuilt.status).toBe(SagaState.Completed);
    const shape = (copy: TicketPurchaseSaga) =>
      copy
        .pullEvents()
        .map(({ eventType, aggregateVersion, payload }) => ({ eventType, aggregateVersion, payload }));
    const events = shape(rebuilt);
    expect(events.map((e) => [e.eventType, e.aggregateVersion])).toEqual([
      ['StepCompleted', 5],
      ['SagaCompleted', 6],
    ]);
    expect(events).toEqual(shape(saga));
  });

  it('records IssueTicket issued on a snapshot: the saga Completed, and the events it raised', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment', 'ConfirmReservation']);
    expectOk(saga.stepStarted('IssueTicket'));
    const { ticketId, ticketNumber } = SUCCESS.IssueTicket.refs!;
    const issued = { ticketId: ticketId!, ticketNumber: ticketNumber!, message: SUCCESS.IssueTicket.message };

    const { saga: after, events } = expectOk(ticketIssued(saga.toSnapshot(), issued, ctx));

    expect(after).toMatchObject({ status: SagaState.Completed, inFlightStep: null, ticketId, ticketNumber });
    expect(events.map((e) => [e.eventType, e.aggregateVersion])).toEqual([
      ['StepCompleted', 5],
      ['SagaCompleted', 6],
    ]);
    expectErr(ticketIssued(after, issued, ctx), 'IllegalSagaTransition');
  });

  it('shares no state with the snapshot it came from', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    const snapshot = saga.toSnapshot();
    const rebuilt = TicketPurchaseSaga.fromSnapshot(snapshot);
    expectOk(rebuilt.stepStarted('ReserveSeats'));
    expect(snapshot.inFlightStep).toBeNull();
    expect(saga.toSnapshot().inFlightStep).toBeNull();
  });
});

describe('TicketPurchaseSaga: failure at each step', () => {
  // Failure at step N with the step known not to have applied: compensate steps 1..N-1 in reverse.
  const cases: [SagaStepName, string[]][] = [
    ['ReserveSeats', []],
    ['ProcessPayment', ['ReleaseSeats']],
    ['ConfirmReservation', ['RefundPayment', 'ReleaseSeats']],
    ['IssueTicket', ['CancelReservation', 'RefundPayment', 'ReleaseSeats']],
  ];

  it.each(cases)('a business failure at %s compensates %p in that order', (failing, expected) => {
    const ctx = testContext(START);
    const saga = start(ctx);
    const before = SAGA_STEPS.slice(0, SAGA_STEPS.indexOf(failing));
    runSteps(saga, ctx, before);
    ctx.clock.advanceSeconds(1);
    failStep(saga, ctx, failing, { reason: 'Payment declined - insufficient funds', possiblyApplied: false });

    expect(pending(saga)).toEqual(expected);
    expect(saga.status).toBe(expected.length === 0 ? 'Compensated' : 'Compensating');
    expect(runCompensations(saga, ctx)).toEqual(expected);

    const view = saga.toStatusView();
    expect(view.status).toBe('Compensated');
    expect(view.currentStep).toBe(SAGA_STEPS.indexOf(failing) + 1);
    expect(view.failureReason).toBe('Payment declined - insufficient funds');
    expect(view.completedAt).not.toBeNull();
    expect(view.ticketId).toBeNull(); // IssueTicket failed or never ran
    expect(view.stepLogs.map((l) => [l.stepName, l.success])).toEqual([
      ...before.map((s) => [s, true]),
      [failing, false],
      ...expected.map((c) => [c, true]),
    ]);
    expect(sagaFailureMessage(saga.toSnapshot())).toBe('Compensated: Payment declined - insufficient funds');

    const events = saga.pullEvents().map((e) => e.eventType);
    expect(events).toEqual([
      'SagaStarted',
      ...before.map(() => 'StepCompleted'),
      'StepFailed',
      ...expected.map(() => 'CompensationCompleted'),
      'SagaCompensated',
    ]);
  });

  it.each(SAGA_STEPS.map((s) => [s] as const))(
    'a failure at %s that may have applied also runs its own compensation first',
    (failing) => {
      const ctx = testContext(START);
      const saga = start(ctx);
      const upTo = SAGA_STEPS.slice(0, SAGA_STEPS.indexOf(failing) + 1);
      runSteps(saga, ctx, upTo.slice(0, -1));
      failStep(saga, ctx, failing, { reason: 'Activity timed out', possiblyApplied: true });
      const expected = [...upTo].reverse().map((s) => COMPENSATION_OF[s]);
      expect(pending(saga)).toEqual(expected);
      expect(runCompensations(saga, ctx)).toEqual(expected);
      expect(saga.status).toBe('Compensated');
    },
  );

  it('reports the compensations in the SagaCompensated payload', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats']);
    failStep(saga, ctx, 'ProcessPayment', { reason: 'Card declined', possiblyApplied: false });
    runCompensations(saga, ctx);
    const last = saga.pullEvents().at(-1);
    expect(last).toMatchObject({
      eventType: 'SagaCompensated',
      payload: { reason: 'Card declined', failedStep: 'ProcessPayment', compensations: ['ReleaseSeats'] },
    });
  });
});

describe('TicketPurchaseSaga: abort (customer cancel, hold expiry)', () => {
  it('compensates the step in flight as possibly applied', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats']);
    expectOk(saga.stepStarted('ProcessPayment'));
    expectOk(saga.abort('Seat hold expired', ctx));
    expect(pending(saga)).toEqual(['RefundPayment', 'ReleaseSeats']);
    expect(saga.toSnapshot()).toMatchObject({
      failedStep: 'ProcessPayment',
      failureReason: 'Seat hold expired',
    });
  });

  it('is refused with no step running (the workflow stops a purchase by cancelling its step)', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expectErr(saga.abort('Cancelled by customer', ctx), 'IllegalSagaTransition');
    runSteps(saga, ctx, ['ReserveSeats']);
    expectErr(saga.abort('Cancelled by customer', ctx), 'IllegalSagaTransition');
    expect(saga.toSnapshot()).toMatchObject({ status: 'InProgress', failedStep: null });
  });

  it('is refused once the saga is compensating or finished', () => {
    const ctx = testContext(START);
    const compensating = start(ctx);
    runSteps(compensating, ctx, ['ReserveSeats']);
    expectOk(compensating.stepStarted('ProcessPayment'));
    expectOk(compensating.abort('first', ctx));
    expectErr(compensating.abort('second', ctx), 'IllegalSagaTransition');

    const completed = start(ctx);
    runSteps(completed, ctx, SAGA_STEPS);
    expectErr(completed.abort('too late', ctx), 'IllegalSagaTransition');
  });
});

describe('TicketPurchaseSaga: illegal transitions', () => {
  it('refuses an outcome for a step that was not started', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expectErr(saga.stepSucceeded('ReserveSeats', SUCCESS.ReserveSeats, ctx), 'IllegalSagaTransition');
    expectErr(
      saga.stepFailed('ReserveSeats', { reason: 'x', possiblyApplied: false }, ctx),
      'IllegalSagaTransition',
    );
    expect(saga.toSnapshot()).toMatchObject({ status: 'Started', currentStep: 0, stepLogs: [] });
  });

  it('refuses steps out of order', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expectErr(saga.stepStarted('ProcessPayment'), 'IllegalSagaTransition');
    expectErr(saga.stepSucceeded('IssueTicket', SUCCESS.IssueTicket, ctx), 'IllegalSagaTransition');
    expectErr(
      saga.stepFailed('ConfirmReservation', { reason: 'x', possiblyApplied: false }, ctx),
      'IllegalSagaTransition',
    );
    expect(saga.toSnapshot()).toMatchObject({ status: 'Started', currentStep: 0, stepLogs: [] });
  });

  it('refuses a step twice, and a step while another is in flight', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats']);
    expectErr(saga.stepSucceeded('ReserveSeats', SUCCESS.ReserveSeats, ctx), 'IllegalSagaTransition');
    expectOk(saga.stepStarted('ProcessPayment'));
    expectErr(saga.stepStarted('ProcessPayment'), 'IllegalSagaTransition');
    expectErr(
      saga.stepSucceeded('ConfirmReservation', SUCCESS.ConfirmReservation, ctx),
      'IllegalSagaTransition',
    );
  });

  it('refuses success without the ids the step must produce, changing nothing', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expectOk(saga.stepStarted('ReserveSeats'));
    const before = saga.toSnapshot();
    expectErr(saga.stepSucceeded('ReserveSeats', { message: 'Reserved' }, ctx), 'MissingStepResult');
    expect(saga.toSnapshot()).toEqual(before);
    expectOk(saga.stepSucceeded('ReserveSeats', SUCCESS.ReserveSeats, ctx));
    runSteps(saga, ctx, ['ProcessPayment', 'ConfirmReservation']);
    expectOk(saga.stepStarted('IssueTicket'));
    expectErr(
      saga.stepSucceeded('IssueTicket', { message: 'Issued', refs: { ticketId: 't1' } }, ctx),
      'MissingStepResult',
    );
  });

  it('refuses forward steps while compensating and after the end', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats']);
    failStep(saga, ctx, 'ProcessPayment', { reason: 'declined', possiblyApplied: false });
    expect(saga.nextStep()).toBeNull();
    expectErr(saga.stepStarted('ProcessPayment'), 'IllegalSagaTransition');
    expectErr(saga.stepSucceeded('ProcessPayment', SUCCESS.ProcessPayment, ctx), 'IllegalSagaTransition');

    const done = start(ctx);
    runSteps(done, ctx, SAGA_STEPS);
    expectErr(done.stepStarted('ReserveSeats'), 'IllegalSagaTransition');
    expectErr(
      done.stepFailed('IssueTicket', { reason: 'x', possiblyApplied: true }, ctx),
      'IllegalSagaTransition',
    );
  });

  it('refuses compensations out of order or when not compensating', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    expectErr(saga.compensationSucceeded('ReleaseSeats', 'x', ctx), 'IllegalSagaTransition');
    runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment']);
    failStep(saga, ctx, 'ConfirmReservation', { reason: 'x', possiblyApplied: false });
    expectErr(saga.compensationSucceeded('ReleaseSeats', 'x', ctx), 'IllegalSagaTransition');
    expectErr(saga.compensationSucceeded('VoidTicket', 'x', ctx), 'IllegalSagaTransition');
    expectOk(saga.compensationSucceeded('RefundPayment', 'Refunded', ctx));
    expectOk(saga.compensationSucceeded('ReleaseSeats', 'Released', ctx));
    expectErr(saga.compensationSucceeded('ReleaseSeats', 'again', ctx), 'IllegalSagaTransition');
  });

  it('refuses to abandon a saga whose compensations are not stuck', () => {
    const ctx = testContext(START);
    expectErr(start(ctx).abandon('x', ctx), 'IllegalSagaTransition');
    const compensating = start(ctx);
    runSteps(compensating, ctx, ['ReserveSeats']);
    failStep(compensating, ctx, 'ProcessPayment', { reason: 'declined', possiblyApplied: false });
    expectErr(compensating.abandon('x', ctx), 'IllegalSagaTransition');
    expect(compensating.status).toBe(SagaState.Compensating);
  });

  it('refuses a start without seats or with bad ids', () => {
    const ctx = testContext(START);
    const base = { sagaId: 's1', customerId: 'c1', showtimeId: 'st1', seats: [{ row: 1, number: 1 }] };
    expectErr(TicketPurchaseSaga.start({ ...base, seats: [] }, ctx), 'NoSeatsRequested');
    expectErr(TicketPurchaseSaga.start({ ...base, seats: [{ row: 0, number: 1 }] }, ctx), 'InvalidSeat');
    expectErr(TicketPurchaseSaga.start({ ...base, sagaId: '' }, ctx), 'InvalidId');
  });
});

describe('TicketPurchaseSaga: failed compensation attempts', () => {
  it('logs a failed attempt, keeps the compensation pending, and can still finish', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment']);
    failStep(saga, ctx, 'ConfirmReservation', { reason: 'x', possiblyApplied: false });
    saga.pullEvents();
    expectOk(saga.compensationFailed('RefundPayment', 'Provider unavailable, retrying', ctx));
    expect(saga.pullEvents()).toEqual([]); // an attempt is not a business fact
    expect(saga.nextCompensation()).toBe('RefundPayment');
    expectErr(saga.compensationFailed('ReleaseSeats', 'x', ctx), 'IllegalSagaTransition');
    expect(runCompensations(saga, ctx)).toEqual(['RefundPayment', 'ReleaseSeats']);
    expect(saga.toSnapshot().stepLogs.map((l) => `${l.stepName}:${l.success}`)).toEqual([
      'ReserveSeats:true',
      'ProcessPayment:true',
      'ConfirmReservation:false',
      'RefundPayment:false',
      'RefundPayment:true',
      'ReleaseSeats:true',
    ]);
  });

  it('turns Failed when a compensation is stuck, then resumes on retry or closes on abandon', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment']);
    failStep(saga, ctx, 'ConfirmReservation', { reason: 'expired', possiblyApplied: false });
    saga.pullEvents();

    expectOk(saga.compensationStuck('RefundPayment', 'provider rejected', ctx));
    expect(saga.status).toBe(SagaState.Failed);
    expect(saga.awaitsOperator).toBe(true);
    expect(saga.pullEvents()[0]).toMatchObject({
      eventType: 'SagaFailed',
      payload: { pendingCompensations: ['RefundPayment', 'ReleaseSeats'] },
    });
    expectOk(saga.resumeCompensation());
    expect(saga.nextCompensation()).toBe('RefundPayment');
    expectOk(saga.compensationStuck('RefundPayment', 'still rejected', ctx));
    expectOk(saga.abandon('refunded by hand', ctx));
    expect(saga.awaitsOperator).toBe(false);
    expect(saga.toSnapshot()).toMatchObject({ status: 'Failed', abandonReason: 'refunded by hand' });
    expectErr(saga.resumeCompensation(), 'IllegalSagaTransition');
  });
});

describe('TicketPurchaseSaga: snapshot', () => {
  it('is plain JSON, mid-compensation too', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    runSteps(saga, ctx, ['ReserveSeats', 'ProcessPayment', 'ConfirmReservation']);
    failStep(saga, ctx, 'IssueTicket', { reason: 'Ticket service down', possiblyApplied: true });
    expectOk(saga.compensationSucceeded('VoidTicket', 'Nothing to void', ctx));

    const snapshot = saga.toSnapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.version).toBe(6); // started, 3 steps, failed, 1 compensation
    expect(pending(saga)).toEqual(['CancelReservation', 'RefundPayment', 'ReleaseSeats']);
  });

  it('hands out copies: mutating a snapshot does not touch the saga', () => {
    const ctx = testContext(START);
    const saga = start(ctx);
    const snapshot = saga.toSnapshot() as unknown as { stepLogs: unknown[] };
    snapshot.stepLogs.push({ stepName: 'ReserveSeats', success: true, message: 'forged', timestamp: START });
    expect(saga.toSnapshot().stepLogs).toEqual([]);
  });
});

describe('the saga table (saga-steps.ts)', () => {
  it('names one compensation per step, and each compensation undoes its own step', () => {
    expect(new Set(COMPENSATIONS).size).toBe(SAGA_STEPS.length);
    expect(SAGA_STEPS.map((step) => STEP_UNDONE_BY[COMPENSATION_OF[step]])).toEqual(SAGA_STEPS);
  });
});

describe('a purchase refused before its first step', () => {
  it('shows Compensated with no step run, out of the same step count as any purchase', () => {
    const view = refusedPurchaseStatus('saga-1', 'holdSeconds must be a positive number', new Date(START));
    const ctx = testContext(START);
    expect(view).toEqual({
      sagaId: 'saga-1',
      status: 'Compensated',
      currentStep: 0,
      totalSteps: start(ctx).toStatusView().totalSteps,
      failureReason: 'holdSeconds must be a positive number',
      createdAt: '2025-01-08T12:00:00.000Z',
      completedAt: '2025-01-08T12:00:00.000Z',
      ticketId: null,
      ticketNumber: null,
      stepLogs: [],
    });
    expect(sagaFailureMessage(view)).toBe('Compensated: holdSeconds must be a positive number');
  });
});
