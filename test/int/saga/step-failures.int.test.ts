/**
 * A failure at each of the four steps rolls the purchase back: no seat held, no money kept, no
 * live ticket, and the status lists the compensations of the completed steps in reverse order.
 * Real causes where the domain has them (seat taken, showtime started, card declined); for
 * ConfirmReservation and IssueTicket a wrapper around the real activities refuses the step for
 * sagas tagged for it. The last case kills an activity right after its commit: the retry must
 * return the stored result instead of acting twice.
 */
import { Context } from '@temporalio/activity';
import type { BookingActivities } from '../../../activities';
import { statusQuery, type TicketPurchaseResult } from '../../../workflows/purchase-contract';
import { SagaStatus } from '../../../workflows/search-attributes';
import { sql } from '../../../db/sql';
import * as read from '../../../db/row';
import {
  CARDS,
  customerState,
  outboxEventTypes,
  sagaEventVersions,
  seat,
  startSagaHarness,
  type Purchase,
  type PurchaseOptions,
  type SagaHarness,
} from './harness';
import { refuseStepFor } from './refuse-step';

/** Refuses the step for sagas whose id carries the tag, like a business rule would. */
const refuseFor = <K extends 'confirmReservation' | 'issueTicket'>(
  real: BookingActivities,
  name: K,
  tag: string,
): BookingActivities[K] =>
  refuseStepFor(real, name, tag, { message: `Injected: ${name} refused`, type: 'Injected' });

/** Runs the step, then fails its first attempt as if the worker died before reporting it. */
function crashAfterCommit<K extends 'reserveSeats' | 'confirmReservation' | 'issueTicket'>(
  real: BookingActivities,
  name: K,
  tag: string,
): BookingActivities[K] {
  const activity = real[name] as (input: { workflowId: string }) => Promise<unknown>;
  return (async (input: { workflowId: string }) => {
    const result = await activity(input);
    if (input.workflowId.includes(tag) && Context.current().info.attempt === 1) {
      throw new Error(`Injected: lost the reply of ${name} after its commit`);
    }
    return result;
  }) as BookingActivities[K];
}

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({
    name: 'failures',
    wrapActivities: (real) => ({
      ...real,
      confirmReservation: refuseFor(real, 'confirmReservation', 'fail-confirm'),
      issueTicket: crashAfterCommit(
        { ...real, issueTicket: refuseFor(real, 'issueTicket', 'fail-issue') },
        'issueTicket',
        'crash-after-commit',
      ),
      reserveSeats: crashAfterCommit(real, 'reserveSeats', 'crash-after-commit'),
    }),
  });
});

afterAll(async () => {
  await h?.close();
});

interface Outcome {
  readonly purchase: Purchase;
  readonly result: TicketPurchaseResult;
}

async function buy(options: PurchaseOptions): Promise<Outcome> {
  const purchase = await h.startPurchase(options);
  return { purchase, result: await purchase.handle.result() };
}

async function expectRolledBack({ purchase, result }: Outcome, expectedLog: [string, boolean][]) {
  expect(result.success).toBe(false);
  expect(await customerState(h.db, purchase.customerId)).toMatchObject({
    liveSeats: 0,
    liveTickets: 0,
    moneyKeptMinor: 0,
  });
  const status = await purchase.handle.query(statusQuery);
  expect(status.status).toBe('Compensated');
  expect(status.stepLogs.map((l) => [l.stepName, l.success])).toEqual(expectedLog);
  const { typedSearchAttributes } = await purchase.handle.describe();
  expect(typedSearchAttributes.get(SagaStatus)).toBe('Compensated');
  const events = await outboxEventTypes(h.db, purchase.sagaId);
  expect(events.filter((e) => e === 'SagaCompensated')).toHaveLength(1);
  const versions = await sagaEventVersions(h.db, purchase.sagaId);
  expect(versions).toEqual(versions.map((_, i) => i + 1));
}

describe('failure at ReserveSeats', () => {
  it('a seat already taken: nothing to compensate, nothing held, nothing charged', async () => {
    const first = await buy({ card: CARDS.visa, seats: [seat(2, 1)] });
    expect(first.result.success).toBe(true);

    const second = await buy({ card: CARDS.visa, seats: [seat(2, 1), seat(2, 2)] });

    expect(second.result).toMatchObject({
      success: false,
      code: 'SeatAlreadyTaken',
      error: 'Compensated: row 2 seat 1 is already taken',
    });
    await expectRolledBack(second, [['ReserveSeats', false]]);
    expect(await customerState(h.db, second.purchase.customerId)).toMatchObject({ paymentStatuses: [] });
  });

  it('a showtime that has already started', async () => {
    const started = await h.scheduleShowtime(-1);

    const outcome = await buy({ card: CARDS.visa, seats: [seat(1, 1)], showtimeId: started.showtime.id });

    expect(outcome.result).toMatchObject({ success: false, code: 'ShowtimeInPast' });
    await expectRolledBack(outcome, [['ReserveSeats', false]]);
  });
});

