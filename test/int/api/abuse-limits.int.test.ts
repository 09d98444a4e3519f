/**
 * Abuse limits on real services: two API nodes behind the real load balancer share their rate
 * limits through Redis (a customer's and an address's purchases and holds are counted across
 * both nodes), the held-seat cap refuses a customer holding too many seats, and the load balancer
 * refuses oversized bodies (413) and requests beyond its in-flight cap (503). Every refusal is the
 * API's error JSON; a rate-limit refusal carries Retry-After.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../../config';
import { AbuseLimits } from '../../../api/http/abuse-limits';
import { createBalancer } from '../../../api/lb/balancer';
import { bearer } from '../../support/auth';
import { createTestRedis, type TestRedis } from '../../support/redis';
import { scheduleShowtime, type ScheduledShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { dumpAllRows } from './sql-inspection';

let h: ApiHarness;
let redis: TestRedis;
let lb: Server;
let lbUrl: string;
let scheduled: ScheduledShowtime;

const LIMITS = {
  ...loadConfig(),
  RATE_LIMIT_PURCHASES_PER_CUSTOMER: 3,
  RATE_LIMIT_PURCHASES_PER_ADDRESS: 6,
  RATE_LIMIT_HOLDS_PER_CUSTOMER: 50,
  RATE_LIMIT_HOLDS_PER_ADDRESS: 50,
  RATE_LIMIT_WINDOW_SECONDS: 600,
  MAX_SEATS_HELD_PER_CUSTOMER: 3,
};

beforeAll(async () => {
  h = await startApiHarness({ name: 'abuse_limits', sagaWorker: true });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 4, seatsPerRow: 8 });
  redis = createTestRedis('abuse-limits');
  // The prefix is the test's own (ioredis adds it to every key), so runs never share counters.
  const limits = () => new AbuseLimits(redis.client, { ...LIMITS, RATE_LIMIT_KEY_PREFIX: 'rl' });
  const nodes = [
    await h.startApp({ nodeId: 'api-a' }, { limits: limits() }),
    await h.startApp({ nodeId: 'api-b' }, { limits: limits() }),
  ].map((url) => new URL(url).host);
  ({ server: lb } = createBalancer({
    upstreams: nodes,
    healthIntervalMs: 100,
    logger: pino({ level: 'silent' }),
    maxBodyBytes: 4096,
    maxConcurrentRequests: 4,
  }));
  await new Promise<void>((resolve) => lb.listen(0, '127.0.0.1', resolve));
  lbUrl = `http://127.0.0.1:${(lb.address() as AddressInfo).port}`;
  // Both nodes in rotation before counting where requests went.
  for (;;) {
    const health = await request(lbUrl).get('/health');
    if (Object.values(health.body.checks ?? {}).filter((s) => s === 'Healthy').length === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  lb?.closeAllConnections();
  await new Promise((resolve) => lb?.close(resolve));
  await redis?.close();
  await h?.close();
});

/** A purchase of an unknown showtime: counted by the limiter, then refused (404) with nothing done. */
const purchaseAs = (customer: string) =>
  request(lbUrl)
    .post('/api/ticketpurchase')
    .set('Authorization', bearer(customer, 'customer'))
    .send({
      showtimeId: 'no-such-showtime',
      customerId: customer,
      seats: [{ row: 1, number: 1 }],
      paymentMethod: 'CreditCard',
      cardNumber: '4111111111111111',
    });

const expect429 = (res: request.Response, error: string) => {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toMatchObject({ success: false, error, message: expect.any(String) });
};

describe('rate limits shared by both API nodes through Redis', () => {
  it('counts a customer across both nodes, then an address, answering 429 with Retry-After', async () => {
    const before = await dumpAllRows(h.db);
    const logLinesBefore = h.appLogs.lines.length;

    const a = [];
    for (let i = 0; i < 4; i += 1) a.push(await purchaseAs('customer-a'));
    const b = [];
    for (let i = 0; i < 3; i += 1) b.push(await purchaseAs('customer-b'));

    // Within the limit: the request went on (and was refused for its unknown showtime).
    expect(a.slice(0, 3).map((r) => r.status)).toEqual([404, 404, 404]);
    // The customer's 4th: over RATE_LIMIT_PURCHASES_PER_CUSTOMER = 3, though the LB spread them.
    expect429(a[3]!, 'TooManyRequests');
    expect(Number(a[3]!.headers['retry-after'])).toBeGreaterThan(0);
    // Another customer from the same address: the address's 5th and 6th pass, its 7th does not.
    expect(b.slice(0, 2).map((r) => r.status)).toEqual([404, 404]);
    expect429(b[2]!, 'TooManyRequests');
    // Both nodes answered some of them, so the counts were shared, not per node.
    const served = h.appLogs.lines
      .slice(logLinesBefore)
      .filter((line) => line.includes('/api/ticketpurchase'))
      .map((line) => (JSON.parse(line) as { node?: string }).node);
    expect(new Set(served)).toEqual(new Set(['api-a', 'api-b']));
    expect(await dumpAllRows(h.db)).toBe(before);
  });
});

describe('held-seat cap', () => {
  it('refuses a hold that would take a customer past MAX_SEATS_HELD_PER_CUSTOMER', async () => {
    const hold = (seats: Array<{ row: number; number: number }>) =>
      request(lbUrl)
        .post('/api/reservations')
        .set('Authorization', bearer('customer-holder', 'customer'))
        .send({ showtimeId: scheduled.showtime.id, customerId: 'customer-holder', seats });

    const first = await hold([
      { row: 1, number: 1 },
      { row: 1, number: 2 },
    ]);
    const before = await dumpAllRows(h.db);
    const second = await hold([
      { row: 1, number: 3 },
      { row: 1, number: 4 },
    ]);

    expect(first.status).toBe(201);
    expect429(second, 'TooManySeatsHeld');
    expect(second.body).toMatchObject({ heldSeats: 2, maxHeldSeats: 3 });
    expect(await dumpAllRows(h.db)).toBe(before);
  });
});

describe('load balancer limits', () => {
  it('refuses a body over its limit with 413 JSON', async () => {
    const res = await request(lbUrl)
      .post('/api/reservations')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(8192) }));

    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, error: 'PayloadTooLarge' });
  });

  it('refuses requests beyond its in-flight cap with 503 JSON and Retry-After', async () => {
    // Four requests whose bodies never finish arriving stay in flight.
    const stalled = Array.from({ length: 4 }, () => {
      const socket = connect(Number(new URL(lbUrl).port), '127.0.0.1');
      socket.write(
        'POST /api/reservations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      return socket;
    });
    try {
      let res: request.Response;
      // The sockets connect asynchronously: ask until all four are counted.
      do res = await request(lbUrl).post('/api/reservations').send({});
      while (res.status !== 503);

      expect(res.body).toMatchObject({ success: false, error: 'Overloaded' });
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });
});
