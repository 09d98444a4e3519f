/**
 * The API edge on real services, without a saga worker: request ids, error JSON, validation (and
 * proof in SQL that a refused request wrote nothing), and the routes that need no saga: showtimes,
 * ticket use, refund refusals, health, the saga routes' not-found answers, and no resource GETs
 * (those are the gateway's, from the read model).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { saveIssuedTicket, type ScheduledShowtime, scheduleShowtime, testContext } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { rowCounts } from './sql-inspection';
import { showtimeBody } from '../../../api/presenters/showtime';
import { asAdmin, asCustomer, asStaff } from '../../support/auth';

const CARD = '4111111111111111';

let h: ApiHarness;
let scheduled: ScheduledShowtime;

const validPurchase = () => ({
  showtimeId: scheduled.showtime.id,
  customerId: 'customer-123',
  seats: [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ],
  paymentMethod: 'CreditCard',
  cardNumber: CARD,
  cardHolderName: 'John Doe',
});

beforeAll(async () => {
  h = await startApiHarness({ name: 'edge' });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 6, seatsPerRow: 12 });
});

afterAll(async () => {
  await h?.close();
});

describe('request ids and error JSON', () => {
  it('echoes a usable X-Request-Id and mints a UUID otherwise', async () => {
    const echoed = await request(h.url).get('/health').set('X-Request-Id', 'gw-abc.123');
    const minted = await request(h.url).get('/health');
    const replaced = await request(h.url).get('/health').set('X-Request-Id', 'not ok; drop table');

    expect(echoed.headers['x-request-id']).toBe('gw-abc.123');
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.appLogs.text()).toContain('"requestId":"gw-abc.123"');
  });

  it('answers unknown routes with 404 JSON', async () => {
    const res = await request(h.url).get('/api/nothing-here');

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      success: false,
      error: 'NotFound',
      message: 'No route for GET /api/nothing-here',
    });
  });

  it('answers malformed JSON with 400 and quotes the body nowhere', async () => {
    const broken = `{"showtimeId": "x", "cardNumber": "${CARD}", `;

    const res = await asCustomer(h.url)
      .post('/api/ticketpurchase')
      .set('Content-Type', 'application/json')
      .send(broken);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      error: 'MalformedJson',
      message: 'The request body is not valid JSON',
    });
    expect(res.text).not.toContain(CARD);
    expect(h.appLogs.text()).not.toContain(CARD);
  });
});

describe('POST /api/ticketpurchase validation', () => {
  const cases: Array<[string, (body: Record<string, unknown>) => unknown, string[]]> = [
    // customerId may be left out: the token says who buys.
    ['no body fields at all', () => ({}), ['showtimeId', 'seats', 'paymentMethod']],
    ['no seats', (b) => ({ ...b, seats: [] }), ['seats']],
    ['eleven seats', (b) => ({ ...b, seats: seatsInRow(11) }), ['seats']],
    [
      'a seat listed twice',
      (b) => ({
        ...b,
        seats: [
          { row: 1, number: 1 },
          { row: 1, number: 1 },
        ],
      }),
      ['seats.1'],
    ],
    [
      'a seat that is not a position',
      (b) => ({ ...b, seats: [{ row: 0, number: 1.5 }] }),
      ['seats.0.row', 'seats.0.number'],
    ],
    ['an unknown payment method', (b) => ({ ...b, paymentMethod: 'Cash' }), ['paymentMethod']],
    ['a card method without a card', (b) => ({ ...b, cardNumber: undefined }), ['cardNumber']],
    ['a card number failing the checksum', (b) => ({ ...b, cardNumber: '4111111111111112' }), ['cardNumber']],
    ['a card number with letters', (b) => ({ ...b, cardNumber: '4111-1111-abcd-1111' }), ['cardNumber']],
    ['a card number with a wallet', (b) => ({ ...b, paymentMethod: 'PayPal' }), ['cardNumber']],
    ['a card number as the holder name', (b) => ({ ...b, cardHolderName: CARD }), ['cardHolderName']],
    ['a malformed showtime id', (b) => ({ ...b, showtimeId: 'no spaces allowed' }), ['showtimeId']],
    ['a body that is not an object', () => [1, 2, 3], ['body']],
  ];

  it.each(cases)('refuses %s with 400 field errors and writes nothing', async (_name, mutate, fields) => {
    const before = await rowCounts(h.db);

    const res = await asCustomer(h.url)
      .post('/api/ticketpurchase')
      .send(mutate(validPurchase()) as object);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: 'ValidationFailed' });
    expect(typeof res.body.message).toBe('string');
    expect(Object.keys(res.body.fields).sort()).toEqual([...fields].sort());
    expect(res.text).not.toContain(CARD);
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it('refuses a malformed Idempotency-Key and starts no saga', async () => {
    const before = await rowCounts(h.db);

    const res = await asCustomer(h.url)
      .post('/api/ticketpurchase')
      .set('Idempotency-Key', 'spaces are not allowed')
      .send(validPurchase());

    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ 'Idempotency-Key': expect.any(String) });
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it('answers 404 for an unknown showtime and starts no saga', async () => {
    const key = randomUUID();
    const before = await rowCounts(h.db);

    const res = await asCustomer(h.url)
      .post('/api/ticketpurchase')
      .set('Idempotency-Key', key)
      .send({ ...validPurchase(), showtimeId: 'no-such-showtime' });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      success: false,
      error: 'ShowtimeNotFound',
      message: 'No showtime no-such-showtime',
    });
    expect(await rowCounts(h.db)).toEqual(before);
    await expect(h.temporal.workflow.getHandle(`purchase-${key}`).describe()).rejects.toThrow(/not found/i);
  });

  it('answers 400 for a showtime that has already started', async () => {
    const past = await scheduleShowtime(h.uow, testContext(new Date(Date.now() - 72 * 3_600_000)), {
      startsInHours: 48,
    });

    const res = await asCustomer(h.url)
      .post('/api/ticketpurchase')
      .send({ ...validPurchase(), showtimeId: past.showtime.id });

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, error: 'ShowtimeInPast' });
  });
});

describe('purchase saga routes without a saga', () => {
  it('answers 404 for the status and cancel of an unknown saga', async () => {
    const id = `purchase-${randomUUID()}`;

    const status = await asAdmin(h.url).get(`/api/ticketpurchase/${id}/status`);
    const cancel = await asAdmin(h.url).post(`/api/ticketpurchase/${id}/cancel`);

    expect(status.status).toBe(404);
    expect(status.body).toMatchObject({ success: false, error: 'SagaNotFound' });
    expect(cancel.status).toBe(404);
    expect(cancel.body).toMatchObject({ success: false, error: 'SagaNotFound' });
  });

  it('answers 400 for a saga id that is not a purchase saga id', async () => {
    const res = await asAdmin(h.url).get('/api/ticketpurchase/refund-123/status');

    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ sagaId: expect.any(String) });
  });
});

describe('POST /api/showtimes', () => {
  const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  const body = (startsAt: string) => ({
    movieId: scheduled.movie.id,
    auditoriumId: scheduled.auditorium.id,
    startsAt,
    price: 12.5,
    currency: 'USD',
  });

  it('schedules a showtime (201) that the write database holds as answered', async () => {
    const created = await asAdmin(h.url)
      .post('/api/showtimes')
      .send(body(at(96)));

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      movieId: scheduled.movie.id,
      movieTitle: 'Inception',
      auditoriumId: scheduled.auditorium.id,
      auditoriumName: scheduled.auditorium.name,
      startsAt: expect.any(String),
      endsAt: expect.any(String),
      price: 12.5,
      currency: 'USD',
      capacity: 72,
      seatsAvailable: 72,
    });
    expect(created.headers.location).toBe(`/api/showtimes/${created.body.id}`);
    // The GET is the gateway's (read model); here the row itself, shown as the 201 showed it.
    const id = String(created.body.id);
    const details = await h.repos.showtimes.getDetails(id);
    expect(details).not.toBeNull();
    expect(showtimeBody(details!, await h.repos.reservations.takenSeats(id))).toEqual(created.body);
  });

  it('refuses an overlapping showtime in the same auditorium with 409 and writes nothing', async () => {
    expect(
      (
        await asAdmin(h.url)
          .post('/api/showtimes')
          .send(body(at(120)))
      ).status,
    ).toBe(201);
    const before = await rowCounts(h.db);

    const res = await asAdmin(h.url)
      .post('/api/showtimes')
      .send(body(at(121)));

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, error: 'ShowtimeOverlaps' });
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it('answers 404 for an unknown movie, 422 for a start in the past, 400 for a bad price', async () => {
    const unknownMovie = await asAdmin(h.url)
      .post('/api/showtimes')
      .send({ ...body(at(200)), movieId: 'no-such-movie' });
    const past = await asAdmin(h.url)
      .post('/api/showtimes')
      .send(body(at(-1)));
    const badPrice = await asAdmin(h.url)
      .post('/api/showtimes')
      .send({ ...body(at(200)), price: '12.345' });

    expect(unknownMovie.status).toBe(404);
    expect(unknownMovie.body.error).toBe('MovieNotFound');
    expect(past.status).toBe(422);
    expect(past.body.error).toBe('ShowtimeInPast');
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.error).toBe('InvalidMoney');
  });
});

describe('tickets and payments (rows written directly, no saga)', () => {
  let ticketId: string;
  let ticketNumber: string;
  let paymentId: string;
  let reservationId: string;

  beforeAll(async () => {
    const { payment, reservation, ticket } = await saveIssuedTicket(h.uow, h.ctx, scheduled, [
      { row: 2, number: 4 },
      { row: 2, number: 5 },
    ]);
    ticketId = ticket.id;
    ticketNumber = ticket.ticketNumber.value;
    paymentId = payment.id;
    reservationId = reservation.id;
  });

  it("are not read from an API node: no such route (the gateway's GETs answer from the read model)", async () => {
    const paths = [
      `/api/payments/${paymentId}`,
      `/api/tickets/${ticketId}`,
      `/api/tickets/by-number/${ticketNumber}`,
      `/api/reservations/${reservationId}`,
      `/api/showtimes/${scheduled.showtime.id}`,
    ];
    for (const path of paths) {
      const res = await asAdmin(h.url).get(path);

      expect([path, res.status, res.body]).toEqual([
        path,
        404,
        { success: false, error: 'NotFound', message: `No route for GET ${path}` },
      ]);
    }
  });

  it('validates, uses once, and refuses a second use with 409', async () => {
    const valid = await asStaff(h.url).post(`/api/tickets/${ticketId}/validate`);
    const used = await asStaff(h.url).post(`/api/tickets/${ticketId}/use`);
    const again = await asStaff(h.url).post(`/api/tickets/${ticketId}/use`);
    const invalid = await asStaff(h.url).post(`/api/tickets/${ticketId}/validate`);

    expect(valid.status).toBe(200);
    expect(valid.body).toEqual({
      valid: true,
      ticketNumber,
      movieTitle: 'Inception',
      screeningTime: scheduled.showtime.startsAt.toISOString(),
      seats: 'Row 2, Seats 4-5',
    });
    expect(used.status).toBe(200);
    expect(used.body).toEqual({ id: ticketId, status: 'Used', usedAt: expect.any(String) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ success: false, error: 'TicketAlreadyUsed' });
    expect(invalid.body).toMatchObject({ valid: false, reason: 'Ticket already used' });
  });

  it('answers 404 for unknown tickets at the door and for refunds of unknown payments', async () => {
    expect((await asStaff(h.url).post('/api/tickets/nope/use')).status).toBe(404);
    expect((await asStaff(h.url).post('/api/tickets/nope/validate')).body.error).toBe('TicketNotFound');
    const refund = await asAdmin(h.url).post('/api/payments/nope/refund').send({ reason: 'x' });
    expect([refund.status, refund.body.error]).toEqual([404, 'PaymentNotFound']);
  });
});

describe('GET /health', () => {
  // This node has no read service to ask: kafka, redis and mongo are unknown, hence Unhealthy, but
  // a node does not need them (the outages themselves are in health.int.test.ts).
  it('answers 200 on the database and Temporal alone', async () => {
    const res = await request(h.url).get('/health');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'Healthy',
      checks: {
        database: 'Healthy',
        kafka: 'Unhealthy',
        redis: 'Unhealthy',
        mongo: 'Unhealthy',
        temporal: 'Healthy',
      },
    });
  });
});

function seatsInRow(count: number) {
  return Array.from({ length: count }, (_, i) => ({ row: 1, number: i + 1 }));
}
