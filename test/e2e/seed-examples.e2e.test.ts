/**
 * The public REST contract end to end: every example request of the contract
 * (contract-examples.ts) is sent through the gateway of the whole stack (child processes, started
 * once for this file) and its answer compared with the documented response: status code, field
 * names and JSON types recursively, and the values the contract fixes. The contract's example
 * purchase is reproduced exactly: Inception in Hall 1 at a matinee (12.50 a seat), row 5 seats 10
 * and 11, so 25.00.
 *
 * Then a refund through the gateway puts the seats back on sale (the read model's seat map and
 * showtime) and the same seats sell again.
 *
 * Where the implementation answers other than the documented examples, the deviation is asserted,
 * not hidden:
 *   - the purchase's 200 adds `sagaId` (so a client can look the saga up);
 *   - the contract's PaymentMethod lists PayPal, ApplePay, GooglePay and BankTransfer, but
 *     the payment simulator only tokenizes cards: those methods answer 422 PaymentMethodNotSupported;
 *   - a rolled-back purchase's saga status is `Compensated` (the contract's SagaState list has no
 *     such state; its failure response says "Compensated: <reason>");
 *   - the health check reports temporal and mongo besides the documented database, kafka and redis;
 *   - `GET /api/tickets/by-number/{ticketNumber}` has no documented response: it is held to the
 *     Get Ticket by ID one, for the same ticket.
 */
import { randomUUID } from 'node:crypto';
import { bearer } from '../support/auth';
import { fields, send as sendAnonymous, type Answer, type Request } from './gateway';
import * as CONTRACT from './contract-examples';
import { shapeOf, withFields, type Shape } from './shape';
import { eventually, startStack, type Stack } from './stack';

const INSTANT = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);
const TICKET_NUMBER = expect.stringMatching(/^TKT-\d{14}-\d{4}$/);
const TRANSACTION_ID = /TXN-\S+$/;
/** The read service's SeatState enum as the gateway's seat map shows it. */
const SOLD = 'Sold';

interface Seat {
  readonly row: number;
  readonly number: number;
}
interface Showtime {
  readonly id: string;
  readonly movieTitle: string;
  readonly auditoriumName: string;
  readonly startsAt: string;
  readonly price: number;
  readonly capacity: number;
  readonly seatsAvailable: number;
}
interface SeatMap {
  readonly capacity: number;
  readonly seatsAvailable: number;
  readonly taken: readonly (Seat & { state: 'Held' | 'Sold' })[];
}

let stack: Stack;

/**
 * Each example as the caller the contract has in mind: a purchase by its customer, the door scanner
 * for validate and use, an administrator for the rest (reads and refunds of whoever bought); the
 * public routes need no token. Who else may not is test/e2e/boundaries.e2e.test.ts.
 */
function signed(req: Request): Request {
  const body = req.body as { customerId?: unknown } | undefined;
  const authorization =
    req.method === 'POST' && req.path === '/api/ticketpurchase'
      ? bearer(String(body?.customerId ?? 'customer-123'), 'customer')
      : /\/(validate|use)$/.test(req.path)
        ? bearer('door-1', 'staff')
        : bearer('admin-1', 'admin');
  return { ...req, headers: { Authorization: authorization, ...req.headers } };
}

const send = (gateway: string, req: Request): Promise<Answer> => sendAnonymous(gateway, signed(req));

/** What earlier examples produced and later ones need (jest runs a file's tests in order). */
const ctx: {
  exampleShowtime?: Showtime; // Inception, Hall 1, matinee, the first day
  refundShowtime?: Showtime; // the same film and hall, the next day
  resaleShowtime?: Showtime; // another hall, for the refund and resale counts
  purchase?: Record<string, unknown>;
  failedSagaId?: string;
  transactionId?: string;
  ticket?: Record<string, unknown>;
  refundPaymentId?: string;
} = {};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`needs ${what} from an earlier example, which did not pass`);
  return value;
}

