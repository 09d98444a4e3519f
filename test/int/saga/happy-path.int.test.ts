/**
 * The purchase saga end to end on the real Temporal dev server and PostgreSQL: a purchase that
 * succeeds (rows, outbox, status query, search attributes), a card whose first charge attempts
 * fail transiently (retried to exactly one charge), and a refund of a paid ticket.
 */
import {
  SagaStatus,
  CurrentStep,
  CustomerId,
  ShowtimeId,
  TicketNumberAttribute,
  RequestId,
} from '../../../workflows/search-attributes';
import { statusQuery, type PurchaseSucceeded } from '../../../workflows/purchase-contract';
import { refundWorkflowId } from '../../../workflows/refund-contract';
import { Worker } from '@temporalio/worker';
import { createDataConverter } from '../../../codec/data-converter';
import { loadConfig } from '../../../config';
import { refundTicket } from '../../../workflows';
import { decryptedPayloadTexts } from '../../support/history-payloads';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import {
  CARDS,
  customerState,
  ledgerEntry,
  outboxEventTypes,
  sagaEventVersions,
  seat,
  startSagaHarness,
  type SagaHarness,
} from './harness';

let h: SagaHarness;

beforeAll(async () => {
  h = await startSagaHarness({ name: 'happy' });
});

afterAll(async () => {
  await h?.close();
});

async function paymentOf(customerId: string) {
  const { rows } = await h.db.query(
    sql`SELECT id, status, card_brand, card_last4, provider_token FROM payments WHERE customer_id = ${customerId}`,
  );
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  return {
    id: read.str(row.id, 'id'),
    status: read.str(row.status, 'status'),
    cardBrand: read.strOrNull(row.card_brand, 'card_brand'),
    cardLast4: read.strOrNull(row.card_last4, 'card_last4'),
    providerToken: read.strOrNull(row.provider_token, 'provider_token'),
  };
}

