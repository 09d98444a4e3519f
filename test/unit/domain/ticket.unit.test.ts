import type { PaymentFacts, ReservationFacts, IssueTicket } from '../../../domain/ticket/ticket';
import { qrCodeFor, Ticket } from '../../../domain/ticket/ticket';
import { randomBytes } from 'node:crypto';
import { TICKET_NUMBER_ENTROPY_BYTES, TicketNumber } from '../../../domain/ticket/ticket-number';
import { expectErr, expectOk, testContext, type TestContext } from './fakes';

const NOW = '2025-01-08T12:34:56Z';
const number = () => expectOk(TicketNumber.parse('TKT-20250108123456-1234'));

const reservation: ReservationFacts = {
  id: 'res-1',
  status: 'Confirmed',
  showtimeId: 'showtime-1',
  customerId: 'customer-123',
  seats: [
    { row: 5, number: 11 },
    { row: 5, number: 10 },
  ],
  totalAmountMinor: 2500,
  currency: 'USD',
};
const payment: PaymentFacts = {
  id: 'pay-xyz789',
  status: 'Completed',
  reservationId: 'res-1',
  amountMinor: 2500,
  currency: 'USD',
};

const command = (overrides: Partial<IssueTicket> = {}): IssueTicket => ({
  id: 'ticket-abc123',
  ticketNumber: number(),
  reservation,
  payment,
  movieTitle: 'Inception',
  screeningTime: '2025-12-12T20:00:00Z',
  auditoriumName: 'Hall 1',
  ...overrides,
});

const issued = (ctx: TestContext = testContext(NOW)) => {
  const ticket = expectOk(Ticket.issue(command(), ctx));
  ticket.pullEvents();
  return ticket;
};

describe('TicketNumber', () => {
  it('turns random bytes into 18 digits in the shape TKT-NNNNNNNNNNNNNN-NNNN', () => {
    const zeros = expectOk(TicketNumber.fromEntropy(new Uint8Array(TICKET_NUMBER_ENTROPY_BYTES)));
    const ones = expectOk(TicketNumber.fromEntropy(new Uint8Array(TICKET_NUMBER_ENTROPY_BYTES).fill(255)));

    expect(zeros.value).toBe('TKT-00000000000000-0000');
    // 2^80 - 1 = 1208925819614629174706175; its last 18 digits.
    expect(ones.value).toBe('TKT-81961462917470-6175');
    expect(JSON.stringify({ n: ones })).toBe('{"n":"TKT-81961462917470-6175"}');
    expect(`${ones}`).toBe('TKT-81961462917470-6175');
  });

  it('owes nothing to the time of sale: numbers drawn in one instant share no prefix', () => {
    const drawn = Array.from(
      { length: 200 },
      () => expectOk(TicketNumber.fromEntropy(randomBytes(TICKET_NUMBER_ENTROPY_BYTES))).value,
    );

    expect(new Set(drawn).size).toBe(200);
    expect(new Set(drawn.map((n) => n.slice(0, 10))).size).toBeGreaterThan(190);
    for (const n of drawn) expect(n).toMatch(/^TKT-\d{14}-\d{4}$/);
  });

  it('refuses too little entropy', () => {
    expectErr(
      TicketNumber.fromEntropy(new Uint8Array(TICKET_NUMBER_ENTROPY_BYTES - 1)),
      'InvalidTicketNumber',
    );
  });

  it('parses its own numbers and the ones issued before (case and spaces forgiven)', () => {
    const drawn = expectOk(TicketNumber.fromEntropy(randomBytes(TICKET_NUMBER_ENTROPY_BYTES)));

    expect(expectOk(TicketNumber.parse(drawn.value)).equals(drawn)).toBe(true);
    expect(expectOk(TicketNumber.parse(' tkt-20250108123456-1234 ')).value).toBe('TKT-20250108123456-1234');
  });

  it.each([
    'TKT-2025010812345-1234', // 13 digits
    'TKT-20250108123456-123', // 3 digits
    'TKT-20250108123456-12345',
    'TCK-20250108123456-1234',
    'TKT-2025010812345X-1234',
    '',
  ])('refuses %p', (value) => {
    expectErr(TicketNumber.parse(value), 'InvalidTicketNumber');
  });

  it('refuses non-strings', () => {
    expectErr(TicketNumber.parse(20250108123456), 'InvalidTicketNumber');
  });
});