beforeAll(async () => {
  // Long enough that the documented 200 (not the 202 "still running") answers a purchase on 2 busy cores.
  stack = await startStack('contract', { PURCHASE_RESPONSE_WAIT_MS: '45000' });
  const find = (list: Showtime[], pick: (s: Showtime) => boolean) => list.filter(pick);
  await eventually(async () => {
    const a = await send(stack.gateway, { method: 'GET', path: '/api/showtimes' });
    if (a.status !== 200) return undefined;
    const list = (a.body as Showtime[]).sort((x, y) => x.startsAt.localeCompare(y.startsAt));
    const exampleLike = find(
      list,
      (s) => s.movieTitle === 'Inception' && s.auditoriumName === 'Hall 1' && s.price === 12.5,
    );
    const other = find(list, (s) => s.auditoriumName === 'Hall 2');
    if (exampleLike.length < 2 || other.length === 0) return undefined;
    [ctx.exampleShowtime, ctx.refundShowtime] = exampleLike;
    ctx.resaleShowtime = other[0];
    return true;
  }, 500);
});

afterAll(async () => {
  await stack?.shutdown();
});

/** Sends `req` until `ready` accepts the answer: the read model catches up with the write side. */
function settled(req: Request, ready: (a: Answer) => boolean): Promise<Answer> {
  return eventually(async () => {
    const a = await send(stack.gateway, req);
    return ready(a) ? a : undefined;
  });
}

const purchaseBody = (showtimeId: string, customerId: string, seats: readonly Seat[]) => ({
  ...CONTRACT.PURCHASE_REQUEST,
  showtimeId,
  customerId,
  seats,
});

async function buy(showtimeId: string, customerId: string, seats: readonly Seat[]) {
  const body = purchaseBody(showtimeId, customerId, seats);
  const a = await send(stack.gateway, { method: 'POST', path: '/api/ticketpurchase', body });
  expect(a).toMatchObject({ status: 200, body: { success: true, seats } });
  return fields(a) as { reservationId: string; paymentId: string; ticketId: string; totalPrice: number };
}

interface ContractExample {
  /** Where it is in the contract: API section › request › documented response. */
  readonly section: string;
  /** The request line as the contract writes it. */
  readonly documentedRequest: string;
  readonly documented: { readonly status: number; readonly body: object };
  /** Fields the implementation adds to the documented ones (named in the header's deviations). */
  readonly added?: Shape;
  readonly request: () => Request | Promise<Request>;
  /** For the read model's GETs: when the answer shows the projection has caught up. */
  readonly ready?: (a: Answer) => boolean;
  /** The values the contract fixes, for the request that was sent (matched with toMatchObject). */
  readonly values: () => object;
  /** After the assertions: keeps ids for later examples, checks what the contract says comes next. */
  readonly then?: (body: Record<string, unknown>) => void | Promise<void>;
}

/** What the health check reports besides the documented database, kafka and redis. */
const HEALTH_ADDED_CHECKS = ['temporal', 'mongo'];
const HEALTH_ADDED: Shape = {
  checks: Object.fromEntries(HEALTH_ADDED_CHECKS.map((k) => [k, 'string'])),
};