describe('a purchase that succeeds', () => {
  let result: PurchaseSucceeded;
  let sagaId: string;
  let customerId: string;

  beforeAll(async () => {
    const purchase = await h.startPurchase({ card: CARDS.visa, seats: [seat(5, 10), seat(5, 11)] });
    ({ sagaId, customerId } = purchase);
    const outcome = await purchase.handle.result();
    if (!outcome.success) throw new Error(`purchase failed: ${outcome.error}`);
    result = outcome;
  });

  it('returns the ticket with the documented response data', () => {
    expect(result).toMatchObject({
      success: true,
      sagaId,
      movieTitle: 'Inception',
      seats: [seat(5, 10), seat(5, 11)],
      totalAmountMinor: 2500,
      currency: 'USD',
    });
    expect(result.ticketNumber).toMatch(/^TKT-\d{14}-\d{4}$/);
  });

  it('confirms the reservation, completes the payment and issues the ticket', async () => {
    const reservation = await h.db.query(
      sql`SELECT status FROM reservations WHERE id = ${result.reservationId}`,
    );
    const ticket = await h.db.query(
      sql`SELECT status, ticket_number FROM tickets WHERE id = ${result.ticketId}`,
    );
    const payment = await paymentOf(customerId);

    expect(reservation.rows[0]?.status).toBe('Confirmed');
    expect(ticket.rows[0]).toEqual({ status: 'Issued', ticket_number: result.ticketNumber });
    expect(payment).toMatchObject({
      id: result.paymentId,
      status: 'Completed',
      cardBrand: 'Visa',
      cardLast4: '1111',
    });
    expect(payment.providerToken).toMatch(/^tok_sim_ok_/);
    expect(await customerState(h.db, customerId)).toMatchObject({
      liveSeats: 2,
      liveTickets: 1,
      charges: 1,
      moneyKeptMinor: 2500,
    });
  });

  it('writes an outbox row for every business and saga event, saga versions without gaps', async () => {
    const types = await outboxEventTypes(h.db, sagaId);

    expect([...types].sort()).toEqual(
      [
        'ReservationCreated',
        'PaymentCreated',
        'PaymentProcessingStarted',
        'PaymentCompleted',
        'ReservationConfirmed',
        'TicketIssued',
        'SagaStarted',
        'StepCompleted',
        'StepCompleted',
        'StepCompleted',
        'StepCompleted',
        'SagaCompleted',
      ].sort(),
    );
    expect(types[0]).toBe('SagaStarted');
    expect(types.at(-1)).toBe('SagaCompleted');
    expect(await sagaEventVersions(h.db, sagaId)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('commits the closing saga events with the ticket, in the IssueTicket transaction', async () => {
    // xmin: the PostgreSQL transaction that wrote the row (these tests run on PostgreSQL).
    const { rows } = await h.db.query(sql`
      SELECT event_type, aggregate_version, xmin::text AS tx FROM outbox_messages
      WHERE correlation_id = ${sagaId} AND event_type IN ('TicketIssued', 'StepCompleted', 'SagaCompleted')
      ORDER BY sequence`);
    const txOf = (type: string, version?: number) =>
      rows.find(
        (r) => r.event_type === type && (version === undefined || Number(r.aggregate_version) === version),
      )?.tx;
    expect(txOf('TicketIssued')).toEqual(expect.any(String));
    expect(txOf('StepCompleted', 5)).toBe(txOf('TicketIssued'));
    expect(txOf('SagaCompleted')).toBe(txOf('TicketIssued'));
    expect(txOf('StepCompleted', 3)).not.toBe(txOf('TicketIssued')); // ConfirmReservation's
  });

  it('answers the status query with four successful steps, also after it closed', async () => {
    const status = await h.env.client.workflow.getHandle(sagaId).query(statusQuery);

    expect(status).toMatchObject({
      sagaId,
      status: 'Completed',
      currentStep: 4,
      totalSteps: 4,
      failureReason: null,
      ticketId: result.ticketId,
      ticketNumber: result.ticketNumber,
    });
    expect(status.completedAt).not.toBeNull();
    expect(status.stepLogs.map((l) => [l.stepName, l.success])).toEqual([
      ['ReserveSeats', true],
      ['ProcessPayment', true],
      ['ConfirmReservation', true],
      ['IssueTicket', true],
    ]);
    expect(status.stepLogs[1]?.message).toMatch(/^Payment processed, TransactionId: TXN-/);
  });

  it('publishes the search attributes the Web UI filters on', async () => {
    const { typedSearchAttributes: sa } = await h.env.client.workflow.getHandle(sagaId).describe();

    expect(sa.get(SagaStatus)).toBe('Completed');
    expect(sa.get(CurrentStep)).toBe('None');
    expect(sa.get(CustomerId)).toBe(customerId);
    expect(sa.get(ShowtimeId)).toBe(h.showtime.showtime.id);
    expect(sa.get(TicketNumberAttribute)).toBe(result.ticketNumber);
    expect(sa.get(RequestId)).toMatch(/^req-/);
  });

  it('replays its history deterministically, and the history never holds the card number', async () => {
    const history = await h.env.client.workflow.getHandle(sagaId).fetchHistory();

    const dataConverter = createDataConverter(loadConfig());
    await Worker.runReplayHistory(
      { workflowsPath: require.resolve('../../../workflows'), dataConverter },
      history,
      sagaId,
    );
    // Payloads are encrypted in the history: search them decrypted, next to the raw JSON.
    const raw = JSON.stringify(history);
    const searchable = [raw, ...(await decryptedPayloadTexts(raw))].join('\n');
    expect(searchable).toContain('tok_sim_ok_');
    expect(searchable).toContain('"cardLast4":"1111"');
    expect(searchable).not.toContain(CARDS.visa);
  });

  it('refunds the ticket once: money back, ticket Refunded, seats free again', async () => {
    const start = () =>
      h.env.client.workflow.execute(refundTicket, {
        taskQueue: h.taskQueue,
        workflowId: refundWorkflowId(result.paymentId),
        args: [{ paymentId: result.paymentId, reason: 'Customer request', requestId: 'req-refund' }],
      });

    const first = await start();
    const again = await start(); // a repeated request finds the refund already done

    const expected = {
      success: true,
      id: result.paymentId,
      status: 'Refunded',
      refundedAmount: 25,
      refundReason: 'Customer request',
      ticketId: result.ticketId,
    };
    expect(first).toMatchObject(expected);
    expect(again).toMatchObject(expected);
    const ticket = await h.db.query(sql`SELECT status FROM tickets WHERE id = ${result.ticketId}`);
    expect(ticket.rows[0]?.status).toBe('Refunded');
    expect(await customerState(h.db, customerId)).toMatchObject({
      liveSeats: 0,
      liveTickets: 0,
      moneyKeptMinor: 0,
    });
    expect(Object.keys((await ledgerEntry(h.db, result.paymentId))?.refunds ?? {})).toHaveLength(1);
  });

  it('refuses to refund an unknown payment, as a result rather than a failed workflow', async () => {
    const outcome = await h.env.client.workflow.execute(refundTicket, {
      taskQueue: h.taskQueue,
      workflowId: refundWorkflowId('no-such-payment'),
      args: [{ paymentId: 'no-such-payment', reason: 'Customer request', requestId: 'req-x' }],
    });

    expect(outcome).toMatchObject({ success: false, code: 'PaymentNotFound' });
  });
});

describe('a card that fails transiently', () => {
  it('is retried until the charge succeeds, and charged exactly once', async () => {
    const purchase = await h.startPurchase({ card: CARDS.transient, seats: [seat(1, 1)] });

    const result = await purchase.handle.result();

    expect(result.success).toBe(true);
    const payment = await paymentOf(purchase.customerId);
    const ledger = await ledgerEntry(h.db, payment.id);
    // PAYMENT_SIM_TRANSIENT_FAILURES defaults to 2: two provider errors, then the charge.
    expect(ledger).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({
      charges: 1,
      moneyKeptMinor: 1250,
    });
    const status = await purchase.handle.query(statusQuery);
    expect(status.stepLogs.filter((l) => l.stepName === 'ProcessPayment')).toHaveLength(1);
  });
});
