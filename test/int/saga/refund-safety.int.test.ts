/**
 * Money never moves without a record: every refund (the customer's refundTicket workflow and the
 * saga's RefundPayment compensation) writes its decision to SQL before it asks the provider, and
 * text the database can't store (NUL, an unpaired surrogate) can't wedge a write after money moved.
 * The provider is wrapped to read the payment row at the very moment it is asked to refund.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { BookingActivities } from '../../../activities';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import type { PaymentProvider } from '../../../providers/payment';
import { refundTicket } from '../../../workflows';
import { cancelSignal, statusQuery } from '../../../workflows/purchase-contract';
import { refundWorkflowId } from '../../../workflows/refund-contract';
import { CARDS, customerState, ledgerEntry, seat, startSagaHarness, type SagaHarness } from './harness';
import { refuseStepFor } from './refuse-step';

let h: SagaHarness;
/** Payment status in SQL at the moment the provider was asked to refund, by refund key. */
const statusAtRefund = new Map<string, string | null>();

async function paymentStatus(paymentId: string): Promise<string | null> {
  const { rows } = await h.db.query(sql`SELECT status FROM payments WHERE id = ${paymentId}`);
  return rows[0] ? read.str(rows[0].status, 'status') : null;
}

async function ticketOf(paymentId: string): Promise<{ status: string; refundReason: string | null }> {
  const { rows } = await h.db.query(
    sql`SELECT status, refund_reason FROM tickets WHERE payment_id = ${paymentId}`,
  );
  return {
    status: read.str(rows[0]?.status, 'status'),
    refundReason: read.strOrNull(rows[0]?.refund_reason, 'refund_reason'),
  };
}

beforeAll(async () => {
  h = await startSagaHarness({
    name: 'refundsafe',
    wrapProvider: (real): PaymentProvider => ({
      charge: (...args) => real.charge(...args),
      resolveCharge: (...args) => real.resolveCharge(...args),
      refund: async (key, transactionId, amount, options) => {
        statusAtRefund.set(key, await paymentStatus(key.replace(/^refund-/, '')));
        return real.refund(key, transactionId, amount, options);
      },
    }),
    wrapActivities: (real): BookingActivities => ({
      ...real,
      issueTicket: refuseStepFor(real, 'issueTicket', 'noticket', {
        message: 'ticket printer on fire',
        type: 'TicketPrinterFailed',
      }),
    }),
  });
});

afterAll(async () => {
  await h?.close();
});

async function paidPurchase(
  seats: ReturnType<typeof seat>[],
): Promise<{ paymentId: string; customerId: string }> {
  const purchase = await h.startPurchase({ card: CARDS.visa, seats });
  const result = await purchase.handle.result();
  if (!result.success) throw new Error(`purchase failed: ${result.error}`);
  return { paymentId: result.paymentId, customerId: purchase.customerId };
}

function startRefund(paymentId: string, reason: string): Promise<WorkflowHandle<typeof refundTicket>> {
  return h.env.client.workflow.start(refundTicket, {
    taskQueue: h.taskQueue,
    workflowId: refundWorkflowId(paymentId),
    args: [{ paymentId, reason, requestId: `req-${paymentId}` }],
  });
}

describe("the customer's refund", () => {
  it('is recorded as begun in SQL before the provider moves the money, then completed', async () => {
    const { paymentId, customerId } = await paidPurchase([seat(1, 1)]);

    const result = await (await startRefund(paymentId, 'Customer request')).result();

    expect(result).toMatchObject({ success: true, status: 'Refunded' });
    expect(statusAtRefund.get(`refund-${paymentId}`)).toBe('Refunding');
    expect(await paymentStatus(paymentId)).toBe('Refunded');
    expect(await customerState(h.db, customerId)).toMatchObject({
      moneyKeptMinor: 0,
      liveTickets: 0,
      liveSeats: 0,
    });
  });

  it('with a NUL in its reason: refunded at the provider and recorded everywhere, not stuck half-way', async () => {
    const { paymentId, customerId } = await paidPurchase([seat(1, 2)]);

    const result = await (await startRefund(paymentId, 'x\u0000y')).result();

    expect(result).toMatchObject({ success: true, status: 'Refunded' });
    expect(await paymentStatus(paymentId)).toBe('Refunded');
    expect((await ticketOf(paymentId)).status).toBe('Refunded');
    expect((await ledgerEntry(h.db, paymentId))?.refunds).toEqual({
      [`refund-${paymentId}`]: expect.objectContaining({ amountMinor: 1250 }),
    });
    expect(await customerState(h.db, customerId)).toMatchObject({
      moneyKeptMinor: 0,
      liveTickets: 0,
      liveSeats: 0,
    });
  });
});

describe("the saga's RefundPayment compensation", () => {
  it('records the refund as begun before the provider refunds', async () => {
    const purchase = await h.startPurchase({ card: CARDS.visa, seats: [seat(2, 1)], tag: 'noticket' });

    const result = await purchase.handle.result();

    expect(result).toMatchObject({ success: false, code: 'TicketPrinterFailed' });
    const { rows } = await h.db.query(
      sql`SELECT id FROM payments WHERE customer_id = ${purchase.customerId}`,
    );
    const paymentId = read.str(rows[0]?.id, 'id');
    expect(statusAtRefund.get(`refund-${paymentId}`)).toBe('Refunding');
    expect(await paymentStatus(paymentId)).toBe('Refunded');
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({ moneyKeptMinor: 0, liveSeats: 0 });
  });

  it('with an unpaired surrogate in the cancel reason: compensates and gives the seats back', async () => {
    const purchase = await h.startPurchase({ card: CARDS.hang, seats: [seat(2, 2)] });
    for (;;) {
      const s = await purchase.handle.query(statusQuery);
      if (s.status === 'InProgress' && s.currentStep === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await purchase.handle.signal(cancelSignal, 'oops \ud800 bye');
    const result = await purchase.handle.result();

    expect(result).toMatchObject({ success: false, code: 'Cancelled' });
    expect(await customerState(h.db, purchase.customerId)).toMatchObject({ liveSeats: 0, moneyKeptMinor: 0 });
  }, 60_000);
});
