/**
 * The customer's refund (workflows/refund-ticket.ts) with stub activities in the time-skipping
 * test server. On real services: test/int/saga/refund-safety.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { refundTicket } from '../../workflows';
import { refundWorkflowId, type RefundTicketInput } from '../../workflows/refund-contract';
import { startWorkflowHarness, type WorkflowHarness } from './harness';
import { outageFor, refuse } from './stub-activities';

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness();
});

afterAll(async () => {
  await h?.close();
});

function refund(input: RefundTicketInput) {
  const workflowId = refundWorkflowId(input.paymentId);
  return {
    workflowId,
    result: h.env.client.workflow.execute(refundTicket, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [input],
    }),
  };
}

const request = (): RefundTicketInput => ({
  paymentId: randomUUID(),
  reason: 'Customer request',
  requestId: 'req-refund',
});

it('refunds the payment, then marks the ticket refunded, then gives the seats back', async () => {
  const input = request();
  const { workflowId, result } = refund(input);

  expect(await result).toEqual({
    success: true,
    id: input.paymentId,
    status: 'Refunded',
    refundedAmount: 25,
    refundedAmountMinor: 2500,
    currency: 'EUR',
    refundReason: 'Customer request',
    reservationId: `reservation-of-${input.paymentId}`,
    ticketId: 'ticket-1',
  });
  expect(h.stubs.callsOf(workflowId)).toEqual([
    'refundCompletedPayment',
    'markTicketRefunded',
    'releaseSeats',
  ]);
});

it('a refund refused before any money moves changes nothing else', async () => {
  const input = request();
  const workflowId = refundWorkflowId(input.paymentId);
  h.stubs.on(workflowId, { refundCompletedPayment: refuse('TicketAlreadyUsed', 'the ticket was used') });

  expect(await refund(input).result).toEqual({
    success: false,
    id: input.paymentId,
    error: 'the ticket was used',
    code: 'TicketAlreadyUsed',
  });
  expect(h.stubs.callsOf(workflowId)).toEqual(['refundCompletedPayment']);
});

it('once the money is back, marking the ticket outlasts an outage (minutes of backoff, skipped)', async () => {
  const input = request();
  const workflowId = refundWorkflowId(input.paymentId);
  // 1 + 2 + 4 + ... capped at 1 minute: about 6 minutes of retries.
  h.stubs.on(workflowId, { markTicketRefunded: outageFor(10) });

  expect(await refund(input).result).toMatchObject({ success: true, status: 'Refunded' });
  expect(h.stubs.callsOf(workflowId)).toEqual([
    'refundCompletedPayment',
    ...Array<string>(11).fill('markTicketRefunded'),
    'releaseSeats',
  ]);
});
