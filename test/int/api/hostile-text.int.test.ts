/**
 * Text the database can't store, refused at the edge: every free-text input of every route
 * (body fields, path ids, the Idempotency-Key and X-Request-Id headers) with a NUL, another
 * control character, a lone surrogate and a 10 kB string answers 400 JSON, and SQL (every row of
 * every table: business rows, the outbox, the saga steps, the payment ledger) is the same after.
 *
 * A saga worker runs, so a request that slipped through would really act (refund money, hold
 * seats) and the comparison would see it.
 */
import request from 'supertest';
import { saveIssuedTicket, type ScheduledShowtime, scheduleShowtime } from '../db/fixtures';
import { bearer } from '../../support/auth';
import { startApiHarness, type ApiHarness } from './harness';
import { dumpAllRows } from './sql-inspection';

/** JSON text of each hostile value (written as JSON escapes: a lone surrogate has no UTF-8 form). */
const HOSTILE: ReadonlyArray<{ readonly name: string; readonly json: string }> = [
  { name: 'NUL', json: '"x\\u0000y"' },
  { name: 'C0 control (ESC)', json: '"x\\u001by"' },
  { name: 'lone surrogate', json: '"x\\ud800y"' },
  { name: '10 kB string', json: JSON.stringify('a'.repeat(10_240)) },
];

let h: ApiHarness;
let scheduled: ScheduledShowtime;
let paymentId: string;
let holdId: string;

const seats = [{ row: 3, number: 3 }];

beforeAll(async () => {
  h = await startApiHarness({ name: 'hostile_text', sagaWorker: true, responseWaitMs: 3000 });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 6, seatsPerRow: 12 });
  const { payment } = await saveIssuedTicket(h.uow, h.ctx, scheduled, [{ row: 1, number: 1 }]);
  paymentId = payment.id;
  const held = await request(h.url)
    .post('/api/reservations')
    .set('Authorization', bearer('customer-hold', 'customer'))
    .send({ showtimeId: scheduled.showtime.id, customerId: 'customer-hold', seats: [{ row: 2, number: 2 }] });
  expect(held.status).toBe(201);
  holdId = held.body.id;
});

afterAll(async () => {
  await h?.close();
});

/** A JSON body whose `field` holds the hostile JSON value; every other field is valid. */
function bodyWith(valid: Record<string, unknown>, field: string, hostileJson: string): string {
  const marker = '"__HOSTILE__"';
  return JSON.stringify({ ...valid, [field]: '__HOSTILE__' }).replace(marker, hostileJson);
}

/** Admin may call every route except buying and holding, which are the customer's. */
const ADMIN = bearer('admin-1', 'admin');
const CUSTOMER = bearer('customer-123', 'customer');

interface BodyCase {
  readonly route: string;
  readonly auth?: string;
  readonly path: () => string;
  readonly valid: () => Record<string, unknown>;
  readonly fields: readonly string[];
}

const BODY_CASES: readonly BodyCase[] = [
  {
    route: 'POST /api/payments/{id}/refund',
    path: () => `/api/payments/${paymentId}/refund`,
    valid: () => ({ reason: 'Customer request' }),
    fields: ['reason'],
  },
  {
    route: 'POST /api/reservations/{id}/cancel',
    path: () => `/api/reservations/${holdId}/cancel`,
    valid: () => ({ reason: 'Changed my mind' }),
    fields: ['reason'],
  },
  {
    route: 'POST /api/ticketpurchase/{sagaId}/cancel',
    path: () => '/api/ticketpurchase/purchase-no-such-saga/cancel',
    valid: () => ({ reason: 'Changed my mind' }),
    fields: ['reason'],
  },
  {
    route: 'POST /api/ticketpurchase',
    auth: CUSTOMER,
    path: () => '/api/ticketpurchase',
    valid: () => ({
      showtimeId: scheduled.showtime.id,
      customerId: 'customer-123',
      seats,
      paymentMethod: 'CreditCard',
      cardNumber: '4111111111111111',
      cardHolderName: 'John Doe',
    }),
    fields: ['showtimeId', 'customerId', 'paymentMethod', 'cardNumber', 'cardHolderName'],
  },
  {
    route: 'POST /api/reservations',
    auth: CUSTOMER,
    path: () => '/api/reservations',
    valid: () => ({ showtimeId: scheduled.showtime.id, customerId: 'customer-123', seats }),
    fields: ['showtimeId', 'customerId'],
  },
  {
    route: 'POST /api/showtimes',
    path: () => '/api/showtimes',
    valid: () => ({
      movieId: scheduled.movie.id,
      auditoriumId: scheduled.auditorium.id,
      startsAt: new Date(Date.now() + 400 * 3_600_000).toISOString(),
      price: '12.50',
      currency: 'USD',
    }),
    fields: ['movieId', 'auditoriumId', 'startsAt', 'price', 'currency'],
  },
];

