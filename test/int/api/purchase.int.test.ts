/**
 * The purchase, payment, refund, ticket and reservation examples end to end through the
 * HTTP API, with the real saga worker (workflows + activities + simulated payment provider) on
 * this file's task queue and database. What the commands wrote is read from the write database
 * (the repositories): an API node has no resource GETs, the gateway answers those from the read
 * model (test/int/api/openapi-gateway.int.test.ts, test/e2e/).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type request from 'supertest';
import { trustedRaw } from '../../../db/sql';
import { scheduleShowtime, type ScheduledShowtime } from '../db/fixtures';
import { startApiHarness, type ApiHarness } from './harness';
import { buy, CARDS, purchaseBody, settledStatus, type PurchaseBody } from './purchase-flow';
import { count, rowCounts } from './sql-inspection';
import { reservationBody } from '../../../api/presenters/reservation';
import { asAdmin, asCaller, asCustomer, asStaff, bearer } from '../../support/auth';

let h: ApiHarness;
let scheduled: ScheduledShowtime;
let showtimeId: string;

beforeAll(async () => {
  h = await startApiHarness({ name: 'purchase', sagaWorker: true });
  scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 6, seatsPerRow: 12, priceMinor: 1250 });
  showtimeId = scheduled.showtime.id;
});

afterAll(async () => {
  await h?.close();
});

const liveClaims = (seats: Array<{ row: number; number: number }>) =>
  count(
    h.db,
    `SELECT count(*)::int AS n FROM reservation_seats WHERE showtime_id = '${showtimeId}' AND released_at IS NULL
       AND (seat_row, seat_number) IN (${seats.map((s) => `(${s.row}, ${s.number})`).join(', ')})`,
  );

describe('a successful purchase (POST /api/ticketpurchase 200)', () => {
  const seats = [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ];
  let purchase: request.Response;

  beforeAll(async () => {
    purchase = await buy(h.url, purchaseBody(showtimeId, seats));
  });

  it('answers 200 with the documented ticket details and the saga id', () => {
    expect(purchase.status).toBe(200);
    expect(purchase.body).toEqual({
      success: true,
      ticketId: expect.any(String),
      ticketNumber: expect.stringMatching(/^TKT-\d{14}-\d{4}$/),
      reservationId: expect.any(String),
      paymentId: expect.any(String),
      movieTitle: 'Inception',
      screeningTime: scheduled.showtime.startsAt.toISOString(),
      seats,
      totalPrice: 25,
      sagaId: expect.stringMatching(/^purchase-/),
    });
  });

  it('has a status with four successful steps (GET .../status)', async () => {
    const res = await asCustomer(h.url).get(`/api/ticketpurchase/${purchase.body.sagaId}/status`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sagaId: purchase.body.sagaId,
      status: 'Completed',
      currentStep: 4,
      totalSteps: 4,
      failureReason: null,
      createdAt: expect.any(String),
      completedAt: expect.any(String),
      ticketId: purchase.body.ticketId,
      ticketNumber: purchase.body.ticketNumber,
      stepLogs: [
        {
          stepName: 'ReserveSeats',
          success: true,
          message: expect.any(String),
          timestamp: expect.any(String),
        },
        {
          stepName: 'ProcessPayment',
          success: true,
          message: expect.any(String),
          timestamp: expect.any(String),
        },
        {
          stepName: 'ConfirmReservation',
          success: true,
          message: expect.any(String),
          timestamp: expect.any(String),
        },
        {
          stepName: 'IssueTicket',
          success: true,
          message: expect.any(String),
          timestamp: expect.any(String),
        },
      ],
    });
  });

  it('has a completed payment (write database)', async () => {
    const payment = await h.repos.payments.get(purchase.body.paymentId);

    expect(payment?.toSnapshot()).toMatchObject({
      id: purchase.body.paymentId,
      reservationId: purchase.body.reservationId,
      customerId: 'customer-123',
      amountMinor: 2500,
      currency: 'USD',
      status: 'Completed',
      method: 'CreditCard',
      transactionId: expect.any(String),
      processedAt: expect.any(String),
    });
  });

  it('has a ticket found by id and by number (write database), valid once, used once (Tickets API)', async () => {
    const { ticketId, ticketNumber } = purchase.body;

    const byId = (await h.repos.tickets.get(ticketId))?.toSnapshot();
    const byNumber = (await h.repos.tickets.findByNumber(ticketNumber))?.toSnapshot();
    const validation = await asStaff(h.url).post(`/api/tickets/${ticketId}/validate`);
    const use = await asStaff(h.url).post(`/api/tickets/${ticketId}/use`);
    const secondUse = await asStaff(h.url).post(`/api/tickets/${ticketId}/use`);

    // Its signed QR code is in the TicketIssued event, not in the row: ticket-qr.int.test.ts.
    expect(byId).toMatchObject({
      id: ticketId,
      ticketNumber,
      reservationId: purchase.body.reservationId,
      paymentId: purchase.body.paymentId,
      showtimeId,
      customerId: 'customer-123',
      movieTitle: 'Inception',
      screeningTime: scheduled.showtime.startsAt.toISOString(),
      auditoriumName: scheduled.auditorium.name,
      seats,
      totalAmountMinor: 2500,
      currency: 'USD',
      status: 'Issued',
    });
    expect(byNumber).toEqual(byId);
    expect(validation.status).toBe(200);
    expect(validation.body).toEqual({
      valid: true,
      ticketNumber,
      movieTitle: 'Inception',
      screeningTime: scheduled.showtime.startsAt.toISOString(),
      seats: 'Row 5, Seats 10-11',
    });
    expect(use.status).toBe(200);
    expect(use.body).toEqual({ id: ticketId, status: 'Used', usedAt: expect.any(String) });
    expect(secondUse.status).toBe(409);
    expect(secondUse.body).toMatchObject({ success: false, error: 'TicketAlreadyUsed' });
  });

  it('refuses a refund once the ticket has been used (409), and keeps the money', async () => {
    const res = await asCustomer(h.url)
      .post(`/api/payments/${purchase.body.paymentId}/refund`)
      .send({ reason: 'Customer request' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, error: 'TicketAlreadyUsed' });
    expect((await h.repos.payments.get(purchase.body.paymentId))?.status).toBe('Completed');
  });

  it('can no longer be cancelled (409)', async () => {
    const res = await asCustomer(h.url).post(`/api/ticketpurchase/${purchase.body.sagaId}/cancel`);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, error: 'TooLateToCancel' });
  });
});

describe('a declined card (400 "Compensated: ...")', () => {
  const seats = [{ row: 1, number: 1 }];
  let purchase: request.Response;
  const nofunds = asCaller(bearer('customer-nofunds', 'customer'));

  beforeAll(async () => {
    purchase = await buy(
      h.url,
      purchaseBody(showtimeId, seats, { cardNumber: CARDS.noFunds, customerId: 'customer-nofunds' }),
    );
  });

  it('answers 400 with the compensated reason and the saga id', () => {
    expect(purchase.status).toBe(400);
    expect(purchase.body).toEqual({
      success: false,
      error: expect.stringMatching(/^Compensated: .*insufficient funds/i),
      sagaId: expect.stringMatching(/^purchase-/),
    });
  });

  it('released the seats, charged nothing, issued no ticket, and says so in its status', async () => {
    const status = await nofunds(h.url).get(`/api/ticketpurchase/${purchase.body.sagaId}/status`);

    expect(status.body).toMatchObject({ status: 'Compensated', failureReason: expect.any(String) });
    const steps = status.body.stepLogs.map((l: { stepName: string; success: boolean }) => [
      l.stepName,
      l.success,
    ]);
    // A declined card is a business refusal: nothing was charged, so only the seats are released.
    expect(steps).toEqual([
      ['ReserveSeats', true],
      ['ProcessPayment', false],
      ['ReleaseSeats', true],
    ]);
    expect(await liveClaims(seats)).toBe(0);
    expect(
      await count(
        h.db,
        `SELECT count(*)::int AS n FROM payments WHERE status = 'Completed' AND customer_id = 'customer-nofunds'`,
      ),
    ).toBe(0);
    expect(
      await count(h.db, `SELECT count(*)::int AS n FROM tickets WHERE customer_id = 'customer-nofunds'`),
    ).toBe(0);
  });

  it('has a declined payment that cannot be refunded (409)', async () => {
    const { rows } = await h.db.query(
      trustedRaw(`SELECT id, status FROM payments WHERE customer_id = 'customer-nofunds'`),
    );
    expect(rows).toEqual([{ id: expect.any(String), status: 'Declined' }]);

    const res = await nofunds(h.url)
      .post(`/api/payments/${String(rows[0]?.id)}/refund`)
      .send({ reason: 'Customer request' });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, error: 'PaymentNotCompleted' });
  });
});

describe('a refund (POST /api/payments/{id}/refund)', () => {
  const seats = [
    { row: 2, number: 1 },
    { row: 2, number: 2 },
  ];

  it('refunds, marks the ticket refunded and puts the seats back on sale', async () => {
    const purchase = await buy(h.url, purchaseBody(showtimeId, seats));
    expect(purchase.status).toBe(200);
    expect(await liveClaims(seats)).toBe(2);

    const refund = await asCustomer(h.url)
      .post(`/api/payments/${purchase.body.paymentId}/refund`)
      .send({ reason: 'Customer request' });
    const again = await asCustomer(h.url)
      .post(`/api/payments/${purchase.body.paymentId}/refund`)
      .send({ reason: 'Customer request' });

    expect(refund.status).toBe(200);
    expect(refund.body).toEqual({
      id: purchase.body.paymentId,
      status: 'Refunded',
      refundedAmount: 25,
      refundReason: 'Customer request',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(refund.body);
    expect((await h.repos.tickets.get(purchase.body.ticketId))?.status).toBe('Refunded');
    expect((await h.repos.payments.get(purchase.body.paymentId))?.status).toBe('Refunded');
    expect(await liveClaims(seats)).toBe(0);
    const resale = await buy(h.url, purchaseBody(showtimeId, seats, { customerId: 'customer-456' }));
    expect(resale.status).toBe(200);
  });

  it('refuses a refund without a reason (400) and of an unknown payment (404)', async () => {
    const noReason = await asCustomer(h.url).post('/api/payments/whatever/refund').send({});
    const unknown = await asCustomer(h.url)
      .post('/api/payments/no-such-payment/refund')
      .send({ reason: 'x' });

    expect(noReason.status).toBe(400);
    expect(noReason.body.fields).toEqual({ reason: expect.any(String) });
    expect(unknown.status).toBe(404);
  });
});

describe('Idempotency-Key', () => {
  it('ten concurrent POSTs with one key run one saga, charge once and get the same answer', async () => {
    const key = randomUUID();
    const body = purchaseBody(showtimeId, [{ row: 3, number: 7 }], { customerId: 'customer-idem' });

    const answers = await Promise.all(Array.from({ length: 10 }, () => buy(h.url, body, key)));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
    const workflows = [];
    for await (const wf of h.temporal.workflow.list({ query: `WorkflowId = "purchase-${key}"` }))
      workflows.push(wf);
    expect(workflows).toHaveLength(1);
    expect(
      await count(h.db, `SELECT count(*)::int AS n FROM payments WHERE customer_id = 'customer-idem'`),
    ).toBe(1);
    expect(
      await count(h.db, `SELECT count(*)::int AS n FROM tickets WHERE customer_id = 'customer-idem'`),
    ).toBe(1);
  });

  it('answers a later retry with the first answer, and refuses the key for a different body (409)', async () => {
    const key = randomUUID();
    const body = purchaseBody(showtimeId, [{ row: 3, number: 9 }], { customerId: 'customer-retry' });
    const first = await buy(h.url, body, key);
    const before = await rowCounts(h.db);

    const retry = await buy(h.url, body, key);
    const different = await buy(h.url, { ...body, seats: [{ row: 3, number: 10 }] }, key);

    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({
      success: false,
      error: 'IdempotencyKeyReused',
      sagaId: `purchase-${key}`,
    });
    expect(await rowCounts(h.db)).toEqual(before);
  });
});

describe('seats already held or sold (409 SeatAlreadyTaken before any workflow starts)', () => {
  const sold = [{ row: 2, number: 7 }];
  const held = [{ row: 2, number: 8 }];
  const ownerKey = randomUUID();
  let owner: PurchaseBody;
  const late = asCaller(bearer('customer-late', 'customer'));
  let first: request.Response;

  beforeAll(async () => {
    owner = purchaseBody(showtimeId, sold, { customerId: 'customer-first' });
    first = await buy(h.url, owner, ownerKey);
    const hold = await asCaller(bearer('customer-holder', 'customer'))(h.url)
      .post('/api/reservations')
      .send({ showtimeId, seats: held });
    expect([first.status, hold.status]).toEqual([200, 201]);
  });

  it('turns a buyer away without a saga, a row or a charge, and still answers the keyed owner', async () => {
    const before = await rowCounts(h.db);
    const lateKeys = [randomUUID(), randomUUID()];

    const soldOut = await buy(
      h.url,
      purchaseBody(showtimeId, sold, { customerId: 'customer-late' }),
      lateKeys[0],
    );
    const onHold = await buy(
      h.url,
      purchaseBody(showtimeId, [{ row: 2, number: 9 }, ...held], { customerId: 'customer-late' }),
      lateKeys[1],
    );
    const ownerRetry = await buy(h.url, owner, ownerKey);

    expect([soldOut.status, soldOut.body]).toEqual([
      409,
      expect.objectContaining({
        success: false,
        error: 'SeatAlreadyTaken',
        message: 'row 2 seat 7 is already taken',
      }),
    ]);
    expect([onHold.status, onHold.body.error]).toEqual([409, 'SeatAlreadyTaken']);
    expect([ownerRetry.status, ownerRetry.body]).toEqual([200, first.body]);
    expect(await rowCounts(h.db)).toEqual(before);
    for (const key of lateKeys) {
      await expect(h.temporal.workflow.getHandle(`purchase-${key}`).describe()).rejects.toThrow(/not found/i);
    }
  });

  it('refuses a hold of them the same way, without a hold workflow', async () => {
    const holdWorkflows = async () =>
      (await h.temporal.workflow.count(`TaskQueue = "${h.taskQueue}" AND WorkflowType = "reservationHold"`))
        .count;
    const before = await holdWorkflows();

    const refused = await late(h.url).post('/api/reservations').send({ showtimeId, seats: sold });
    const control = await late(h.url)
      .post('/api/reservations')
      .send({ showtimeId, seats: [{ row: 2, number: 10 }] });

    expect([refused.status, refused.body.error, control.status]).toEqual([409, 'SeatAlreadyTaken', 201]);
    // The list is written shortly after each start: wait for the control's hold, then a little more.
    for (let n = 0; n < 100 && (await holdWorkflows()) === before; n++) await sleep(100);
    await sleep(500);
    expect(await holdWorkflows()).toBe(before + 1);
  });
});

describe('a saga that outlives the response wait (202) and a cancel in flight', () => {
  it('answers 202 with the status URL, then reaches its outcome', async () => {
    const impatient = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 0, nodeId: 'api-impatient' });

    const res = await buy(impatient, purchaseBody(showtimeId, [{ row: 4, number: 1 }]));

    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      success: true,
      pending: true,
      sagaId: expect.stringMatching(/^purchase-/),
      status: 'InProgress',
      statusUrl: `/api/ticketpurchase/${res.body.sagaId}/status`,
    });
    expect(res.headers.location).toBe(res.body.statusUrl);
    expect((await settledStatus(h.url, res.body.sagaId)).status).toBe('Completed');
  });

  it('cancels a purchase stuck at payment: compensated, seats free, nothing charged', async () => {
    const impatient = await h.startApp({ PURCHASE_RESPONSE_WAIT_MS: 0, nodeId: 'api-cancel' });
    const seats = [{ row: 4, number: 5 }];
    const started = await buy(
      impatient,
      purchaseBody(showtimeId, seats, { cardNumber: '4000000000000259', customerId: 'customer-hang' }),
    );
    expect(started.status).toBe(202);
    await untilStep(started.body.sagaId, 'ReserveSeats');

    const cancel = await asCaller(bearer('customer-hang', 'customer'))(h.url)
      .post(`/api/ticketpurchase/${started.body.sagaId}/cancel`)
      .send({ reason: 'changed my mind' });

    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ sagaId: started.body.sagaId, status: 'Compensated' });
    expect(await liveClaims(seats)).toBe(0);
    expect(
      await count(
        h.db,
        `SELECT count(*)::int AS n FROM payments WHERE customer_id = 'customer-hang' AND status = 'Completed'`,
      ),
    ).toBe(0);
  });
});

describe('plain reservations (POST /api/reservations)', () => {
  const seats = [
    { row: 6, number: 1 },
    { row: 6, number: 2 },
  ];

  it('holds seats (201), refuses them to others (409), cancels (200, twice) and frees them', async () => {
    const holder = asCaller(bearer('customer-hold', 'customer'));
    const held = await holder(h.url)
      .post('/api/reservations')
      .send({ showtimeId, customerId: 'customer-hold', seats });
    // No customerId: the token's subject holds.
    const clash = await asCaller(bearer('customer-other', 'customer'))(h.url)
      .post('/api/reservations')
      .send({ showtimeId, seats: [seats[1]] });

    expect(held.status).toBe(201);
    expect(held.body).toEqual({
      id: expect.any(String),
      showtimeId,
      customerId: 'customer-hold',
      seats,
      status: 'Pending',
      totalPrice: 25,
      currency: 'USD',
      holdExpiresAt: expect.any(String),
      createdAt: expect.any(String),
      confirmedAt: null,
      cancelledAt: null,
      cancellationReason: null,
      expiredAt: null,
    });
    expect(held.headers.location).toBe(`/api/reservations/${held.body.id}`);
    const stored = await h.repos.reservations.get(String(held.body.id));
    expect(stored && reservationBody(stored)).toEqual(held.body);
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ success: false, error: 'SeatAlreadyTaken' });

    const cancelled = await holder(h.url)
      .post(`/api/reservations/${held.body.id}/cancel`)
      .send({ reason: 'no' });
    const cancelledAgain = await holder(h.url).post(`/api/reservations/${held.body.id}/cancel`);

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: held.body.id, status: 'Cancelled', cancellationReason: 'no' });
    expect(cancelledAgain.status).toBe(200);
    expect(cancelledAgain.body.status).toBe('Cancelled');
    expect(await liveClaims(seats)).toBe(0);
  });

  it('answers 404 for an unknown showtime or reservation, 409 for a purchase-owned reservation', async () => {
    const unknownShowtime = await asCustomer(h.url)
      .post('/api/reservations')
      .send({ showtimeId: 'no-such-showtime', seats: [{ row: 1, number: 1 }] });
    const unknownReservation = await asCustomer(h.url).post(`/api/reservations/${randomUUID()}/cancel`);
    const purchase = await buy(h.url, purchaseBody(showtimeId, [{ row: 6, number: 9 }]));
    const purchaseOwned = await asCustomer(h.url).post(
      `/api/reservations/${purchase.body.reservationId}/cancel`,
    );

    expect(unknownShowtime.status).toBe(404);
    expect(unknownReservation.status).toBe(404);
    expect(purchaseOwned.status).toBe(409);
  });
});

/** Polls the status until `step` has succeeded (the saga is then past it). */
async function untilStep(sagaId: string, step: string): Promise<void> {
  for (;;) {
    const res = await asAdmin(h.url).get(`/api/ticketpurchase/${sagaId}/status`);
    const logs: Array<{ stepName: string; success: boolean }> = res.body.stepLogs ?? [];
    if (logs.some((l) => l.stepName === step && l.success)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