describe('Ticket.issue', () => {
  it('carries the QR code its issuer signed, in the ticket and in TicketIssued', () => {
    const ticket = expectOk(Ticket.issue(command({ qrCode: 'header.claims.signature' }), testContext(NOW)));

    expect(ticket.qrCode).toBe('header.claims.signature');
    expect(ticket.pullEvents()[0]?.payload).toMatchObject({ qrCode: 'header.claims.signature' });
  });

  it('issues a ticket for a confirmed reservation and a completed payment', () => {
    const ticket = expectOk(Ticket.issue(command(), testContext(NOW)));
    expect(ticket.qrCode).toBe('QR:ticket-abc123:TKT-20250108123456-1234');
    expect(qrCodeFor('t1', 'TKT-1')).toBe('QR:t1:TKT-1');
    expect(ticket.toSnapshot()).toEqual({
      id: 'ticket-abc123',
      ticketNumber: 'TKT-20250108123456-1234',
      reservationId: 'res-1',
      paymentId: 'pay-xyz789',
      showtimeId: 'showtime-1',
      customerId: 'customer-123',
      movieTitle: 'Inception',
      screeningTime: '2025-12-12T20:00:00.000Z',
      auditoriumName: 'Hall 1',
      seats: [
        { row: 5, number: 10 },
        { row: 5, number: 11 },
      ],
      totalAmountMinor: 2500,
      currency: 'USD',
      status: 'Issued',
      issuedAt: '2025-01-08T12:34:56.000Z',
      usedAt: null,
      voidedAt: null,
      voidReason: null,
      refundedAt: null,
      refundReason: null,
      version: 1,
    });
    const [event] = ticket.pullEvents();
    expect(event).toMatchObject({
      eventType: 'TicketIssued',
      aggregateType: 'Ticket',
      aggregateVersion: 1,
      payload: {
        ticketNumber: 'TKT-20250108123456-1234',
        qrCode: 'QR:ticket-abc123:TKT-20250108123456-1234',
      },
    });
  });

  it.each(['Pending', 'Cancelled', 'Expired'] as const)('refuses a %s reservation', (status) => {
    expectErr(
      Ticket.issue(command({ reservation: { ...reservation, status } }), testContext(NOW)),
      'ReservationNotConfirmed',
    );
  });

  it.each(['Pending', 'Processing', 'Declined', 'Refunded', 'Failed'] as const)(
    'refuses a %s payment',
    (status) => {
      expectErr(
        Ticket.issue(command({ payment: { ...payment, status } }), testContext(NOW)),
        'PaymentNotCompleted',
      );
    },
  );

  it('refuses a payment of another reservation or of another amount', () => {
    expectErr(
      Ticket.issue(command({ payment: { ...payment, reservationId: 'res-2' } }), testContext(NOW)),
      'PaymentReservationMismatch',
    );
    expectErr(
      Ticket.issue(command({ payment: { ...payment, amountMinor: 2400 } }), testContext(NOW)),
      'PaymentAmountMismatch',
    );
    expectErr(
      Ticket.issue(command({ payment: { ...payment, currency: 'EUR' } }), testContext(NOW)),
      'PaymentAmountMismatch',
    );
  });

  it('refuses missing screening details and bad ids', () => {
    expectErr(Ticket.issue(command({ movieTitle: ' ' }), testContext(NOW)), 'InvalidTicketDetails');
    expectErr(Ticket.issue(command({ screeningTime: 'tomorrow' }), testContext(NOW)), 'InvalidInstant');
    expectErr(Ticket.issue(command({ id: '' }), testContext(NOW)), 'InvalidId');
  });
});

