/**
 * Who may do what, through the gateway of the whole stack (child processes): customer B against
 * customer A's ticket (by id and by number), payment, purchase status, reservation, cancel and
 * refund; a customer admitting a ticket or scheduling a showtime; tokens that must be refused
 * (none, expired, another audience, another key, `alg: none`, a tampered payload). Another
 * customer's resource answers 404 and none of its data. The API nodes (through the load balancer)
 * and the read service (gRPC) refuse the same things on their own, without the gateway.
 */
import { ReadClient, GrpcStatus } from '../../read-service/client';
import {
  algNoneBearer,
  bearer,
  expiredBearer,
  otherKeyBearer,
  tamperedBearer,
  wrongAudienceBearer,
} from '../support/auth';
import { fields, send, type Answer } from './gateway';
import { eventually, startStack, type Stack } from './stack';

const A = 'customer-alice';
const B = 'customer-bob';
const AS_A = bearer(A, 'customer');
const AS_B = bearer(B, 'customer');
const AS_STAFF = bearer('door-1', 'staff');
const AS_ADMIN = bearer('admin-1', 'admin');

let stack: Stack;
/** A's purchase and hold, made in beforeAll; every test asks about them. */
const a = {} as {
  showtimeId: string;
  sagaId: string;
  ticketId: string;
  ticketNumber: string;
  paymentId: string;
  reservationId: string;
  holdId: string;
};

const call = (
  method: 'GET' | 'POST',
  path: string,
  authorization?: string,
  body?: unknown,
  base = stack.gateway,
): Promise<Answer> =>
  send(base, { method, path, body, headers: authorization ? { Authorization: authorization } : {} });

/**
 * The answer says nothing of A's resources: none of A's ids, numbers or name appears in it, except
 * what the caller put in the path (a not-found message may repeat the id asked for).
 */
function expectNothingOfA(answer: Answer, path: string): void {
  const text = JSON.stringify(answer.body);
  const secrets = [A, a.sagaId, a.ticketId, a.ticketNumber, a.paymentId, a.reservationId, a.holdId];
  for (const secret of secrets.filter((x) => !path.includes(x))) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  stack = await startStack('auth', { PURCHASE_RESPONSE_WAIT_MS: '45000' });
  const showtimes = await eventually(async () => {
    const r = await call('GET', '/api/showtimes'); // public
    const list = r.body as { id: string; startsAt: string; capacity: number }[];
    return r.status === 200 && list.length > 0 ? list : undefined;
  }, 500);
  // The big hall (rows 7 to 9 below exist only there), far enough ahead for a customer's refund.
  a.showtimeId = showtimes
    .filter((s) => Date.parse(s.startsAt) > Date.now() + 3 * 3_600_000)
    .sort((x, y) => y.capacity - x.capacity)[0]!.id;

  // A buys (no customerId in the body: the token says who buys).
  const bought = await call('POST', '/api/ticketpurchase', AS_A, {
    showtimeId: a.showtimeId,
    seats: [{ row: 7, number: 7 }],
    paymentMethod: 'CreditCard',
    cardNumber: '4111111111111111',
    cardHolderName: 'Alice',
  });
  expect(bought).toMatchObject({ status: 200, body: { success: true } });
  Object.assign(a, {
    sagaId: fields(bought).sagaId,
    ticketId: fields(bought).ticketId,
    ticketNumber: fields(bought).ticketNumber,
    paymentId: fields(bought).paymentId,
    reservationId: fields(bought).reservationId,
  });
  // A holds one more seat.
  const hold = await call('POST', '/api/reservations', AS_A, {
    showtimeId: a.showtimeId,
    seats: [{ row: 8, number: 1 }],
  });
  expect(hold).toMatchObject({ status: 201, body: { customerId: A } });
  a.holdId = String(fields(hold).id);
  // The read model has A's ticket (A may read it), so B's 404s below are refusals, not lag.
  await eventually(async () => {
    const r = await call('GET', `/api/tickets/${a.ticketId}`, AS_A);
    return r.status === 200 ? true : undefined;
  });
  await eventually(async () => {
    const r = await call('GET', `/api/reservations/${a.holdId}`, AS_A);
    return r.status === 200 ? true : undefined;
  });
});

