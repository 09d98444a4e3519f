/**
 * Refused requests through the whole stack (child processes), checked in every store.
 *
 * A representative subset of the hostile-input suite (test/int/api/hostile-input.int.test.ts:
 * malformed JSON, wrong content type, wrong types, missing and extra fields, 1,000 seats, huge and
 * negative numbers, unknown enum values, 10 kB strings, ids that are not ids, an Idempotency-Key
 * reused with another body) plus refusals of who may do what, each sent to an API node, the load
 * balancer and the gateway: every hop answers the same 4xx error JSON (the gateway and the load
 * balancer never turn it into a 5xx). Clients that send their headers or body slower than the
 * stack's (here small) HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS are cut off with 408 at
 * the gateway, the load balancer and an API node, over raw sockets.
 *
 * Then, with the pipeline idle, the last test proves nothing reached any store: the write
 * database's rows, the Kafka topics' end offsets, the MongoDB views, the read cache in Redis and
 * the saga task queue's workflows are as they were, no purchase workflow exists for any key sent,
 * and the only Redis keys the batch touched are rate-limit counters naming the callers (every
 * attempt counts against the limits, refused or not: that is what they are for).
 */
import { connect } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { bearer } from '../support/auth';
import { fields, send, type Answer } from './gateway';
import { eventually, startStack, type Stack } from './stack';
import { openStores, type StoreSnapshot, type Stores } from './stores';

const HOSTILE = 'customer-hostile';
const AS_HOSTILE = bearer(HOSTILE, 'customer');
const AS_OWNER = bearer('customer-owner', 'customer');
const AS_ADMIN = bearer('admin-1', 'admin');
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;

let stack: Stack;
let stores: Stores;
let before: StoreSnapshot;
let targets: Array<{ name: string; url: string }>;
/** The owner's purchase, made in beforeAll: refunds, door and cancel cases aim at it. */
const owned = {} as {
  showtimeId: string;
  movieId: string;
  auditoriumId: string;
  key: string;
  paymentId: string;
  ticketId: string;
  sagaId: string;
};
interface ListedShowtime {
  id: string;
  startsAt: string;
  capacity: number;
  movieId: string;
  auditoriumId: string;
}
/** Every Idempotency-Key sent in a refused purchase: none may have started a workflow. */
const keysSent: string[] = [];

beforeAll(async () => {
  stack = await startStack('hostile', {
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    PURCHASE_RESPONSE_WAIT_MS: '45000',
    // The batch is ~100 attempts by one customer: the limits must not answer before validation does.
    RATE_LIMIT_PURCHASES_PER_CUSTOMER: '10000',
    RATE_LIMIT_HOLDS_PER_CUSTOMER: '10000',
    // Cache tag counters live 2x this: none may expire between the two snapshots.
    READ_CACHE_TTL_SECONDS: '3600',
    // This file's counters apart from every other stack's (the snapshot reads them).
    RATE_LIMIT_KEY_PREFIX: `e2e-hostile-${process.pid}-${Date.now().toString(36)}`,
  });
  const showtimes = await eventually(async () => {
    const r = await send(stack.gateway, { method: 'GET', path: '/api/showtimes' });
    const list = r.body as ListedShowtime[];
    return r.status === 200 && list.length > 0 ? list : undefined;
  }, 500);
  const big = showtimes
    .filter((s) => Date.parse(s.startsAt) > Date.now() + 3 * 3_600_000)
    .sort((x, y) => y.capacity - x.capacity)[0]!;
  Object.assign(owned, { showtimeId: big.id, movieId: big.movieId, auditoriumId: big.auditoriumId });
  owned.key = `owner-${Date.now()}`;
  const bought = await send(stack.gateway, {
    method: 'POST',
    path: '/api/ticketpurchase',
    headers: { Authorization: AS_OWNER, 'Idempotency-Key': owned.key },
    body: purchase({ seats: [{ row: 7, number: 7 }], customerId: undefined, cardHolderName: 'Owner' }),
  });
  expect(bought).toMatchObject({ status: 200, body: { success: true } });
  Object.assign(owned, {
    paymentId: fields(bought).paymentId,
    ticketId: fields(bought).ticketId,
    sagaId: fields(bought).sagaId,
  });
  const [api1] = stack.env.API_UPSTREAMS!.split(',');
  targets = [
    { name: 'API node', url: `http://${api1}` },
    { name: 'load balancer', url: `http://${stack.env.LB_ADDRESS!}` },
    { name: 'gateway', url: stack.gateway },
  ];
  stores = await openStores(stack);
  await stores.settle();
  before = await stores.snapshot();
});

