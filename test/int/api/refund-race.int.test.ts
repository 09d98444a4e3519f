/**
 * A refund racing the door: 50 paid tickets, each refunded (POST /api/payments/:id/refund) and
 * presented at the door (POST /api/tickets/:id/use) at the same moment, the door's request
 * started a little later each round (0..245 ms) so that the rounds cover every interleaving of
 * the two. Never both: a ticket is either used (and its money kept) or refunded (and refused at
 * the door), and the provider's ledger agrees with the payments and tickets tables.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import * as read from '../../../db/row';
import { sql } from '../../../db/sql';
import { CardNumber, expectOk } from '../../../domain';
import { tokenizeCard } from '../../../providers/payment';
import { ticketPurchase } from '../../../workflows';
import type { TicketPurchaseResult } from '../../../workflows/purchase-contract';
import { refundWorkflowId } from '../../../workflows/refund-contract';
import { scheduleShowtime, type ScheduledShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { bearer } from '../../support/auth';

const ROUNDS = 50;

let h: ApiHarness;
let showtime: ScheduledShowtime;

beforeAll(async () => {
  h = await startApiHarness({ name: 'refundrace', sagaWorker: true });
  showtime = await scheduleShowtime(h.uow, h.ctx, { rows: 5, seatsPerRow: 10 });
});

afterAll(async () => {
  await h?.close();
});

async function paidTicket(i: number): Promise<{ paymentId: string; ticketId: string }> {
  const card = tokenizeCard(expectOk(CardNumber.parse('4111111111111111')));
  const sagaId = `purchase-race-${randomUUID()}`;
  const result: TicketPurchaseResult = await h.temporal.workflow.execute(ticketPurchase, {
    taskQueue: h.taskQueue,
    workflowId: sagaId,
    args: [
      {
        sagaId,
        requestId: `req-${randomUUID()}`,
        showtimeId: showtime.showtime.id,
        customerId: `racer-${i}`,
        seats: [{ row: Math.floor(i / 10) + 1, number: (i % 10) + 1 }],
        payment: {
          method: 'CreditCard',
          token: card.token,
          cardBrand: card.brand,
          cardLast4: card.last4,
          cardHolderName: 'John Doe',
        },
        holdSeconds: 600,
      },
    ],
  });
  if (!result.success) throw new Error(`purchase ${i} failed: ${result.error}`);
  return { paymentId: result.paymentId, ticketId: result.ticketId };
}

interface Row {
  paymentStatus: string;
  ticketStatus: string;
  refundedAtProviderMinor: number;
  chargedMinor: number;
}

async function stateOf(paymentId: string): Promise<Row> {
  const { rows } = await h.db.query(sql`
    SELECT p.status AS payment_status, t.status AS ticket_status, p.amount_minor, l.entry
    FROM payments p JOIN tickets t ON t.payment_id = p.id
    LEFT JOIN payment_sim_ledger l ON l.charge_key = p.id
    WHERE p.id = ${paymentId}`);
  const row = rows[0];
  const entry = read.jsonValue(row?.entry, 'entry') as { refunds: Record<string, { amountMinor: number }> };
  return {
    paymentStatus: read.str(row?.payment_status, 'payment_status'),
    ticketStatus: read.str(row?.ticket_status, 'ticket_status'),
    refundedAtProviderMinor: Object.values(entry.refunds).reduce((sum, r) => sum + r.amountMinor, 0),
    chargedMinor: read.int(row?.amount_minor, 'amount_minor'),
  };
}

it(`${ROUNDS} rounds of refund and admission at the same moment: never both, and the ledger agrees`, async () => {
  const tickets: Array<{ paymentId: string; ticketId: string }> = [];
  for (let batch = 0; batch < ROUNDS; batch += 10) {
    const indexes = Array.from({ length: Math.min(10, ROUNDS - batch) }, (_, k) => batch + k);
    tickets.push(...(await Promise.all(indexes.map(paidTicket))));
  }

  const outcomes: string[] = [];
  for (const [round, { paymentId, ticketId }] of tickets.entries()) {
    const [refund, door] = await Promise.all([
      request(h.url)
        .post(`/api/payments/${paymentId}/refund`)
        .set('authorization', bearer('admin-1', 'admin'))
        .send({ reason: 'Customer request' }),
      new Promise((resolve) => setTimeout(resolve, (round % 50) * 5)).then(() =>
        request(h.url)
          .post(`/api/tickets/${ticketId}/use`)
          .set('authorization', bearer('door-1', 'staff'))
          .send(),
      ),
    ]);
    const refundResult = await h.temporal.workflow.getHandle(refundWorkflowId(paymentId)).result();
    const state = await stateOf(paymentId);
    const admitted = door.status === 200;
    const refunded = (refundResult as { success: boolean }).success;
    outcomes.push(admitted ? 'admitted' : 'refunded');

    expect({ round, admitted, refunded }).toEqual({ round, admitted, refunded: !admitted });
    expect({ round, refund: refund.status, door: door.status }).toEqual(
      admitted ? { round, refund: 409, door: 200 } : { round, refund: 200, door: 409 },
    );
    expect({ round, ...state }).toEqual(
      admitted
        ? {
            round,
            paymentStatus: 'Completed',
            ticketStatus: 'Used',
            refundedAtProviderMinor: 0,
            chargedMinor: 1250,
          }
        : {
            round,
            paymentStatus: 'Refunded',
            ticketStatus: 'Refunded',
            refundedAtProviderMinor: 1250,
            chargedMinor: 1250,
          },
    );
  }
  // Both outcomes occurred, so the rounds did race rather than run one after the other.
  expect(new Set(outcomes)).toEqual(new Set(['admitted', 'refunded']));
});