afterAll(async () => {
  await stack?.shutdown();
});

describe("customer B and customer A's resources", () => {
  it.each([
    ['ticket by id', () => `/api/tickets/${a.ticketId}`],
    ['ticket by number', () => `/api/tickets/by-number/${a.ticketNumber}`],
    ['payment', () => `/api/payments/${a.paymentId}`],
    ['purchase status', () => `/api/ticketpurchase/${a.sagaId}/status`],
    ['purchase reservation', () => `/api/reservations/${a.reservationId}`],
    ['hold', () => `/api/reservations/${a.holdId}`],
    ["A's ticket list", () => `/api/customers/${A}/tickets`],
  ])('B reading the %s gets 404 and none of its data; A and an admin get it', async (_what, path) => {
    const asB = await call('GET', path(), AS_B);
    expect(asB).toMatchObject({ status: 404, body: { success: false } });
    expectNothingOfA(asB, path());
    expect((await call('GET', path(), AS_A)).status).toBe(200);
    expect((await call('GET', path(), AS_ADMIN)).status).toBe(200);
    // Staff admit tickets; they do not browse customers' data.
    expect((await call('GET', path(), AS_STAFF)).status).toBe(403);
  });

  it.each([
    ['cancel the purchase', () => `/api/ticketpurchase/${a.sagaId}/cancel`, {}],
    ['cancel the hold', () => `/api/reservations/${a.holdId}/cancel`, {}],
    ['refund the payment', () => `/api/payments/${a.paymentId}/refund`, { reason: 'not mine' }],
  ])('B trying to %s gets 404 and changes nothing', async (_what, path, body) => {
    const asB = await call('POST', path(), AS_B, body);
    expect(asB).toMatchObject({ status: 404, body: { success: false } });
    expectNothingOfA(asB, path());
    expect(await call('GET', `/api/payments/${a.paymentId}`, AS_A)).toMatchObject({
      status: 200,
      body: { status: 'Completed' },
    });
    const hold = await call('GET', `/api/reservations/${a.holdId}`, AS_A);
    expect(hold.status).toBe(200);
    expect(fields(hold).status).not.toBe('Cancelled');
    const purchase = await call('GET', `/api/ticketpurchase/${a.sagaId}/status`, AS_A);
    expect(purchase).toMatchObject({ status: 200, body: { status: 'Completed' } });
  });

  it("B may not buy or hold in A's name (403), and nothing is held", async () => {
    const purchase = await call('POST', '/api/ticketpurchase', AS_B, {
      showtimeId: a.showtimeId,
      customerId: A,
      seats: [{ row: 9, number: 9 }],
      paymentMethod: 'CreditCard',
      cardNumber: '4111111111111111',
    });
    expect(purchase).toMatchObject({ status: 403, body: { error: 'CustomerMismatch' } });
    const hold = await call('POST', '/api/reservations', AS_B, {
      showtimeId: a.showtimeId,
      customerId: A,
      seats: [{ row: 9, number: 9 }],
    });
    expect(hold).toMatchObject({ status: 403, body: { error: 'CustomerMismatch' } });
    const seats = await call('GET', `/api/showtimes/${a.showtimeId}/seats`);
    const taken = (seats.body as { taken: { row: number; number: number }[] }).taken;
    expect(taken.some((t) => t.row === 9 && t.number === 9)).toBe(false);
  });
});