describe('a purchase refused before its first step', () => {
  it('ends without touching anything and still answers the status query', async () => {
    const outcome = await buy({ card: CARDS.visa, seats: [seat(8, 1)], holdSeconds: 0 });

    expect(outcome.result).toMatchObject({ success: false, code: 'InvalidHoldSeconds' });
    expect(await outcome.purchase.handle.query(statusQuery)).toMatchObject({
      status: 'Compensated',
      stepLogs: [],
    });
    expect(await outboxEventTypes(h.db, outcome.purchase.sagaId)).toEqual([]);
  });
});

describe('failure at ProcessPayment', () => {
  it('insufficient funds: the seats are released, the documented message is returned', async () => {
    const outcome = await buy({ card: CARDS.noFunds, seats: [seat(3, 1), seat(3, 2)] });

    expect(outcome.result).toMatchObject({
      success: false,
      code: 'PaymentDeclined',
      error: 'Compensated: Payment declined - insufficient funds',
    });
    await expectRolledBack(outcome, [
      ['ReserveSeats', true],
      ['ProcessPayment', false],
      ['ReleaseSeats', true],
    ]);
    expect(await customerState(h.db, outcome.purchase.customerId)).toMatchObject({
      paymentStatuses: ['Declined'],
      charges: 0,
    });
  });

  it('a declined card', async () => {
    const outcome = await buy({ card: CARDS.declined, seats: [seat(3, 3)] });

    expect(outcome.result).toMatchObject({ success: false, code: 'PaymentDeclined' });
    await expectRolledBack(outcome, [
      ['ReserveSeats', true],
      ['ProcessPayment', false],
      ['ReleaseSeats', true],
    ]);
  });
});

describe('failure at ConfirmReservation', () => {
  it('refunds the payment, then releases the seats', async () => {
    const outcome = await buy({ card: CARDS.visa, seats: [seat(4, 1)], tag: 'fail-confirm' });

    expect(outcome.result).toMatchObject({ success: false, code: 'Injected' });
    await expectRolledBack(outcome, [
      ['ReserveSeats', true],
      ['ProcessPayment', true],
      ['ConfirmReservation', false],
      ['RefundPayment', true],
      ['ReleaseSeats', true],
    ]);
    expect(await customerState(h.db, outcome.purchase.customerId)).toMatchObject({
      paymentStatuses: ['Refunded'],
      charges: 1,
    });
  });
});

describe('failure at IssueTicket', () => {
  it('cancels the reservation, refunds the payment, releases the seats', async () => {
    const outcome = await buy({ card: CARDS.visa2, seats: [seat(5, 1), seat(5, 2)], tag: 'fail-issue' });

    expect(outcome.result).toMatchObject({ success: false, code: 'Injected' });
    await expectRolledBack(outcome, [
      ['ReserveSeats', true],
      ['ProcessPayment', true],
      ['ConfirmReservation', true],
      ['IssueTicket', false],
      ['CancelReservation', true],
      ['RefundPayment', true],
      ['ReleaseSeats', true],
    ]);
    const reservation = await h.db.query(
      sql`SELECT status FROM reservations WHERE customer_id = ${outcome.purchase.customerId}`,
    );
    expect(reservation.rows.map((r) => read.str(r.status, 'status'))).toEqual(['Cancelled']);
  });
});

describe('a step whose reply is lost after it committed', () => {
  it('is retried to its stored result: one reservation, one ticket, one charge', async () => {
    const outcome = await buy({ card: CARDS.visa, seats: [seat(6, 1)], tag: 'crash-after-commit' });

    expect(outcome.result.success).toBe(true);
    const { customerId } = outcome.purchase;
    const counts = await h.db.query(sql`
      SELECT (SELECT count(*) FROM reservations WHERE customer_id = ${customerId}) AS reservations,
             (SELECT count(*) FROM tickets WHERE customer_id = ${customerId}) AS tickets`);
    expect(counts.rows[0]).toEqual({ reservations: '1', tickets: '1' });
    expect(await customerState(h.db, customerId)).toMatchObject({ liveSeats: 1, liveTickets: 1, charges: 1 });
    const events = await outboxEventTypes(h.db, outcome.purchase.sagaId);
    expect(events.filter((e) => e === 'TicketIssued' || e === 'ReservationCreated')).toHaveLength(2);
    // IssueTicket's retry got its stored result, the saga it closed included: its closing events
    // were written once, and the workflow went on with that saga (no second completion).
    expect(events.filter((e) => e === 'SagaCompleted')).toHaveLength(1);
    expect(await sagaEventVersions(h.db, outcome.purchase.sagaId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await outcome.purchase.handle.query(statusQuery)).toEqual(outcome.result.finalStatus);
  });
});