afterAll(async () => {
  await stores?.close();
  await stack?.shutdown();
});

const seat = (row: unknown, number: unknown) => ({ row, number });
function purchase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    showtimeId: owned.showtimeId,
    customerId: HOSTILE,
    seats: [seat(1, 1)],
    paymentMethod: 'CreditCard',
    cardNumber: '4111111111111111',
    cardHolderName: 'Hostile',
    ...overrides,
  };
}
const hold = (overrides: Record<string, unknown> = {}) => ({
  showtimeId: owned.showtimeId,
  seats: [seat(1, 2)],
  ...overrides,
});
const showtime = (overrides: Record<string, unknown> = {}) => ({
  movieId: '00000000-0000-4000-8000-000000000000',
  auditoriumId: '00000000-0000-4000-8000-000000000000',
  startsAt: new Date(Date.now() + 500 * 3_600_000).toISOString(),
  price: '12.50',
  currency: 'USD',
  ...overrides,
});
const without = (body: Record<string, unknown>, field: string) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => k !== field));

interface Case {
  readonly name: string;
  readonly method?: 'GET' | 'POST';
  readonly path: () => string;
  /** Absent: no Authorization header at all. */
  readonly auth?: string;
  /** An object is sent as JSON; a string is sent as it is, with `contentType`. */
  readonly body?: () => unknown;
  readonly contentType?: string;
  /** Sent as it is; without it a purchase gets a new, well-formed key (recorded in `keysSent`). */
  readonly idempotencyKey?: () => string;
  /** When the refusal is not a 400. */
  readonly status?: number;
  /**
   * The hops whose answers must be identical (default: all three). A hop may refuse on its own
   * terms: the gateway answers reads from the read model (api/gateway/read-routes.ts) with the
   * read service's error code; each hop caps the body size with its own limit and message.
   */
  readonly sameAt?: readonly string[];
}