const expectRefused = (res: request.Response, status = 400) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toMatchObject({ success: false, error: expect.any(String), message: expect.any(String) });
};

describe.each(BODY_CASES)('$route', ({ path, valid, fields, auth }) => {
  const rows = fields.flatMap((field) => HOSTILE.map((value) => ({ field, ...value })));

  it.each(rows)(
    'refuses $name in $field with 400 JSON and changes nothing in SQL',
    async ({ field, json }) => {
      const before = await dumpAllRows(h.db);

      const res = await request(h.url)
        .post(path())
        .set('Authorization', auth ?? ADMIN)
        .set('Content-Type', 'application/json')
        .timeout(15_000)
        .send(bodyWith(valid(), field, json));

      expectRefused(res);
      expect(res.body.fields).toHaveProperty(field);
      expect(await dumpAllRows(h.db)).toBe(before);
    },
  );
});

describe('path ids', () => {
  // A lone surrogate has no UTF-8 form, so it can't be percent-encoded into a path at all.
  const PATH_VALUES = [
    { name: 'NUL', value: 'x%00y' },
    { name: 'C0 control (ESC)', value: 'x%1By' },
    { name: '10 kB string', value: 'a'.repeat(10_240) },
  ];
  const ROUTES = [
    // An API node's GETs (the resources' are the gateway's, test/e2e/hostile-gateway.e2e.test.ts).
    { method: 'get', path: (v: string) => `/api/auditoriums/${v}` },
    { method: 'get', path: (v: string) => `/api/showtimes/${v}/purchases` },
    { method: 'get', path: (v: string) => `/api/ticketpurchase/purchase-${v}/status` },
    { method: 'post', path: (v: string) => `/api/ticketpurchase/purchase-${v}/cancel` },
    { method: 'post', path: (v: string) => `/api/payments/${v}/refund` },
    { method: 'post', path: (v: string) => `/api/reservations/${v}/cancel` },
    { method: 'post', path: (v: string) => `/api/tickets/${v}/validate` },
    { method: 'post', path: (v: string) => `/api/tickets/${v}/use` },
  ] as const;
  const rows = ROUTES.flatMap((route) =>
    PATH_VALUES.map((v) => ({ ...v, method: route.method, path: route.path(v.value) })),
  );

  it.each(rows)('$method $path.0 … refuses $name with 400 JSON', async ({ method, path }) => {
    const before = await dumpAllRows(h.db);

    const res = await request(h.url)[method](path).set('Authorization', ADMIN).send({ reason: 'ok' });

    expectRefused(res);
    expect(await dumpAllRows(h.db)).toBe(before);
  });
});

describe('headers', () => {
  // HTTP header values can't carry NUL or a lone surrogate (the parser refuses NUL; bytes are
  // latin1); a tab (C0) and NEL (C1, byte 0x85) do get through to the application.
  const HEADER_VALUES = [
    { name: 'C0 control (TAB)', value: 'abc\tdef' },
    { name: 'C1 control (NEL)', value: 'abc\u0085def' },
    { name: '10 kB string', value: 'a'.repeat(10_240) },
  ];

  it.each(HEADER_VALUES)('Idempotency-Key with $name: 400 JSON, nothing started', async ({ value }) => {
    const before = await dumpAllRows(h.db);

    const res = await request(h.url)
      .post('/api/ticketpurchase')
      .set('Authorization', CUSTOMER)
      .set('Idempotency-Key', value)
      .send({
        showtimeId: scheduled.showtime.id,
        customerId: 'customer-123',
        seats,
        paymentMethod: 'PayPal',
      });

    expectRefused(res);
    expect(res.body.fields).toHaveProperty('Idempotency-Key');
    expect(await dumpAllRows(h.db)).toBe(before);
  });

  it.each(HEADER_VALUES)('X-Request-Id with $name: 400 JSON, nothing started', async ({ value }) => {
    const before = await dumpAllRows(h.db);

    const res = await request(h.url)
      .post(`/api/payments/${paymentId}/refund`)
      .set('Authorization', ADMIN)
      .set('X-Request-Id', value)
      .send({ reason: 'Customer request' });

    expectRefused(res);
    expect(res.body.fields).toHaveProperty('X-Request-Id');
    expect(await dumpAllRows(h.db)).toBe(before);
  });

  it('still replaces a printable X-Request-Id that is no token with a UUID', async () => {
    const res = await request(h.url)
      .get(`/api/auditoriums/${scheduled.auditorium.id}`)
      .set('Authorization', ADMIN)
      .set('X-Request-Id', 'not ok; drop table');

    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