const EXAMPLES: readonly ContractExample[] = [
  {
    section: 'Ticket Purchase API (Saga) › Purchase Ticket › Success Response (200 OK)',
    documentedRequest: 'POST /api/ticketpurchase',
    documented: { status: 200, body: CONTRACT.PURCHASE_SUCCESS },
    added: { sagaId: 'string' },
    request: () => ({
      method: 'POST',
      path: '/api/ticketpurchase',
      body: { ...CONTRACT.PURCHASE_REQUEST, showtimeId: need(ctx.exampleShowtime, 'a showtime').id },
    }),
    values: () => ({
      success: true,
      ticketNumber: TICKET_NUMBER,
      movieTitle: 'Inception',
      screeningTime: need(ctx.exampleShowtime, 'a showtime').startsAt,
      seats: CONTRACT.PURCHASE_REQUEST.seats,
      totalPrice: 25,
    }),
    then: (body) => {
      ctx.purchase = body;
    },
  },
  {
    section: 'Ticket Purchase API (Saga) › Purchase Ticket › Failure Response (400 Bad Request)',
    documentedRequest: 'POST /api/ticketpurchase',
    documented: { status: 400, body: CONTRACT.PURCHASE_FAILURE },
    request: () => ({
      method: 'POST',
      path: '/api/ticketpurchase',
      body: {
        ...purchaseBody(need(ctx.exampleShowtime, 'a showtime').id, 'customer-123', [{ row: 5, number: 12 }]),
        cardNumber: '4000000000009995', // the simulator's "insufficient funds" card
      },
    }),
    values: () => ({
      success: false,
      error: 'Compensated: Payment declined - insufficient funds',
      sagaId: expect.stringMatching(/^purchase-/),
    }),
    then: (body) => {
      ctx.failedSagaId = String(body.sagaId);
    },
  },
  {
    section: 'Ticket Purchase API (Saga) › Get Saga Status › Response (200 OK)',
    documentedRequest: 'GET /api/ticketpurchase/{sagaId}/status',
    documented: { status: 200, body: CONTRACT.SAGA_STATUS },
    request: () => ({
      method: 'GET',
      path: `/api/ticketpurchase/${String(need(ctx.purchase, 'the purchase').sagaId)}/status`,
    }),
    values: () => {
      const p = need(ctx.purchase, 'the purchase');
      return {
        sagaId: p.sagaId,
        status: 'Completed',
        currentStep: 4,
        totalSteps: 4,
        failureReason: null,
        createdAt: INSTANT,
        completedAt: INSTANT,
        ticketId: p.ticketId,
        ticketNumber: p.ticketNumber,
        stepLogs: [
          { stepName: 'ReserveSeats', success: true, message: 'Reserved 2 seats', timestamp: INSTANT },
          {
            stepName: 'ProcessPayment',
            success: true,
            message: expect.stringMatching(/^Payment processed, TransactionId: TXN-\S+$/),
            timestamp: INSTANT,
          },
          {
            stepName: 'ConfirmReservation',
            success: true,
            message: 'Reservation confirmed',
            timestamp: INSTANT,
          },
          {
            stepName: 'IssueTicket',
            success: true,
            message: `Ticket issued: ${String(p.ticketNumber)}`,
            timestamp: INSTANT,
          },
        ],
      };
    },
    then: (body) => {
      const logs = body.stepLogs as { message: string }[];
      ctx.transactionId = TRANSACTION_ID.exec(logs[1]!.message)![0];
    },
  },
  {
    section: 'Payments API › Get Payment by ID › Response (200 OK)',
    documentedRequest: 'GET /api/payments/{id}',
    documented: { status: 200, body: CONTRACT.PAYMENT },
    request: () => ({
      method: 'GET',
      path: `/api/payments/${String(need(ctx.purchase, 'the purchase').paymentId)}`,
    }),
    // The read model: the payment's view exists from PaymentCreated on and completes later.
    ready: (a) => a.status === 200 && !['Pending', 'Processing'].includes(String(fields(a).status)),
    values: () => {
      const p = need(ctx.purchase, 'the purchase');
      return {
        id: p.paymentId,
        reservationId: p.reservationId,
        customerId: 'customer-123',
        amount: 25,
        currency: 'USD',
        status: 'Completed',
        method: 'CreditCard',
        transactionId: need(ctx.transactionId, 'the saga status'),
        processedAt: INSTANT,
      };
    },
  },
  {
    section: 'Payments API › Refund Payment › Response (200 OK)',
    documentedRequest: 'POST /api/payments/{id}/refund',
    documented: { status: 200, body: CONTRACT.REFUND },
    // A purchase of its own (the same 25.00, the next day), so the tickets examples keep theirs.
    request: async () => {
      const showtime = need(ctx.refundShowtime, 'a showtime');
      const bought = await buy(showtime.id, 'customer-123', CONTRACT.PURCHASE_REQUEST.seats);
      ctx.refundPaymentId = bought.paymentId;
      return {
        method: 'POST',
        path: `/api/payments/${bought.paymentId}/refund`,
        body: CONTRACT.REFUND_REQUEST,
      };
    },
    values: () => ({
      id: ctx.refundPaymentId,
      status: 'Refunded',
      refundedAmount: 25,
      refundReason: 'Customer request',
    }),
  },
  {
    section: 'Tickets API › Get Ticket by ID › Response (200 OK)',
    documentedRequest: 'GET /api/tickets/{id}',
    documented: { status: 200, body: CONTRACT.TICKET },
    request: () => ({
      method: 'GET',
      path: `/api/tickets/${String(need(ctx.purchase, 'the purchase').ticketId)}`,
    }),
    ready: (a) => a.status === 200,
    values: () => {
      const p = need(ctx.purchase, 'the purchase');
      return {
        id: p.ticketId,
        ticketNumber: p.ticketNumber,
        reservationId: p.reservationId,
        paymentId: p.paymentId,
        showtimeId: need(ctx.exampleShowtime, 'a showtime').id,
        customerId: 'customer-123',
        movieTitle: 'Inception',
        screeningTime: need(ctx.exampleShowtime, 'a showtime').startsAt,
        auditoriumName: 'Hall 1',
        seats: CONTRACT.PURCHASE_REQUEST.seats,
        totalPrice: 25,
        status: 'Issued',
        // A compact JWS signed by the box office (providers/ticket-qr); test/int/api/ticket-qr checks it.
        qrCode: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      };
    },
    then: (body) => {
      ctx.ticket = body;
    },
  },
  {
    section: 'Tickets API › Get Ticket by Number (no documented response: the Get Ticket by ID one)',
    documentedRequest: 'GET /api/tickets/by-number/{ticketNumber}',
    documented: { status: 200, body: CONTRACT.TICKET },
    request: () => ({
      method: 'GET',
      path: `/api/tickets/by-number/${String(need(ctx.ticket, 'the ticket').ticketNumber)}`,
    }),
    values: () => need(ctx.ticket, 'the ticket'),
  },
  {
    section: 'Tickets API › Validate Ticket › Response (200 OK)',
    documentedRequest: 'POST /api/tickets/{id}/validate',
    documented: { status: 200, body: CONTRACT.VALIDATION },
    request: () => ({
      method: 'POST',
      path: `/api/tickets/${String(need(ctx.ticket, 'the ticket').id)}/validate`,
    }),
    values: () => ({
      valid: true,
      ticketNumber: need(ctx.ticket, 'the ticket').ticketNumber,
      movieTitle: 'Inception',
      screeningTime: need(ctx.exampleShowtime, 'a showtime').startsAt,
      seats: 'Row 5, Seats 10-11',
    }),
  },
  {
    section: 'Tickets API › Use Ticket (Mark as Used) › Response (200 OK)',
    documentedRequest: 'POST /api/tickets/{id}/use',
    documented: { status: 200, body: CONTRACT.TICKET_USED },
    request: () => ({
      method: 'POST',
      path: `/api/tickets/${String(need(ctx.ticket, 'the ticket').id)}/use`,
    }),
    values: () => ({ id: need(ctx.ticket, 'the ticket').id, status: 'Used', usedAt: INSTANT }),
    then: async (body) => {
      // A ticket gets in once: the second use is refused.
      const again = await send(stack.gateway, {
        method: 'POST',
        path: `/api/tickets/${String(body.id)}/use`,
      });
      expect(again).toMatchObject({ status: 409, body: { success: false, error: 'TicketAlreadyUsed' } });
    },
  },
  {
    section: 'Health Check API › Response (200 OK)',
    documentedRequest: 'GET /health',
    documented: { status: 200, body: CONTRACT.HEALTH },
    added: HEALTH_ADDED,
    request: () => ({ method: 'GET', path: '/health' }),
    values: () => ({
      status: 'Healthy',
      checks: Object.fromEntries(
        [...Object.keys(CONTRACT.HEALTH.checks), ...HEALTH_ADDED_CHECKS].map((k) => [k, 'Healthy']),
      ),
    }),
  },
];

