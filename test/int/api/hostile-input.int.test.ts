/**
 * Hostile input on every command of the API, table-driven: malformed JSON, a wrong content type,
 * wrong types, missing and extra fields, 1,000 seats, duplicate seats, zero, negative, fractional
 * and huge rows, numbers and prices, unknown enum values, 10 kB strings, ids that are not UUIDs
 * (or not ids at all), and an Idempotency-Key reused with another body. Each is sent to an API
 * node directly and through the load balancer, is answered 4xx with the API's error JSON, and
 * leaves every SQL row (business tables, outbox, saga steps, payment ledger) as it was.
 *
 * A saga worker runs, so a request that slipped through would act and the comparison would see
 * it; at the end, the task queue holds no workflow but the one real purchase. Kafka, MongoDB and
 * Redis are fed only from the outbox (relay, read service), which the SQL comparison covers here;
 * test/e2e/hostile-gateway.e2e.test.ts reads those stores themselves on the whole stack. The
 * hostile text of every free-text field is in hostile-text.int.test.ts.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createBalancer } from '../../../api/lb/balancer';
import { bearer } from '../../support/auth';
import { saveIssuedTicket, type ScheduledShowtime, scheduleShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { buy, purchaseBody } from './purchase-flow';
import { dumpAllRows } from './sql-inspection';

const ADMIN = bearer('admin-1', 'admin');
const CUSTOMER = bearer('customer-123', 'customer');
const STAFF = bearer('door-1', 'staff');

let h: ApiHarness;
let lb: Server;
let scheduled: ScheduledShowtime;
let paymentId: string;
let ticketId: string;
let targets: Array<{ name: string; url: string }>;

beforeAll(async () => {
  h = await startApiHarness({ name: 'hostile_input', sagaWorker: true, responseWaitMs: 20_000 });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 6, seatsPerRow: 12 });
  const { payment, ticket } = await saveIssuedTicket(h.uow, h.ctx, scheduled, [{ row: 6, number: 12 }]);
  paymentId = payment.id;
  ticketId = ticket.id;
  ({ server: lb } = createBalancer({
    upstreams: [new URL(h.url).host],
    healthIntervalMs: 100,
    logger: pino({ level: 'silent' }),
  }));
  await new Promise<void>((resolve) => lb.listen(0, '127.0.0.1', resolve));
  const lbUrl = `http://127.0.0.1:${(lb.address() as AddressInfo).port}`;
  while ((await request(lbUrl).get('/health')).status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  targets = [
    { name: 'API node', url: h.url },
    { name: 'load balancer', url: lbUrl },
  ];
});

afterAll(async () => {
  lb?.closeAllConnections();
  await new Promise((resolve) => lb?.close(resolve));
  await h?.close();
});

const seat = (row: unknown, number: unknown) => ({ row, number });
const purchase = (overrides: Record<string, unknown> = {}) => ({
  showtimeId: scheduled.showtime.id,
  customerId: 'customer-123',
  seats: [seat(1, 1)],
  paymentMethod: 'CreditCard',
  cardNumber: '4111111111111111',
  cardHolderName: 'John Doe',
  ...overrides,
});
const hold = (overrides: Record<string, unknown> = {}) => ({
  showtimeId: scheduled.showtime.id,
  customerId: 'customer-123',
  seats: [seat(1, 2)],
  ...overrides,
});
const showtime = (overrides: Record<string, unknown> = {}) => ({
  movieId: scheduled.movie.id,
  auditoriumId: scheduled.auditorium.id,
  startsAt: new Date(Date.now() + 500 * 3_600_000).toISOString(),
  price: '12.50',
  currency: 'USD',
  ...overrides,
});
const withoutField = (body: Record<string, unknown>, field: string) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => k !== field));
const manySeats = (n: number) => Array.from({ length: n }, (_, i) => seat(1 + (i % 6), 1 + (i % 12)));

interface Case {
  readonly name: string;
  readonly method?: 'post' | 'get';
  readonly path: () => string;
  readonly auth: string;
  /** An object is sent as JSON; a string is sent raw with `contentType`. */
  readonly body?: () => unknown;
  readonly contentType?: string;
}

