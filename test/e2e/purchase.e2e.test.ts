/**
 * The stack end to end through the gateway, as real processes: purchase, its status (Temporal via
 * an API node), the ticket by id and by number (the read model, once the outbox relay and the read
 * service have caught up), validate, use twice; then one API node stopped in the middle of a
 * stream of purchases, none of which may be lost.
 */
import { randomUUID } from 'node:crypto';
import { bearer } from '../support/auth';
import { eventually, startStack, type Stack } from './stack';

/** The buyer's token by default; the door scanner's for validate and use. */
const CUSTOMER = bearer('customer-e2e', 'customer');
const STAFF = { Authorization: bearer('door-e2e', 'staff') };

let stack: Stack;

beforeAll(async () => {
  stack = await startStack('purchase');
  await eventually(async () => {
    const res = await fetch(`${stack.gateway}/health`);
    return res.status === 200 ? true : undefined;
  }, 500);
});

afterAll(async () => {
  await stack?.shutdown();
});

interface Json {
  [k: string]: unknown;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gateway}${path}`, {
    method,
    headers: {
      Authorization: CUSTOMER,
      ...(body === undefined ? headers : { 'content-type': 'application/json', ...headers }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json, requestId: res.headers.get('x-request-id') };
}

let showtimeId: string;

async function purchase(row: number, number: number) {
  const res = await call(
    'POST',
    '/api/ticketpurchase',
    {
      showtimeId,
      customerId: 'customer-e2e',
      seats: [{ row, number }],
      paymentMethod: 'CreditCard',
      cardNumber: '4111111111111111',
      cardHolderName: 'E2E Buyer',
    },
    { 'Idempotency-Key': `e2e-${randomUUID()}` },
  );
  if (res.status !== 200 && res.status !== 202)
    throw new Error(`purchase ${res.status} ${JSON.stringify(res.body)}`);
  const sagaId = String(res.body.sagaId);
  // 202: still running; the status (from Temporal) gives the ticket once the saga completes.
  const status = await eventually(async () => {
    const s = await call('GET', `/api/ticketpurchase/${sagaId}/status`);
    return s.status === 200 && s.body.status === 'Completed' ? s.body : undefined;
  });
  return { response: res, sagaId, status };
}

describe('purchase through the gateway', () => {
  beforeAll(async () => {
    const list = await eventually(async () => {
      const res = await call('GET', '/api/showtimes');
      const rows = res.body as unknown as { id: string; startsAt: string }[];
      return res.status === 200 && rows.length > 0 ? rows : undefined;
    });
    showtimeId = list.find((s) => Date.parse(s.startsAt) > Date.now())!.id;
  });

  it('buys, reads the ticket from the read model, validates and uses it once', async () => {
    const { response, status } = await purchase(1, 1);
    expect(response.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(status).toMatchObject({ status: 'Completed', ticketId: expect.any(String) });
    const ticketId = String(status.ticketId);
    const ticketNumber = String(status.ticketNumber);

    const byId = await eventually(async () => {
      const r = await call('GET', `/api/tickets/${ticketId}`);
      return r.status === 200 ? r.body : undefined;
    });
    expect(byId).toMatchObject({
      id: ticketId,
      ticketNumber,
      showtimeId,
      customerId: 'customer-e2e',
      seats: [{ row: 1, number: 1 }],
      status: 'Issued',
      totalPrice: expect.any(Number),
    });
    const byNumber = await call('GET', `/api/tickets/by-number/${ticketNumber}`);
    expect(byNumber).toMatchObject({ status: 200, body: { id: ticketId } });

    expect(await call('POST', `/api/tickets/${ticketId}/validate`, undefined, STAFF)).toMatchObject({
      status: 200,
      body: { valid: true, ticketNumber },
    });
    expect(await call('POST', `/api/tickets/${ticketId}/use`, undefined, STAFF)).toMatchObject({
      status: 200,
      body: { id: ticketId, status: 'Used' },
    });
    expect((await call('POST', `/api/tickets/${ticketId}/use`, undefined, STAFF)).status).toBe(409);
    expect((await call('GET', `/api/tickets/${randomUUID()}`)).status).toBe(404);
  });

  it('loses no purchase while one API node is stopped mid-stream', async () => {
    // Three purchases in flight while api2 is stopped (it finishes what it accepted), then more:
    // connections api2 refuses are retried on api1 by the load balancer.
    const inFlight = [1, 2, 3].map((n) => purchase(2, n));
    const afterStop = stack.stop('api2').then(() => Promise.all([4, 5, 6, 7, 8].map((n) => purchase(2, n))));
    const done = [...(await Promise.all(inFlight)), ...(await afterStop)];
    expect(done.map((d) => d.status.status)).toEqual(Array(8).fill('Completed'));
    expect(new Set(done.map((d) => d.status.ticketId)).size).toBe(8);
    const health = await call('GET', '/health');
    const healthy = {
      database: 'Healthy',
      kafka: 'Healthy',
      redis: 'Healthy',
      mongo: 'Healthy',
      temporal: 'Healthy',
    };
    expect(health).toMatchObject({ status: 200, body: { status: 'Healthy', checks: healthy } });
  });
});