const P = '/api/ticketpurchase';
const CASES: readonly Case[] = [
  { name: 'purchase: malformed JSON', path: () => P, auth: AS_HOSTILE, body: () => '{"showtimeId": ' },
  {
    name: 'purchase: wrong content type',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => JSON.stringify(purchase()),
    contentType: 'text/plain',
  },
  { name: 'purchase: JSON array', path: () => P, auth: AS_HOSTILE, body: () => [purchase()] },
  {
    name: 'purchase: missing seats',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => without(purchase(), 'seats'),
  },
  { name: 'purchase: extra field', path: () => P, auth: AS_HOSTILE, body: () => purchase({ totalPrice: 0 }) },
  {
    name: 'purchase: showtimeId as an object',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ showtimeId: { $ne: null } }),
  },
  {
    name: 'purchase: unknown payment method',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ paymentMethod: 'Bitcoin' }),
  },
  {
    name: 'purchase: card number failing the checksum',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ cardNumber: '4111111111111112' }),
  },
  {
    name: 'purchase: 10 kB card holder name',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ cardHolderName: 'a'.repeat(10_240) }),
  },
  {
    name: 'purchase: 1,000 seats',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ seats: Array.from({ length: 1000 }, (_, i) => seat(1 + (i % 6), 1 + (i % 12))) }),
    status: 413,
  },
  {
    name: 'purchase: 200 kB body (past the body limit of every hop)',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ cardHolderName: 'a'.repeat(200_000) }),
    status: 413,
    sameAt: [],
  },
  {
    name: 'purchase: duplicate seats',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ seats: [seat(2, 2), seat(2, 2)] }),
  },
  {
    name: 'purchase: negative row',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ seats: [seat(-1, 1)] }),
  },
  {
    name: 'purchase: row past 2^53',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ seats: [seat(2 ** 53 + 2, 1)] }),
  },
  {
    name: 'purchase: showtime id with SQL in it',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ showtimeId: "x' OR '1'='1" }),
  },
  {
    name: "purchase: another customer's id in the body",
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase({ customerId: 'customer-owner' }),
    status: 403,
  },
  { name: 'purchase: no token', path: () => P, body: () => purchase(), status: 401 },
  {
    name: 'purchase: Idempotency-Key that is no token',
    path: () => P,
    auth: AS_HOSTILE,
    body: () => purchase(),
    idempotencyKey: () => 'no token; at all',
  },
  {
    name: 'purchase: Idempotency-Key reused with another body',
    path: () => P,
    auth: AS_OWNER,
    body: () => purchase({ customerId: undefined, seats: [seat(7, 8)] }),
    idempotencyKey: () => owned.key,
    status: 409,
  },
  // Holds
  {
    name: 'hold: malformed JSON',
    path: () => '/api/reservations',
    auth: AS_HOSTILE,
    body: () => '{"seats": [',
  },
  {
    name: 'hold: extra field',
    path: () => '/api/reservations',
    auth: AS_HOSTILE,
    body: () => hold({ status: 'Confirmed' }),
  },
  {
    name: 'hold: seats as a string',
    path: () => '/api/reservations',
    auth: AS_HOSTILE,
    body: () => hold({ seats: 'A1' }),
  },
  // Scheduling
  {
    name: 'showtime: negative price',
    path: () => '/api/showtimes',
    auth: AS_ADMIN,
    body: () => showtime({ price: -1 }),
  },
  {
    name: 'showtime: startsAt that is no instant',
    path: () => '/api/showtimes',
    auth: AS_ADMIN,
    body: () => showtime({ startsAt: 'tomorrow evening' }),
  },
  {
    name: 'showtime: scheduled by a customer',
    path: () => '/api/showtimes',
    auth: AS_HOSTILE,
    body: () => showtime(),
    status: 403,
  },
  // Refunds, cancels, the door
  {
    name: 'refund: extra field',
    path: () => `/api/payments/${owned.paymentId}/refund`,
    auth: AS_ADMIN,
    body: () => ({ reason: 'ok', amount: 1_000_000 }),
  },
  {
    name: 'refund: payment id that is no UUID',
    path: () => '/api/payments/not-a-uuid/refund',
    auth: AS_ADMIN,
    body: () => ({ reason: 'ok' }),
    status: 404,
  },
  {
    name: "refund: another customer's payment",
    path: () => `/api/payments/${owned.paymentId}/refund`,
    auth: AS_HOSTILE,
    body: () => ({ reason: 'mine now' }),
    status: 404,
  },
  {
    name: "purchase cancel: another customer's purchase",
    path: () => `/api/ticketpurchase/${owned.sagaId}/cancel`,
    auth: AS_HOSTILE,
    body: () => ({}),
    status: 404,
  },
  {
    name: 'purchase cancel: saga id that is no saga id',
    path: () => '/api/ticketpurchase/not-a-saga/cancel',
    auth: AS_ADMIN,
    body: () => ({}),
  },
  {
    name: 'door: a customer admitting a ticket',
    path: () => `/api/tickets/${owned.ticketId}/use`,
    auth: AS_HOSTILE,
    status: 403,
  },
  {
    name: 'door: ticket id that is no id',
    path: () => `/api/tickets/${'x'.repeat(101)}/use`,
    auth: bearer('door-1', 'staff'),
  },
  // Reads
  {
    name: 'GET purchase status: saga id that is no saga id',
    method: 'GET',
    path: () => '/api/ticketpurchase/x/status',
    auth: AS_ADMIN,
  },
  {
    name: 'GET ticket: id that is no UUID',
    method: 'GET',
    path: () => '/api/tickets/not-a-uuid',
    auth: AS_ADMIN,
    status: 404,
    sameAt: ['API node', 'load balancer'],
  },
];

async function sendCase(base: string, c: Case): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (c.auth !== undefined) headers.Authorization = c.auth;
  if (c.idempotencyKey === undefined && c.path() === P) {
    const key = `hostile-${keysSent.length}-${Date.now()}`;
    keysSent.push(key);
    headers['Idempotency-Key'] = key;
  } else if (c.idempotencyKey !== undefined) headers['Idempotency-Key'] = c.idempotencyKey();
  const body = c.body?.();
  if (typeof body !== 'string')
    return send(base, { method: c.method ?? 'POST', path: c.path(), body, headers });
  const res = await fetch(`${base}${c.path()}`, {
    method: c.method ?? 'POST',
    headers: { ...headers, 'content-type': c.contentType ?? 'application/json' },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // left as text: the shape assertion below fails on it
  }
  return {
    status: res.status,
    body: parsed,
    contentType: res.headers.get('content-type'),
    requestId: res.headers.get('x-request-id'),
  };
}

