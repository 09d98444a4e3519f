/**
 * Every documented operation, exercised on a real server (an API node or the gateway in front of
 * the whole stack): its success answers and its main refusals. Each answer goes through
 * ContractClient, which fails the test when it does not match the OpenAPI document. The
 * assertions here check what the document can't say (which code, which id, what changed).
 * Operations only the gateway has (the resource GETs among them) run when the server's document
 * lists them.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ROLES } from '../../../api/auth';
import { bearer } from '../../support/auth';
import type { Answer, ContractClient } from './openapi-contract';

export interface ContractTarget {
  readonly api: ContractClient;
  /** A server of the same routes that never waits for a workflow (every saga answers 202). */
  readonly impatient?: ContractClient;
  /** A future showtime whose seats rows 1-5 x 1-8 are free. */
  readonly showtime: { readonly id: string; readonly movieId: string; readonly auditoriumId: string };
  /** A showtime that has already started. */
  readonly pastShowtimeId: string;
  /** GETs are answered by the read model, which catches up a moment after a command. */
  readonly eventual: boolean;
  /** The Temporal client of the sagas' namespace. */
  readonly temporal: Client;
}

const CARDS = { ok: '4111111111111111', declined: '4000000000000002', hang: '4000000000000259' };
const TOO_LONG_ID = 'x'.repeat(201); // over both the API's (100) and the read service's (200) limit

const customerId = `customer-contract-${randomUUID().slice(0, 8)}`;
/** Callers other than the contract client's default (an administrator for these routes). */
const asCustomer = { as: bearer(customerId, 'customer') };
const anonymously = { as: null };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function purchaseBody(
  showtimeId: string,
  seats: Array<[row: number, number: number]>,
  overrides: Record<string, unknown> = {},
) {
  return {
    showtimeId,
    customerId,
    seats: seats.map(([row, number]) => ({ row, number })),
    paymentMethod: 'CreditCard',
    cardNumber: CARDS.ok,
    cardHolderName: 'Contract Test',
    ...overrides,
  };
}

const FINAL = new Set(['Completed', 'Compensated', 'Failed']);

/** Polls the status route until the saga has ended; jest's timeout bounds the wait. */
async function settled(api: ContractClient, sagaId: string): Promise<Answer> {
  for (;;) {
    const res = await api.get(`/api/ticketpurchase/${sagaId}/status`);
    if (res.status === 200 && FINAL.has(res.body.status)) return res;
    await pause(200);
  }
}

/**
 * The saga's final answer: a purchase that outlived the wait (202) is awaited, then asked again
 * with the same key, which answers what the finished saga decided (200 or 400).
 */
async function purchase(api: ContractClient, key: string, body: unknown): Promise<Answer> {
  const first = await api.post('/api/ticketpurchase', { body, headers: { 'Idempotency-Key': key } });
  if (first.status !== 202) return first;
  await settled(api, first.body.sagaId);
  return api.post('/api/ticketpurchase', { body, headers: { 'Idempotency-Key': key } });
}

/** GET that must answer 200, waiting for the read model to catch up when the target has one. */
async function readable(t: ContractTarget, path: string): Promise<Answer> {
  for (;;) {
    const res = await t.api.get(path);
    if (res.status === 200 || !t.eventual || res.status !== 404) {
      expect(res.status).toBe(200);
      return res;
    }
    await pause(250);
  }
}

const has = (t: ContractTarget, operation: string) => t.api.contract.operations().includes(operation);