describe('Ticket lifecycle', () => {
  it('validates an issued ticket in the documented shape', () => {
    expect(issued().validate()).toEqual({
      valid: true,
      reason: null,
      ticketNumber: 'TKT-20250108123456-1234',
      movieTitle: 'Inception',
      screeningTime: '2025-12-12T20:00:00.000Z',
      seats: 'Row 5, Seats 10-11',
    });
  });

  it('uses an issued ticket once', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    ctx.clock.set('2025-12-12T19:55:00Z');
    expectOk(ticket.use(ctx));
    expect(ticket.status).toBe('Used');
    expect(ticket.usedAt?.toISOString()).toBe('2025-12-12T19:55:00.000Z');
    expect(ticket.pullEvents()[0]).toMatchObject({ eventType: 'TicketUsed', aggregateVersion: 2 });
    expect(ticket.validate()).toMatchObject({ valid: false, reason: 'Ticket already used' });
  });

  it('refuses a second use with TicketAlreadyUsed and raises nothing', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    expectOk(ticket.use(ctx));
    ticket.pullEvents();
    expectErr(ticket.use(ctx), 'TicketAlreadyUsed');
    expect(ticket.pullEvents()).toEqual([]);
  });

  it('voids an issued ticket (TicketCancelled), idempotently, and then refuses to use it', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    expectOk(ticket.void('Saga compensation', ctx));
    expectOk(ticket.void('again', ctx));
    expect(ticket.status).toBe('Voided');
    expect(ticket.pullEvents().map((e) => e.eventType)).toEqual(['TicketCancelled']);
    expect(ticket.toSnapshot().voidReason).toBe('Saga compensation');
    expectErr(ticket.use(ctx), 'TicketVoided');
    expectErr(ticket.refund('x', ctx), 'TicketVoided');
    expect(ticket.validate()).toMatchObject({ valid: false, reason: 'Ticket has been voided' });
  });

  it('refunds an issued ticket, idempotently, and then refuses to use or void it', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    expectOk(ticket.refund('Customer request', ctx));
    expectOk(ticket.refund('again', ctx));
    expect(ticket.status).toBe('Refunded');
    expect(ticket.pullEvents().map((e) => e.eventType)).toEqual(['TicketRefunded']);
    expectErr(ticket.use(ctx), 'TicketRefunded');
    expectErr(ticket.void('x', ctx), 'TicketRefunded');
    expect(ticket.validate()).toMatchObject({ valid: false, reason: 'Ticket has been refunded' });
  });

  it('refuses admission once its payment has begun refunding, and admits with a completed payment', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    expectErr(ticket.use(ctx, { status: 'Refunding' }), 'TicketRefunded');
    expect(ticket.validate({ status: 'Refunding' })).toMatchObject({
      valid: false,
      reason: 'Ticket is being refunded',
    });
    expectOk(ticket.use(ctx, { status: 'Completed' }));
  });

  it('refuses to void or refund a used ticket', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    expectOk(ticket.use(ctx));
    expectErr(ticket.void('x', ctx), 'TicketAlreadyUsed');
    expectErr(ticket.refund('x', ctx), 'TicketAlreadyUsed');
  });

  it('round-trips its snapshot through JSON', () => {
    const ctx = testContext(NOW);
    const ticket = issued(ctx);
    expectOk(ticket.use(ctx));
    const copy = Ticket.fromSnapshot(JSON.parse(JSON.stringify(ticket.toSnapshot())));
    expect(copy.toSnapshot()).toEqual(ticket.toSnapshot());
    expectErr(copy.use(ctx), 'TicketAlreadyUsed');
    expect(() => Ticket.fromSnapshot({ ...ticket.toSnapshot(), ticketNumber: 'nope' })).toThrow(
      /corrupt ticket/,
    );
  });
});