const PURCHASE = '/api/ticketpurchase';
const HOLD = '/api/reservations';
const SHOWTIMES = '/api/showtimes';
const refundPath = () => `/api/payments/${paymentId}/refund`;

const seatCases = (
  path: string,
  base: (o?: Record<string, unknown>) => Record<string, unknown>,
  auth: string,
) =>
  [
    ['1,000 seats', manySeats(1000)],
    ['duplicate seats', [seat(2, 2), seat(2, 2)]],
    ['no seats', []],
    ['row 0', [seat(0, 1)]],
    ['negative row', [seat(-1, 1)]],
    ['seat number 0', [seat(1, 0)]],
    ['negative seat number', [seat(1, -5)]],
    ['fractional row', [seat(1.5, 1)]],
    ['huge row', [seat(1e308, 1)]],
    ['row past 2^53', [seat(2 ** 53 + 2, 1)]],
    ['row as a string', [seat('1', 1)]],
    ['seat with an extra field', [{ row: 1, number: 1, price: 0 }]],
    ['seats as a string', 'A1'],
    ['a seat that is no object', [7]],
  ].map(([name, seats]) => ({
    name: `${path}: ${String(name)}`,
    path: () => path,
    auth,
    body: () => base({ seats }),
  }));

const CASES: readonly Case[] = [
  // Purchases
  {
    name: 'purchase: malformed JSON',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => '{"showtimeId": ',
    contentType: 'application/json',
  },
  {
    name: 'purchase: wrong content type',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => JSON.stringify(purchase()),
    contentType: 'text/plain',
  },
  {
    name: 'purchase: form-encoded body',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => 'showtimeId=x&seats=1',
    contentType: 'application/x-www-form-urlencoded',
  },
  { name: 'purchase: empty object', path: () => PURCHASE, auth: CUSTOMER, body: () => ({}) },
  { name: 'purchase: JSON array', path: () => PURCHASE, auth: CUSTOMER, body: () => [purchase()] },
  {
    name: 'purchase: JSON null',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => 'null',
    contentType: 'application/json',
  },
  {
    name: 'purchase: missing seats',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => withoutField(purchase(), 'seats'),
  },
  {
    name: 'purchase: missing showtimeId',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => withoutField(purchase(), 'showtimeId'),
  },
  {
    name: 'purchase: missing paymentMethod',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => withoutField(purchase(), 'paymentMethod'),
  },
  {
    name: 'purchase: card method without a card number',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => withoutField(purchase(), 'cardNumber'),
  },
  {
    name: 'purchase: extra field',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ totalPrice: 0 }),
  },
  {
    name: 'purchase: showtimeId as a number',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ showtimeId: 123 }),
  },
  {
    name: 'purchase: showtimeId as an object',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ showtimeId: { $ne: null } }),
  },
  {
    name: 'purchase: cardNumber as a number',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ cardNumber: 4111111111111111 }),
  },
  {
    name: 'purchase: unknown payment method',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ paymentMethod: 'Bitcoin' }),
  },
  {
    name: 'purchase: payment method in other case',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ paymentMethod: 'creditcard' }),
  },
  {
    name: 'purchase: invalid card number',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ cardNumber: '4111111111111112' }),
  },
  {
    name: 'purchase: 10 kB card holder name',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ cardHolderName: 'a'.repeat(10_240) }),
  },
  {
    name: 'purchase: showtime id that is no UUID (unknown)',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ showtimeId: 'not-a-uuid' }),
  },
  {
    name: 'purchase: showtime id with SQL in it',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase({ showtimeId: "x' OR '1'='1" }),
  },
  ...seatCases(PURCHASE, purchase, CUSTOMER),
  {
    name: 'purchase: Idempotency-Key that is no token',
    path: () => PURCHASE,
    auth: CUSTOMER,
    body: () => purchase(),
  },
  // Plain holds
  {
    name: 'hold: malformed JSON',
    path: () => HOLD,
    auth: CUSTOMER,
    body: () => '{"seats": [',
    contentType: 'application/json',
  },
  {
    name: 'hold: wrong content type',
    path: () => HOLD,
    auth: CUSTOMER,
    body: () => JSON.stringify(hold()),
    contentType: 'text/plain',
  },
  {
    name: 'hold: missing showtimeId',
    path: () => HOLD,
    auth: CUSTOMER,
    body: () => withoutField(hold(), 'showtimeId'),
  },
  { name: 'hold: extra field', path: () => HOLD, auth: CUSTOMER, body: () => hold({ status: 'Confirmed' }) },
  {
    name: 'hold: showtime id that is no UUID (unknown)',
    path: () => HOLD,
    auth: CUSTOMER,
    body: () => hold({ showtimeId: 'not-a-uuid' }),
  },
  ...seatCases(HOLD, hold, CUSTOMER),
  // Scheduling
  {
    name: 'showtime: malformed JSON',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => '{',
    contentType: 'application/json',
  },
  {
    name: 'showtime: missing startsAt',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => withoutField(showtime(), 'startsAt'),
  },
  {
    name: 'showtime: extra field',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ id: 'chosen-by-me' }),
  },
  {
    name: 'showtime: negative price',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ price: -1 }),
  },
  { name: 'showtime: huge price', path: () => SHOWTIMES, auth: ADMIN, body: () => showtime({ price: 1e20 }) },
  {
    name: 'showtime: price past 2^53 cents',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ price: '99999999999999999999.99' }),
  },
  {
    name: 'showtime: price with three decimals',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ price: '12.345' }),
  },
  {
    name: 'showtime: price that is no number',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ price: 'twelve' }),
  },
  {
    name: 'showtime: price as an object',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ price: { amount: 12 } }),
  },
  {
    name: 'showtime: startsAt that is no instant',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ startsAt: 'tomorrow evening' }),
  },
  {
    name: 'showtime: startsAt as a number',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ startsAt: Date.now() + 1e9 }),
  },
  {
    name: 'showtime: startsAt in year 275760+',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ startsAt: '+275761-01-01T00:00:00Z' }),
  },
  {
    name: 'showtime: unknown currency shape',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ currency: 'EURO' }),
  },
  {
    name: 'showtime: movie id that is no UUID (unknown)',
    path: () => SHOWTIMES,
    auth: ADMIN,
    body: () => showtime({ movieId: 'not-a-uuid' }),
  },
  // Refunds and cancels
  { name: 'refund: missing reason', path: refundPath, auth: ADMIN, body: () => ({}) },
  { name: 'refund: reason as a number', path: refundPath, auth: ADMIN, body: () => ({ reason: 5 }) },
  { name: 'refund: empty reason', path: refundPath, auth: ADMIN, body: () => ({ reason: '   ' }) },
  {
    name: 'refund: extra field',
    path: refundPath,
    auth: ADMIN,
    body: () => ({ reason: 'ok', amount: 1_000_000 }),
  },
  {
    name: 'refund: malformed JSON',
    path: refundPath,
    auth: ADMIN,
    body: () => '{"reason"',
    contentType: 'application/json',
  },
  {
    name: 'refund: payment id that is no UUID (unknown)',
    path: () => '/api/payments/not-a-uuid/refund',
    auth: ADMIN,
    body: () => ({ reason: 'ok' }),
  },
  {
    name: 'refund: payment id that is no id',
    path: () => '/api/payments/..%2F..%2Fetc/refund',
    auth: ADMIN,
    body: () => ({ reason: 'ok' }),
  },
  {
    name: 'purchase cancel: saga id that is no saga id',
    path: () => '/api/ticketpurchase/not-a-saga/cancel',
    auth: ADMIN,
    body: () => ({}),
  },
  {
    name: 'purchase cancel: reason as an array',
    path: () => '/api/ticketpurchase/purchase-unknown-1/cancel',
    auth: ADMIN,
    body: () => ({ reason: ['x'] }),
  },
  {
    name: 'purchase cancel: unknown saga',
    path: () => '/api/ticketpurchase/purchase-unknown-1/cancel',
    auth: ADMIN,
    body: () => ({}),
  },
  {
    name: 'hold cancel: extra field',
    path: () => '/api/reservations/not-a-uuid/cancel',
    auth: ADMIN,
    body: () => ({ reason: 'x', force: true }),
  },
  {
    name: 'hold cancel: reservation id that is no UUID (unknown)',
    path: () => '/api/reservations/not-a-uuid/cancel',
    auth: ADMIN,
    body: () => ({}),
  },
  // The door
  {
    name: 'validate: ticket id that is no UUID (unknown)',
    path: () => '/api/tickets/not-a-uuid/validate',
    auth: STAFF,
  },
  {
    name: 'use: ticket id that is no UUID (unknown)',
    path: () => '/api/tickets/not-a-uuid/use',
    auth: STAFF,
  },
  { name: 'use: ticket id that is no id', path: () => `/api/tickets/${'x'.repeat(101)}/use`, auth: STAFF },
  // Reads: a purchase's status is the only one an API node answers (the others are the gateway's)
  {
    name: 'GET purchase status: saga id that is no saga id',
    method: 'get',
    path: () => '/api/ticketpurchase/x/status',
    auth: ADMIN,
  },
];