export function contractScenarios(target: () => ContractTarget): void {
  let t: ContractTarget;
  /** The first purchase: read, validated and used by the ticket scenarios. */
  let bought: { key: string; body: ReturnType<typeof purchaseBody>; answer: Answer };

  beforeAll(() => {
    t = target();
  });

  describe('purchases', () => {
    it('buys a ticket (200); the same key and body answer the same ticket again', async () => {
      const key = `contract-${randomUUID()}`;
      const body = purchaseBody(t.showtime.id, [
        [1, 1],
        [1, 2],
      ]);
      const answer = await purchase(t.api, key, body);
      const again = await t.api.post('/api/ticketpurchase', { body, headers: { 'Idempotency-Key': key } });

      expect(answer.status).toBe(200);
      expect(answer.body.sagaId).toBe(`purchase-${key}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(answer.body);
      bought = { key, body, answer };
    });

    it('answers a rolled-back saga (declined card) with 400 "Compensated: ..."', async () => {
      const res = await purchase(
        t.api,
        `contract-${randomUUID()}`,
        purchaseBody(t.showtime.id, [[1, 3]], { cardNumber: CARDS.declined }),
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^Compensated: /);
    });

    it('refuses bad requests before any saga: 400, 404, 409, 422', async () => {
      const post = (body: unknown, key = `contract-${randomUUID()}`) =>
        t.api.post('/api/ticketpurchase', { body, headers: { 'Idempotency-Key': key } });

      const noSeats = await post(purchaseBody(t.showtime.id, []));
      const malformed = await t.api.post('/api/ticketpurchase', { raw: '{"showtimeId":' });
      const badKey = await post(purchaseBody(t.showtime.id, [[1, 4]]), 'not a key!');
      const started = await post(purchaseBody(t.pastShowtimeId, [[1, 4]]));
      const unknown = await post(purchaseBody(`no-such-showtime-${randomUUID()}`, [[1, 4]]));
      const reused = await post(purchaseBody(t.showtime.id, [[1, 5]]), bought.key);
      const wallet = await post(
        purchaseBody(t.showtime.id, [[1, 4]], { paymentMethod: 'PayPal', cardNumber: undefined }),
      );

      expect([noSeats.status, noSeats.body.error, Object.keys(noSeats.body.fields)]).toEqual([
        400,
        'ValidationFailed',
        ['seats'],
      ]);
      expect([malformed.status, malformed.body.error]).toEqual([400, 'MalformedJson']);
      expect([badKey.status, Object.keys(badKey.body.fields)]).toEqual([400, ['Idempotency-Key']]);
      expect([started.status, started.body.error]).toEqual([400, 'ShowtimeInPast']);
      expect([unknown.status, unknown.body.error]).toEqual([404, 'ShowtimeNotFound']);
      expect([reused.status, reused.body.error, reused.body.sagaId]).toEqual([
        409,
        'IdempotencyKeyReused',
        bought.answer.body.sagaId,
      ]);
      expect([wallet.status, wallet.body.error]).toEqual([422, 'PaymentMethodNotSupported']);
    });

    it('answers 202 while the saga runs; cancel in flight (200 Compensated), then 409', async () => {
      const api = t.impatient ?? t.api; // the gateway's nodes wait PURCHASE_RESPONSE_WAIT_MS (15 s)
      const res = await api.post('/api/ticketpurchase', {
        body: purchaseBody(t.showtime.id, [[2, 1]], { cardNumber: CARDS.hang }),
        headers: { 'Idempotency-Key': `contract-${randomUUID()}` },
      });
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(res.body.statusUrl);

      // Cancel once the seats are held, so the saga has something to compensate.
      let running: Answer;
      do {
        await pause(100);
        running = await t.api.get(res.body.statusUrl);
      } while (!running.body.stepLogs?.some((l: { stepName: string }) => l.stepName === 'ReserveSeats'));
      const cancelled = await t.api.post(`/api/ticketpurchase/${res.body.sagaId}/cancel`, {
        body: { reason: 'changed my mind' },
      });
      const again = await t.api.post(`/api/ticketpurchase/${res.body.sagaId}/cancel`);

      expect(running.status).toBe(200);
      expect(FINAL.has(running.body.status)).toBe(false);
      expect([cancelled.status, cancelled.body.status]).toEqual([200, 'Compensated']);
      expect([again.status, again.body.error]).toEqual([409, 'TooLateToCancel']);
    });

    it('answers 500 SagaFailed when the saga is terminated while the API waits for it', async () => {
      const key = `contract-${randomUUID()}`;
      const answer = t.api.post('/api/ticketpurchase', {
        body: purchaseBody(t.showtime.id, [[2, 4]], { cardNumber: CARDS.hang }),
        headers: { 'Idempotency-Key': key },
      });
      let answered = false;
      answer.then(
        () => (answered = true),
        () => (answered = true),
      );
      const handle = t.temporal.workflow.getHandle(`purchase-${key}`);
      const started = () =>
        handle.describe().then(
          () => true,
          () => false,
        );
      while (!answered && !(await started())) await pause(100);
      if (!answered) await handle.terminate('contract test: a saga that breaks');
      const res = await answer;

      expect([res.status, res.body.error, res.body.sagaId]).toEqual([500, 'SagaFailed', `purchase-${key}`]);
    });

    it('status and cancel of unknown or malformed saga ids: 404, 400; a completed saga: 409', async () => {
      const unknown = `purchase-${randomUUID()}`;
      const status = await t.api.get(`/api/ticketpurchase/${bought.answer.body.sagaId}/status`);
      const statusUnknown = await t.api.get(`/api/ticketpurchase/${unknown}/status`);
      const statusMalformed = await t.api.get('/api/ticketpurchase/refund-123/status');
      const cancelUnknown = await t.api.post(`/api/ticketpurchase/${unknown}/cancel`);
      const cancelMalformed = await t.api.post('/api/ticketpurchase/refund-123/cancel');
      const cancelDone = await t.api.post(`/api/ticketpurchase/${bought.answer.body.sagaId}/cancel`);

      expect([status.status, status.body.status, status.body.ticketId]).toEqual([
        200,
        'Completed',
        bought.answer.body.ticketId,
      ]);
      expect([statusUnknown.status, statusUnknown.body.error]).toEqual([404, 'SagaNotFound']);
      expect(statusMalformed.status).toBe(400);
      expect([cancelUnknown.status, cancelUnknown.body.error]).toEqual([404, 'SagaNotFound']);
      expect(cancelMalformed.status).toBe(400);
      expect([cancelDone.status, cancelDone.body.error]).toEqual([409, 'TooLateToCancel']);
    });
  });

  describe('tickets', () => {
    it('reads a ticket by id and by number (gateway: 200); 404; 400', async () => {
      if (!has(t, 'GET /api/tickets/{id}')) return;
      const { ticketId, ticketNumber } = bought.answer.body;
      const byId = await readable(t, `/api/tickets/${ticketId}`);
      const byNumber = await readable(t, `/api/tickets/by-number/${ticketNumber}`);
      const missing = await t.api.get(`/api/tickets/no-such-ticket-${randomUUID()}`);
      const missingNumber = await t.api.get('/api/tickets/by-number/TKT-20000101000000-0000');
      const malformed = await t.api.get(`/api/tickets/${TOO_LONG_ID}`);
      const malformedNumber = await t.api.get(`/api/tickets/by-number/${TOO_LONG_ID}`);

      expect([byId.body.id, byId.body.ticketNumber, byId.body.customerId]).toEqual([
        ticketId,
        ticketNumber,
        customerId,
      ]);
      expect(byNumber.body).toEqual(byId.body);
      expect([missing.status, missingNumber.status]).toEqual([404, 404]);
      expect([malformed.status, malformedNumber.status]).toEqual([400, 400]);
    });

    it('validates (200 valid), uses once (200), refuses a second use (409); 404; 400', async () => {
      const id = bought.answer.body.ticketId;
      const valid = await t.api.post(`/api/tickets/${id}/validate`);
      const used = await t.api.post(`/api/tickets/${id}/use`);
      const usedAgain = await t.api.post(`/api/tickets/${id}/use`);
      const invalid = await t.api.post(`/api/tickets/${id}/validate`);
      const unknown = `no-such-ticket-${randomUUID()}`;
      const validateUnknown = await t.api.post(`/api/tickets/${unknown}/validate`);
      const useUnknown = await t.api.post(`/api/tickets/${unknown}/use`);
      const validateMalformed = await t.api.post(`/api/tickets/${TOO_LONG_ID}/validate`);
      const useMalformed = await t.api.post(`/api/tickets/${TOO_LONG_ID}/use`);

      expect([valid.status, valid.body.valid, valid.body.reason]).toEqual([200, true, undefined]);
      expect([used.status, used.body.status]).toEqual([200, 'Used']);
      expect([usedAgain.status, usedAgain.body.error]).toEqual([409, 'TicketAlreadyUsed']);
      expect([invalid.status, invalid.body.valid, typeof invalid.body.reason]).toEqual([
        200,
        false,
        'string',
      ]);
      expect([validateUnknown.status, useUnknown.status]).toEqual([404, 404]);
      expect([validateMalformed.status, useMalformed.status]).toEqual([400, 400]);
    });

    it("lists a customer's tickets (gateway: 200; 400)", async () => {
      if (!has(t, 'GET /api/customers/{id}/tickets')) return;
      const mine = await readable(t, `/api/customers/${customerId}/tickets`);
      const nobody = await t.api.get(`/api/customers/nobody-${randomUUID()}/tickets`);
      const malformed = await t.api.get(`/api/customers/${TOO_LONG_ID}/tickets`);

      expect(mine.body.map((ticket: { id: string }) => ticket.id)).toContain(bought.answer.body.ticketId);
      expect([nobody.status, nobody.body]).toEqual([200, []]);
      expect(malformed.status).toBe(400);
    });
  });

  describe('payments', () => {
    it('reads a payment (gateway: 200); 404; 400', async () => {
      if (!has(t, 'GET /api/payments/{id}')) return;
      const payment = await readable(t, `/api/payments/${bought.answer.body.paymentId}`);
      const missing = await t.api.get(`/api/payments/no-such-payment-${randomUUID()}`);
      const malformed = await t.api.get(`/api/payments/${TOO_LONG_ID}`);

      expect([payment.body.status, payment.body.method]).toEqual(['Completed', 'CreditCard']);
      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(400);
    });

    it('refunds (200, again 200); 404; 400 without a reason; 409 for a used ticket', async () => {
      const other = await purchase(t.api, `contract-${randomUUID()}`, purchaseBody(t.showtime.id, [[2, 2]]));
      expect(other.status).toBe(200);
      const path = `/api/payments/${other.body.paymentId}/refund`;
      const refunded = await t.api.post(path, { body: { reason: 'Customer request' } });
      const again = await t.api.post(path, { body: { reason: 'Customer request' } });
      const unknown = await t.api.post(`/api/payments/no-such-payment-${randomUUID()}/refund`, {
        body: { reason: 'x' },
      });
      const noReason = await t.api.post(path, { body: {} });
      const usedTicket = await t.api.post(`/api/payments/${bought.answer.body.paymentId}/refund`, {
        body: { reason: 'after the film' },
      });

      expect(refunded.body).toEqual({
        id: other.body.paymentId,
        status: 'Refunded',
        refundedAmount: other.body.totalPrice,
        refundReason: 'Customer request',
      });
      expect([again.status, again.body]).toEqual([200, refunded.body]);
      expect([unknown.status, unknown.body.error]).toEqual([404, 'PaymentNotFound']);
      expect([noReason.status, Object.keys(noReason.body.fields)]).toEqual([400, ['reason']]);
      expect([usedTicket.status, usedTicket.body.error]).toEqual([409, 'TicketAlreadyUsed']);
    });

    it('answers 202 while the refund workflow runs (a node that does not wait)', async () => {
      if (!t.impatient) return;
      const other = await purchase(t.api, `contract-${randomUUID()}`, purchaseBody(t.showtime.id, [[2, 3]]));
      expect(other.status).toBe(200);
      const res = await t.impatient.post(`/api/payments/${other.body.paymentId}/refund`, {
        body: { reason: 'Customer request' },
      });

      expect([res.status, res.body.workflowId]).toEqual([202, `refund-${other.body.paymentId}`]);
    });
  });

  describe('showtimes', () => {
    let scheduledId: string;

    it('schedules (201 + Location); 409 overlap; 404 unknown movie; 422 in the past; 400', async () => {
      // Far beyond the seeded programme, on a minute of its own so reruns never collide.
      const startsAt = new Date(Date.now() + 60 * 86_400_000 + Math.floor(Math.random() * 1e6) * 60_000);
      const body = (at: Date, overrides: Record<string, unknown> = {}) => ({
        movieId: t.showtime.movieId,
        auditoriumId: t.showtime.auditoriumId,
        startsAt: at.toISOString(),
        price: 12.5,
        currency: 'USD',
        ...overrides,
      });
      const created = await t.api.post('/api/showtimes', { body: body(startsAt) });
      const overlap = await t.api.post('/api/showtimes', {
        body: body(new Date(startsAt.getTime() + 1_800_000)),
      });
      const unknownMovie = await t.api.post('/api/showtimes', {
        body: body(startsAt, { movieId: `no-such-movie-${randomUUID()}` }),
      });
      const past = await t.api.post('/api/showtimes', { body: body(new Date(Date.now() - 3_600_000)) });
      const badPrice = await t.api.post('/api/showtimes', { body: body(startsAt, { price: '12.345' }) });

      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/showtimes/${created.body.id}`);
      expect([overlap.status, overlap.body.error]).toEqual([409, 'ShowtimeOverlaps']);
      expect([unknownMovie.status, unknownMovie.body.error]).toEqual([404, 'MovieNotFound']);
      expect([past.status, past.body.error]).toEqual([422, 'ShowtimeInPast']);
      expect(badPrice.status).toBe(400);
      scheduledId = created.body.id;
    });

    it('reads a showtime (gateway: 200); 404; 400', async () => {
      if (!has(t, 'GET /api/showtimes/{id}')) return;
      const showtime = await readable(t, `/api/showtimes/${scheduledId}`);
      const missing = await t.api.get(`/api/showtimes/no-such-showtime-${randomUUID()}`);
      const malformed = await t.api.get(`/api/showtimes/${TOO_LONG_ID}`);

      expect([showtime.body.id, showtime.body.price, showtime.body.seatsAvailable]).toEqual([
        scheduledId,
        12.5,
        showtime.body.capacity,
      ]);
      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(400);
    });

    it('lists showtimes, all and by movie and day (gateway: 200); 400 for a bad date', async () => {
      if (!has(t, 'GET /api/showtimes')) return;
      const day = (await readable(t, `/api/showtimes/${scheduledId}`)).body.startsAt.slice(0, 10);
      const all = await readable(t, '/api/showtimes');
      const filtered = await t.api.get(`/api/showtimes?movieId=${t.showtime.movieId}&date=${day}`);
      const badDate = await t.api.get('/api/showtimes?date=22-11-2026');

      const ids = (res: Answer) => res.body.map((s: { id: string }) => s.id);
      expect(ids(all)).toContain(t.showtime.id);
      expect(filtered.status).toBe(200);
      expect(ids(filtered)).toContain(scheduledId);
      expect(badDate.status).toBe(400);
    });

    it("shows a showtime's seat map (gateway: 200 with the sold seats); 404; 400", async () => {
      if (!has(t, 'GET /api/showtimes/{id}/seats')) return;
      const map = await readable(t, `/api/showtimes/${t.showtime.id}/seats`);
      const missing = await t.api.get(`/api/showtimes/no-such-showtime-${randomUUID()}/seats`);
      const malformed = await t.api.get(`/api/showtimes/${TOO_LONG_ID}/seats`);

      expect(map.body.taken).toEqual(
        expect.arrayContaining([
          // Public: row, number and state, nothing that leads to the buyer.
          { row: 1, number: 1, state: 'Sold' },
        ]),
      );
      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(400);
    });
  });

  describe('web app', () => {
    it("reads an auditorium's layout (200: rows, seats, gaps); 404; 400", async () => {
      const layout = await t.api.get(`/api/auditoriums/${t.showtime.auditoriumId}`);
      const missing = await t.api.get(`/api/auditoriums/no-such-hall-${randomUUID()}`);
      const malformed = await t.api.get(`/api/auditoriums/${TOO_LONG_ID}`);

      expect(layout.status).toBe(200);
      const rows = layout.body.rows as Array<{ seats: number[]; gaps: number[] }>;
      expect(rows.reduce((n, r) => n + r.seats.length, 0)).toBe(layout.body.capacity);
      for (const r of rows) expect(r.seats.length + r.gaps.length).toBe(layout.body.seatsPerRowMax);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('AuditoriumNotFound');
      expect(malformed.status).toBe(400);
    });

    it("lists a showtime's purchases with their Web UI pages (admin: 200); 401, 403; 400", async () => {
      const sagaId = bought.answer.body.sagaId as string;
      // Temporal's visibility store lists a workflow a moment after it started.
      let list: Answer;
      for (;;) {
        list = await t.api.get(`/api/showtimes/${t.showtime.id}/purchases`);
        if (list.status !== 200 || (list.body as Array<{ sagaId: string }>).some((p) => p.sagaId === sagaId))
          break;
        await pause(250);
      }
      const malformed = await t.api.get(`/api/showtimes/${TOO_LONG_ID}/purchases`);
      const anonymous = await t.api.get(`/api/showtimes/${t.showtime.id}/purchases`, anonymously);
      const customer = await t.api.get(`/api/showtimes/${t.showtime.id}/purchases`, asCustomer);

      expect([anonymous.status, customer.status]).toEqual([401, 403]);
      expect(list.status).toBe(200);
      const mine = (list.body as Array<{ sagaId: string; webUiUrl: string }>).find(
        (p) => p.sagaId === sagaId,
      );
      expect(mine?.webUiUrl).toContain(`/workflows/${sagaId}/`);
      expect(malformed.status).toBe(400);
    });

    it("draws a showtime's seat map from its layout (gateway: 200 with each seat's state); 404; 400", async () => {
      if (!has(t, 'GET /api/showtimes/{id}/seat-layout')) return;
      const map = await readable(t, `/api/showtimes/${t.showtime.id}/seat-layout`);
      const missing = await t.api.get(`/api/showtimes/no-such-showtime-${randomUUID()}/seat-layout`);
      const malformed = await t.api.get(`/api/showtimes/${TOO_LONG_ID}/seat-layout`);

      const row1 = (map.body.rows as Array<{ row: number; seats: Array<Record<string, unknown>> }>).find(
        (r) => r.row === 1,
      );
      expect(row1?.seats.find((x) => x.number === 1)).toEqual({ number: 1, state: 'Sold' });
      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(400);
    });

    it('refuses a seat stream of an unknown (404) or malformed (400) showtime (gateway)', async () => {
      if (!has(t, 'GET /api/showtimes/{id}/seats/stream')) return;
      const missing = await t.api.get(`/api/showtimes/no-such-showtime-${randomUUID()}/seats/stream`);
      const malformed = await t.api.get(`/api/showtimes/${TOO_LONG_ID}/seats/stream`);

      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(400);
    });

    it("reports a day's sales per showtime (gateway, admin: 200); 401, 403; 400 for a bad date", async () => {
      if (!has(t, 'GET /api/reports/sales')) return;
      const showtime = await readable(t, `/api/showtimes/${t.showtime.id}`);
      const day = String(showtime.body.startsAt).slice(0, 10);
      const report = await t.api.get(`/api/reports/sales?date=${day}`);
      const badDate = await t.api.get('/api/reports/sales?date=tomorrow');
      const anonymous = await t.api.get(`/api/reports/sales?date=${day}`, anonymously);
      const customer = await t.api.get(`/api/reports/sales?date=${day}`, asCustomer);

      expect([anonymous.status, customer.status]).toEqual([401, 403]);
      expect(report.status).toBe(200);
      expect(report.body.date).toBe(day);
      expect((report.body.showtimes as Array<{ showtimeId: string }>).map((r) => r.showtimeId)).toContain(
        t.showtime.id,
      );
      expect(badDate.status).toBe(400);
    });
  });

  describe('reservations', () => {
    let held: Answer;

    it('holds seats (201 + Location); 409 taken; 404; 422 started; 400', async () => {
      const body = (showtimeId: string, seats: Array<[number, number]>) => ({
        showtimeId,
        customerId,
        seats: seats.map(([row, number]) => ({ row, number })),
      });
      held = await t.api.post('/api/reservations', { body: body(t.showtime.id, [[3, 1]]) });
      const taken = await t.api.post('/api/reservations', { body: body(t.showtime.id, [[3, 1]]) });
      const unknown = await t.api.post('/api/reservations', {
        body: body(`no-such-${randomUUID()}`, [[3, 2]]),
      });
      const started = await t.api.post('/api/reservations', { body: body(t.pastShowtimeId, [[3, 2]]) });
      const noSeats = await t.api.post('/api/reservations', { body: body(t.showtime.id, []) });

      expect([held.status, held.body.status]).toEqual([201, 'Pending']);
      expect(held.headers.get('location')).toBe(`/api/reservations/${held.body.id}`);
      expect([taken.status, taken.body.error]).toEqual([409, 'SeatAlreadyTaken']);
      expect([unknown.status, unknown.body.error]).toEqual([404, 'ShowtimeNotFound']);
      expect([started.status, started.body.error]).toEqual([422, 'ShowtimeInPast']);
      expect(noSeats.status).toBe(400);
    });

    it('reads a reservation (gateway: 200); 404; 400', async () => {
      if (!has(t, 'GET /api/reservations/{id}')) return;
      const reservation = await readable(t, `/api/reservations/${held.body.id}`);
      const missing = await t.api.get(`/api/reservations/no-such-reservation-${randomUUID()}`);
      const malformed = await t.api.get(`/api/reservations/${TOO_LONG_ID}`);

      expect([reservation.body.id, reservation.body.seats]).toEqual([held.body.id, [{ row: 3, number: 1 }]]);
      expect(missing.status).toBe(404);
      expect(malformed.status).toBe(400);
    });

    it("cancels (200, again 200); 404; 409 for a purchase's reservation; 400", async () => {
      const path = `/api/reservations/${held.body.id}/cancel`;
      const cancelled = await t.api.post(path, { body: { reason: 'changed my mind' } });
      const again = await t.api.post(path);
      const unknown = await t.api.post(`/api/reservations/no-such-reservation-${randomUUID()}/cancel`);
      const owned = await t.api.post(`/api/reservations/${bought.answer.body.reservationId}/cancel`);
      const malformed = await t.api.post(`/api/reservations/${TOO_LONG_ID}/cancel`);

      expect([cancelled.status, cancelled.body.status, cancelled.body.cancellationReason]).toEqual([
        200,
        'Cancelled',
        'changed my mind',
      ]);
      expect([again.status, again.body.status]).toEqual([200, 'Cancelled']);
      expect([unknown.status, unknown.body.error]).toEqual([404, 'ReservationNotFound']);
      expect([owned.status, owned.body.error]).toEqual([409, 'ReservationNotCancellable']);
      expect(malformed.status).toBe(400);
    });
  });

  describe('system', () => {
    it('answers GET /health (200) and GET /openapi.json (200)', async () => {
      const health = await t.api.get('/health');
      const document = await t.api.get('/openapi.json');

      expect(health.status).toBe(200);
      expect(document.body).toEqual(t.api.contract.document);
    });

    it('signs in with the development key (gateway: 200 with a token the API accepts; 400)', async () => {
      if (!has(t, 'POST /api/dev/sign-in')) return;
      const signedIn = await t.api.post('/api/dev/sign-in', { body: { sub: customerId, role: 'customer' } });
      const badRole = await t.api.post('/api/dev/sign-in', { body: { sub: customerId, role: 'root' } });

      expect(signedIn.status).toBe(200);
      const mine = await t.api.get(`/api/customers/${customerId}/tickets`, {
        as: `Bearer ${signedIn.body.token as string}`,
      });
      expect(mine.status).toBe(200);
      expect(badRole.status).toBe(400);
    });
  });

  describe('who may call', () => {
    it('answers every guarded operation 401 without a token and 403 for a role it does not list', async () => {
      const checked: string[] = [];
      for (const [method, template, roles] of t.api.contract.guarded()) {
        // Any id: the token is refused before the path or the body is looked at.
        const path = template.replace(/\{[^}]+\}/g, 'TKT-20260101120000-0001');
        const body = method === 'post' ? {} : undefined;
        const anonymous = await t.api.call(method.toUpperCase(), path, { as: null, body });
        expect([template, anonymous.status, anonymous.body.error]).toEqual([
          template,
          401,
          'Unauthenticated',
        ]);
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
        const outsider = ROLES.find((role) => !roles.includes(role));
        if (outsider === undefined) continue;
        const refused = await t.api.call(method.toUpperCase(), path, {
          as: bearer('someone', outsider),
          body,
        });
        expect([template, refused.status, refused.body.error]).toEqual([template, 403, 'Forbidden']);
        checked.push(`${method} ${template}`);
      }
      expect(checked.length).toBeGreaterThan(0);
    });
  });
}
