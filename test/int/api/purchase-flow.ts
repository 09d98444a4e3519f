/** Request helpers for tests that drive purchases through the HTTP API. */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { SeatRef } from '../../../domain/shared/seat';
import { asAdmin, bearer } from '../../support/auth';

export const CARDS = {
  ok: '4111111111111111',
  ok2: '4242424242424242',
  declined: '4000000000000002',
  noFunds: '4000000000009995',
  transient: '4000000000000119',
} as const;

export interface PurchaseBody {
  showtimeId: string;
  customerId: string;
  seats: SeatRef[];
  paymentMethod: string;
  cardNumber?: string;
  cardHolderName?: string;
}

export const purchaseBody = (
  showtimeId: string,
  seats: SeatRef[],
  overrides: Partial<PurchaseBody> = {},
) => ({
  showtimeId,
  customerId: 'customer-123',
  seats,
  paymentMethod: 'CreditCard',
  cardNumber: CARDS.ok,
  cardHolderName: 'John Doe',
  ...overrides,
});

/** Buys as the body's customer (their own token). */
export function buy(url: string, body: PurchaseBody, key: string = randomUUID()) {
  return request(url)
    .post('/api/ticketpurchase')
    .set('Authorization', bearer(body.customerId, 'customer'))
    .set('Idempotency-Key', key)
    .send(body);
}

const FINAL = new Set(['Completed', 'Compensated', 'Failed']);

/**
 * Polls the status route until the saga has ended (for answers that were 202). Not a timed
 * assertion: it waits as long as the test's own timeout allows.
 */
export async function settledStatus(url: string, sagaId: string): Promise<{ status: string; body: unknown }> {
  for (;;) {
    const res = await asAdmin(url).get(`/api/ticketpurchase/${sagaId}/status`);
    if (res.status === 200 && FINAL.has(res.body.status)) return { status: res.body.status, body: res.body };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