describe('hostile input at every hop', () => {
  it.each(CASES)('$name: the same 4xx error JSON at the API node, load balancer and gateway', async (c) => {
    const answers = [];
    for (const t of targets) answers.push({ target: t.name, answer: await sendCase(t.url, c) });

    for (const { answer } of answers) {
      expect(answer.status).toBe(c.status ?? 400);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.body).toMatchObject({
        success: false,
        error: expect.any(String),
        message: expect.any(String),
      });
    }
    // The gateway and the load balancer pass the node's answer on as it is.
    const [node, ...hops] = answers
      .filter(({ target }) => (c.sameAt ?? [target]).includes(target))
      .map(({ target, answer }) => ({ target, body: answer.body }));
    for (const hop of hops) expect(hop).toEqual({ ...node, target: hop.target });
  });
});

/**
 * Opens a raw socket to `address`, writes `head` at once, then `trickle` one byte every `everyMs`
 * until it is written or the server ends the connection; resolves with everything the server sent.
 */
function slowClient(address: string, head: string, trickle: string, everyMs: number): Promise<string> {
  const url = new URL(address.startsWith('http') ? address : `http://${address}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => undefined); // a reset after the answer: the answer is what counts
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve(received);
    });
    socket.once('connect', () => {
      socket.write(head);
      let i = 0;
      const next = () => {
        if (closed) return;
        if (i >= trickle.length) {
          // Everything sent without being cut off: let the server answer, then hand it over.
          timer = setTimeout(() => socket.end(), 5_000);
          return;
        }
        socket.write(trickle[i++]!);
        timer = setTimeout(next, everyMs);
      };
      next();
    });
    socket.setTimeout(120_000, () => {
      socket.destroy();
      reject(new Error('the server never answered nor closed'));
    });
  });
}

describe('slow clients', () => {
  const slowTargets = () => [
    { name: 'gateway', address: stack.gateway },
    { name: 'load balancer', address: stack.env.LB_ADDRESS! },
    { name: 'API node', address: stack.env.API_UPSTREAMS!.split(',')[0]! },
  ];

  it.each(['gateway', 'load balancer', 'API node'])(
    '%s: headers sent byte by byte past HTTP_HEADERS_TIMEOUT_MS are cut off with 408 JSON',
    async (name) => {
      const { address } = slowTargets().find((t) => t.name === name)!;
      // ~40 bytes at 150 ms: about six headers timeouts, so a missing guard would let it through.
      const answer = await slowClient(address, '', 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 150);

      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"error":"RequestTimeout"');
      expect(answer).not.toContain('"status"'); // no health answer: the request never got through
    },
  );

  it.each(['gateway', 'load balancer', 'API node'])(
    '%s: a body trickled past HTTP_REQUEST_TIMEOUT_MS is cut off with 408 JSON and schedules nothing',
    async (name) => {
      const { address } = slowTargets().find((t) => t.name === name)!;
      // A showtime an admin may schedule (a seeded movie and hall): were it let through, it would
      // be created (201) and the store comparison below would see it.
      const body = JSON.stringify(showtime({ movieId: owned.movieId, auditoriumId: owned.auditoriumId }));
      const head =
        'POST /api/showtimes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        `Authorization: ${AS_ADMIN}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      // Over 150 bytes at 100 ms: several request timeouts.
      const answer = await slowClient(address, head, body, 100);

      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"error":"RequestTimeout"');
    },
  );
});

describe('stores after the refused requests', () => {
  it('changed nothing: SQL rows, Kafka offsets, Mongo views, Redis cache, Temporal workflows', async () => {
    await stores.settle();
    const after = await stores.snapshot();
    const all = ['sql', 'kafka', 'mongo', 'cache', 'workflows'] as const;

    expect(all.filter((store) => !isDeepStrictEqual(after[store], before[store]))).toEqual([]);
    expect(after.sql).toBe(before.sql);
    expect(after.kafka).toEqual(before.kafka);
    expect(after.mongo).toEqual(before.mongo);
    expect(after.cache).toEqual(before.cache);
    expect(after.workflows).toBe(before.workflows);
    expect(keysSent.length).toBeGreaterThan(0);
    for (const key of keysSent) {
      await expect(stores.temporal.workflow.getHandle(`purchase-${key}`).describe()).rejects.toThrow(
        /not found/i,
      );
    }
    // Rate-limit counters name the caller (subject or address), never anything a body carried.
    const prefix = stack.env.RATE_LIMIT_KEY_PREFIX!;
    expect(after.rateLimitKeys).toContain(`${prefix}:purchase:customer:${HOSTILE}`);
    for (const key of after.rateLimitKeys) {
      expect(key).toMatch(
        new RegExp(`^${prefix}:(purchase|hold):(customer:(${HOSTILE}|customer-owner)|address:[0-9a-f.:]+)$`),
      );
    }
  });
});