describe('roles', () => {
  it('a customer may not admit or validate a ticket (403); staff may validate', async () => {
    for (const action of ['use', 'validate']) {
      expect(await call('POST', `/api/tickets/${a.ticketId}/${action}`, AS_A)).toMatchObject({
        status: 403,
        body: { error: 'Forbidden' },
      });
    }
    expect(await call('POST', `/api/tickets/${a.ticketId}/validate`, AS_STAFF)).toMatchObject({
      status: 200,
      body: { valid: true },
    });
  });

  it('a customer or staff may not schedule a showtime (403)', async () => {
    const body = {
      movieId: 'm-1',
      auditoriumId: 'a-1',
      startsAt: new Date(Date.now() + 864e5).toISOString(),
      price: 10,
    };
    for (const who of [AS_A, AS_STAFF]) {
      expect(await call('POST', '/api/showtimes', who, body)).toMatchObject({
        status: 403,
        body: { error: 'Forbidden' },
      });
    }
  });

  it('staff and admin may not buy (403)', async () => {
    for (const who of [AS_STAFF, AS_ADMIN]) {
      const r = await call('POST', '/api/ticketpurchase', who, {
        showtimeId: a.showtimeId,
        seats: [{ row: 9, number: 8 }],
      });
      expect(r.status).toBe(403);
    }
  });
});

describe('tokens that are refused (401)', () => {
  const bad: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    ['an expired token', () => expiredBearer(A, 'customer')],
    ['a token for another audience', () => wrongAudienceBearer(A, 'customer')],
    ['a token signed by another key', () => otherKeyBearer(A, 'admin')],
    ['alg: none', () => algNoneBearer(A, 'admin')],
    ['a tampered payload (customer promoted to admin)', () => tamperedBearer(A, 'admin')],
  ];

  it.each(bad)('%s: 401 on the gateway, for reads and commands', async (_what, token) => {
    for (const [method, path] of [
      ['GET', `/api/tickets/${a.ticketId}`],
      ['GET', `/api/ticketpurchase/${a.sagaId}/status`],
      ['POST', `/api/payments/${a.paymentId}/refund`],
    ] as const) {
      const r = await call(method, path, token(), method === 'POST' ? { reason: 'x' } : undefined);
      expect(r).toMatchObject({ status: 401, body: { success: false, error: 'Unauthenticated' } });
      expectNothingOfA(r, path);
    }
  });

  it.each(bad)('%s: 401 from the API nodes too, without the gateway', async (_what, token) => {
    const lb = `http://${stack.env.LB_ADDRESS}`;
    const r = await call('POST', `/api/payments/${a.paymentId}/refund`, token(), { reason: 'x' }, lb);
    expect(r).toMatchObject({ status: 401, body: { error: 'Unauthenticated' } });
  });

  it('public routes need no token', async () => {
    for (const path of [
      '/api/showtimes',
      `/api/showtimes/${a.showtimeId}`,
      `/api/showtimes/${a.showtimeId}/seats`,
      '/health',
      '/openapi.json',
    ]) {
      expect((await call('GET', path)).status).toBe(200);
    }
    const seats = await call('GET', `/api/showtimes/${a.showtimeId}/seats`);
    for (const seat of (seats.body as { taken: object[] }).taken) {
      expect(Object.keys(seat).sort()).toEqual(['number', 'row', 'state']);
    }
  });
});

describe('the read service on its own', () => {
  const address = () => String(stack.env.READ_SERVICE_ADDRESS);

  it('refuses a caller without the service token', async () => {
    const client = new ReadClient(address()).forCaller(AS_A);
    try {
      await expect(client.getTicket({ ticketId: a.ticketId })).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
      });
    } finally {
      client.close();
    }
  });

  it("answers B's question about A's ticket NOT_FOUND, and A's own", async () => {
    const client = new ReadClient(address(), { serviceToken: stack.env.READ_SERVICE_TOKEN });
    try {
      const refused = client.forCaller(AS_B).getTicket({ ticketId: a.ticketId });
      await expect(refused).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
      await expect(client.forCaller(AS_B).listCustomerTickets({ customerId: A })).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
      await expect(client.getTicket({ ticketId: a.ticketId })).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED, // no caller at all
      });
      await expect(client.forCaller(AS_A).getTicket({ ticketId: a.ticketId })).resolves.toMatchObject({
        customerId: A,
      });
    } finally {
      client.close();
    }
  });
});