describe('the table', () => {
  it('sends every documented response of contract-examples.ts', () => {
    const requestBodies: object[] = [CONTRACT.PURCHASE_REQUEST, CONTRACT.REFUND_REQUEST];
    const documented = Object.values(CONTRACT).filter((v: object) => !requestBodies.includes(v));
    expect(new Set(EXAMPLES.map((e) => e.documented.body))).toEqual(new Set(documented));
  });
});

describe('the contract examples through the gateway', () => {
  it.each(EXAMPLES.map((e) => [e.section, e] as const))('%s', async (_section, example) => {
    const request = await example.request();
    const answer = example.ready ? await settled(request, example.ready) : await send(stack.gateway, request);
    expect(answer).toMatchObject({ status: example.documented.status });
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(shapeOf(answer.body)).toEqual(withFields(shapeOf(example.documented.body), example.added));
    expect(answer.body).toMatchObject(example.values());
    await example.then?.(fields(answer));
  });
});

describe('refund through the gateway', () => {
  it('puts the seats back on sale in the read model, and they sell again', async () => {
    const showtime = need(ctx.resaleShowtime, 'a showtime');
    const seats: Seat[] = [
      { row: 3, number: 4 },
      { row: 3, number: 5 },
    ];
    const getShowtime = async () =>
      fields(
        await send(stack.gateway, { method: 'GET', path: `/api/showtimes/${showtime.id}` }),
      ) as unknown as Showtime;
    const seatMap = async (when: (m: SeatMap) => boolean) =>
      fields(
        await settled({ method: 'GET', path: `/api/showtimes/${showtime.id}/seats` }, (a) =>
          a.status === 200 ? when(a.body as SeatMap) : false,
        ),
      ) as unknown as SeatMap;
    // The public seat map says row, number and state only, so the purchase's seats are matched by place.
    const sold = seats.map((s) => ({ ...s, state: SOLD }));
    const ours = (t: Seat) => seats.some((s) => s.row === t.row && s.number === t.number);
    const allOursSold = (m: SeatMap) =>
      m.taken.filter((t) => ours(t) && t.state === SOLD).length === seats.length;

    const { capacity } = await getShowtime();
    expect(await getShowtime()).toMatchObject({ seatsAvailable: capacity });

    const bought = await buy(showtime.id, 'customer-refund', seats);
    const soldMap = await seatMap(allOursSold);
    expect(soldMap).toMatchObject({ capacity, seatsAvailable: capacity - 2, taken: sold });
    expect(await getShowtime()).toMatchObject({ seatsAvailable: capacity - 2 });

    const refund: Request = {
      method: 'POST',
      path: `/api/payments/${bought.paymentId}/refund`,
      body: { reason: 'Changed plans' },
    };
    const refunded = await send(stack.gateway, refund);
    expect(refunded).toMatchObject({
      status: 200,
      body: {
        id: bought.paymentId,
        status: 'Refunded',
        refundedAmount: bought.totalPrice,
        refundReason: 'Changed plans',
      },
    });
    // Asking again changes nothing and gives the same answer.
    expect(await send(stack.gateway, refund)).toMatchObject({ status: 200, body: refunded.body });

    const back = await seatMap((m) => !m.taken.some(ours));
    expect(back).toMatchObject({ capacity, seatsAvailable: capacity, taken: [] });
    expect(await getShowtime()).toMatchObject({ seatsAvailable: capacity });

    const ticketPath = `/api/tickets/${bought.ticketId}`;
    await settled(
      { method: 'GET', path: ticketPath },
      (a) => a.status === 200 && fields(a).status === 'Refunded',
    );
    await settled(
      { method: 'GET', path: `/api/payments/${bought.paymentId}` },
      (a) => a.status === 200 && fields(a).status === 'Refunded',
    );
    expect(await send(stack.gateway, { method: 'POST', path: `${ticketPath}/use` })).toMatchObject({
      status: 409,
      body: { error: 'TicketRefunded' },
    });
    expect(await send(stack.gateway, { method: 'POST', path: `${ticketPath}/validate` })).toMatchObject({
      status: 200,
      body: { valid: false },
    });

    const again = await buy(showtime.id, 'customer-resale', seats);
    expect(again.reservationId).not.toBe(bought.reservationId);
    const resold = await seatMap(allOursSold);
    expect(resold).toMatchObject({ capacity, seatsAvailable: capacity - 2, taken: sold });
  });
});