const rows = CASES.flatMap((c) => ['API node', 'load balancer'].map((target) => ({ ...c, target })));

it.each(rows)('$target · $name: 4xx JSON, nothing changed', async (c) => {
  const url = targets.find((t) => t.name === c.target)!.url;
  const before = await dumpAllRows(h.db);

  let req = request(url)[c.method ?? 'post'](c.path()).set('Authorization', c.auth);
  if (c.name.includes('Idempotency-Key')) req = req.set('Idempotency-Key', 'no token; at all');
  const body = c.body?.();
  const res =
    body === undefined
      ? await req
      : typeof body === 'string'
        ? await req.set('Content-Type', c.contentType ?? 'application/json').send(body)
        : await req.send(body as object);

  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toMatchObject({ success: false, error: expect.any(String), message: expect.any(String) });
  expect(await dumpAllRows(h.db)).toBe(before);
});

it('refuses an Idempotency-Key reused with another body (409) and changes nothing', async () => {
  const key = `reuse-${Date.now()}`;
  const first = await buy(
    h.url,
    purchaseBody(scheduled.showtime.id, [seat(5, 5) as { row: number; number: number }]),
    key,
  );
  expect(first.status).toBe(200);
  const before = await dumpAllRows(h.db);

  for (const { url } of targets) {
    const other = await buy(
      url,
      purchaseBody(scheduled.showtime.id, [seat(5, 6) as { row: number; number: number }]),
      key,
    );

    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ success: false, error: expect.any(String) });
  }
  expect(await dumpAllRows(h.db)).toBe(before);
});

it('started no workflow: the only one on the task queue is the purchase that reused its key', async () => {
  // Visibility (list and count) trails the start by a moment; by now every case above has long
  // answered, and the one real purchase is there to show the count is read from the right queue.
  const { count } = await h.temporal.workflow.count(`TaskQueue = '${h.taskQueue}'`);
  const ids: string[] = [];
  for await (const w of h.temporal.workflow.list({ query: `TaskQueue = '${h.taskQueue}'` }))
    ids.push(w.workflowId);

  expect(count).toBe(1);
  expect(ids).toEqual([expect.stringMatching(/^purchase-reuse-/)]);
});

it('leaves the ticket and payment of the fixture untouched', async () => {
  const ticket = await h.repos.tickets.get(ticketId);
  const payment = await h.repos.payments.get(paymentId);

  expect(ticket?.status).toBe('Issued');
  expect(payment?.status).toBe('Completed');
});