describe('documented deviations from the contract', () => {
  it.each(['PayPal', 'ApplePay', 'GooglePay', 'BankTransfer'])(
    '%s (a PaymentMethod of the contract) is refused with 422: the payment simulator only takes cards',
    async (paymentMethod) => {
      const showtime = need(ctx.exampleShowtime, 'a showtime');
      const answer = await send(stack.gateway, {
        method: 'POST',
        path: '/api/ticketpurchase',
        headers: { 'Idempotency-Key': `wallet-${randomUUID()}` },
        body: {
          showtimeId: showtime.id,
          customerId: 'customer-123',
          seats: [{ row: 1, number: 1 }],
          paymentMethod,
        },
      });
      expect(answer).toMatchObject({
        status: 422,
        body: { success: false, error: 'PaymentMethodNotSupported', message: expect.any(String) },
      });
    },
  );

  it("a rolled-back purchase's saga status is Compensated (not in the contract's SagaState list)", async () => {
    const sagaId = need(ctx.failedSagaId, 'the failed purchase');
    const answer = await send(stack.gateway, { method: 'GET', path: `/api/ticketpurchase/${sagaId}/status` });
    expect(answer).toMatchObject({
      status: 200,
      body: {
        sagaId,
        status: 'Compensated',
        failureReason: 'Payment declined - insufficient funds',
        ticketId: null,
        ticketNumber: null,
      },
    });
    expect(Object.keys(fields(answer)).sort()).toEqual(Object.keys(CONTRACT.SAGA_STATUS).sort());
  });
});
