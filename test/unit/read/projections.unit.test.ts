import { createHash } from 'node:crypto';

import { EVENT_CATALOGUE, type DomainEventType } from '../../../domain/events';
import { decodeEnvelope, PoisonEventError, type ReadEnvelope } from '../../../read-service/decode';
import { project } from '../../../read-service/projections';
import { BatchFold, fieldKey, materialize } from '../../../read-service/views';

/**
 * The event id of a test event, as the outbox requires ids (domain/envelope.ts: 8-4-4-4-12 hex),
 * made from its type and version so a test can name it.
 */
const eventIdOf = (eventType: DomainEventType, version: number): string => {
  const hex = createHash('sha256').update(`${eventType}-${version}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** The envelope as JSON on the wire. */
const raw = (
  eventType: DomainEventType,
  aggregateId: string,
  version: number,
  payload: Record<string, unknown>,
) => ({
  eventId: eventIdOf(eventType, version),
  eventType,
  aggregateType: EVENT_CATALOGUE[eventType],
  aggregateId,
  aggregateVersion: version,
  occurredAt: '2025-01-08T12:00:00.000Z',
  schemaVersion: 1,
  correlationId: null,
  payload,
});

/** The envelope as the read side has it: decoded, its payload parsed by the event's schema. */
const ev = (...args: Parameters<typeof raw>): ReadEnvelope =>
  decodeEnvelope(Buffer.from(JSON.stringify(raw(...args))));

const seats = [{ row: 5, number: 10 }];

describe('decodeEnvelope', () => {
  const good = raw('TicketUsed', 't1', 2, {
    ticketId: 't1',
    ticketNumber: 'TKT-1',
    usedAt: '2025-01-08T12:00:00Z',
  });

  test('reads the relay JSON envelope', () => {
    const traced = { ...good, correlationId: 'saga-1', requestId: 'req-1' };
    expect(decodeEnvelope(Buffer.from(JSON.stringify(traced)))).toEqual(traced);
  });

  test('reads an envelope written before request ids were recorded with a null request id', () => {
    expect(good).not.toHaveProperty('requestId');
    expect(decodeEnvelope(Buffer.from(JSON.stringify(good)))).toEqual({ ...good, requestId: null });
  });

  test.each([
    ['not JSON', '{'],
    ['empty', ''],
    ['unknown event type', JSON.stringify({ ...good, eventType: 'Nope' })],
    ['aggregate type mismatch', JSON.stringify({ ...good, aggregateType: 'Payment' })],
    ['unsupported schema version', JSON.stringify({ ...good, schemaVersion: 99 })],
    ['missing version', JSON.stringify({ ...good, aggregateVersion: undefined })],
  ])('%s is poison', (_name, value) => {
    expect(() => decodeEnvelope(Buffer.from(value))).toThrow(PoisonEventError);
  });
});

describe('decodeEnvelope: payloads by the event schemas (domain/events.ts)', () => {
  const created = {
    paymentId: 'p1',
    reservationId: 'r1',
    customerId: 'c1',
    amountMinor: 2500,
    currency: 'USD',
    method: 'PayPal',
    cardBrand: null,
    cardLast4: null,
  };

  test('a payload that breaks its schema is poison naming every field at fault', () => {
    const bad = raw('TicketUsed', 't1', 2, { ticketId: 't1', usedAt: 'soon' });
    const decode = () => decodeEnvelope(Buffer.from(JSON.stringify(bad)));
    expect(decode).toThrow(PoisonEventError);
    expect(decode).toThrow(
      new RegExp(
        `^TicketUsed ${eventIdOf('TicketUsed', 2)}: payload\\.ticketNumber: .+; payload\\.usedAt: .+$`,
      ),
    );
  });

  test('fields the reader has always taken as null when absent still read as null', () => {
    const { cardBrand: _brand, cardLast4: _last4, ...cardless } = created;
    expect(ev('PaymentCreated', 'p1', 1, cardless).payload).toEqual(created);
    const w = project(
      ev('StepCompleted', 'saga1', 2, {
        sagaId: 'saga1',
        stepName: 'ConfirmReservation',
        stepNumber: 3,
        message: 'Reservation confirmed',
      }),
    );
    expect(Object.keys(w.facts)).toEqual([`steps.${eventIdOf('StepCompleted', 2)}`]);
  });

  test('fields no schema names are left out of the read model', () => {
    expect(ev('PaymentCreated', 'p1', 1, { ...created, cardNumber: '4111111111111111' }).payload).toEqual(
      created,
    );
  });
});

describe('project', () => {
  test('TicketIssued puts every field of the public ticket JSON in facts and the status in state', () => {
    const w = project(
      ev('TicketIssued', 't1', 1, {
        ticketId: 't1',
        ticketNumber: 'TKT-1',
        reservationId: 'r1',
        paymentId: 'p1',
        showtimeId: 's1',
        customerId: 'c1',
        movieTitle: 'Inception',
        screeningTime: '2025-12-12T20:00:00Z',
        auditoriumName: 'Hall 1',
        seats,
        totalAmountMinor: 2500,
        currency: 'USD',
        qrCode: 'QR:t1:TKT-1',
        issuedAt: '2025-01-08T12:00:04Z',
      }),
    );
    expect(w).toMatchObject({ view: 'tickets', id: 't1', version: 1, state: { status: 'Issued' } });
    expect(w.facts).toMatchObject({
      qrCode: 'QR:t1:TKT-1',
      screeningTime: '2025-12-12T20:00:00.000Z',
      seats,
    });
  });

  test('a later ticket event changes status only through state, with its own facts', () => {
    const w = project(
      ev('TicketRefunded', 't1', 3, {
        ticketId: 't1',
        ticketNumber: 'TKT-1',
        reservationId: 'r1',
        paymentId: 'p1',
        reason: 'asked',
        refundedAt: '2025-01-09T00:00:00Z',
      }),
    );
    expect(w.state).toEqual({ status: 'Refunded' });
    expect(w.facts).toEqual({
      ticketNumber: 'TKT-1',
      refundedAt: '2025-01-09T00:00:00.000Z',
      refundReason: 'asked',
    });
  });

  test('showtimes get an indexable UTC day', () => {
    const w = project(
      ev('ShowtimeCreated', 's1', 1, {
        showtimeId: 's1',
        movieId: 'm1',
        movieTitle: 'Inception',
        runningTimeMinutes: 148,
        auditoriumId: 'a1',
        auditoriumName: 'Hall 1',
        capacity: 100,
        startsAt: '2025-12-12T23:30:00-02:00',
        endsAt: '2025-12-13T02:00:00-02:00',
        priceAmountMinor: 1250,
        currency: 'USD',
      }),
    );
    expect(w.facts).toMatchObject({ startsAt: '2025-12-13T01:30:00.000Z', startsDate: '2025-12-13' });
  });

  test('reservation events carry showtime and seats so the seat map never waits for creation', () => {
    const w = project(
      ev('ReservationExpired', 'r1', 2, {
        reservationId: 'r1',
        showtimeId: 's1',
        seats,
        expiredAt: '2025-01-08T12:10:00Z',
      }),
    );
    expect(w).toMatchObject({
      view: 'reservations',
      state: { status: 'Expired' },
      facts: { showtimeId: 's1', seats },
    });
  });

  test('each saga step is a fact under its own event id, so order and duplicates do not matter', () => {
    const w = project(
      ev('StepCompleted', 'saga1', 2, {
        sagaId: 'saga1',
        stepName: 'ReserveSeats',
        stepNumber: 1,
        message: 'Seats reserved',
        reservationId: 'r1',
        paymentId: null,
        ticketId: null,
        ticketNumber: null,
      }),
    );
    expect(w.state).toEqual({});
    expect(w.facts).toEqual({
      reservationId: 'r1',
      [`steps.${eventIdOf('StepCompleted', 2)}`]: {
        stepName: 'ReserveSeats',
        stepNumber: 1,
        success: true,
        message: 'Seats reserved',
        timestamp: '2025-01-08T12:00:00.000Z',
      },
    });
  });

  test('payment declined records the reason and the terminal status', () => {
    const w = project(
      ev('PaymentDeclined', 'p1', 3, {
        paymentId: 'p1',
        reservationId: 'r1',
        reason: 'Insufficient funds',
        declinedAt: '2025-01-08T12:00:02Z',
      }),
    );
    expect(w).toMatchObject({
      state: { status: 'Declined' },
      facts: { failureReason: 'Insufficient funds' },
    });
  });

  test('a payload missing a field is poison', () => {
    expect(() => project(ev('TicketUsed', 't1', 2, { ticketId: 't1' }))).toThrow(PoisonEventError);
    expect(() =>
      project(ev('ReservationCreated', 'r1', 1, { reservationId: 'r1', showtimeId: 's1', seats: [] })),
    ).toThrow(PoisonEventError);
  });
});

describe('BatchFold and materialize', () => {
  const issued = ev('TicketIssued', 't1', 1, {
    ticketId: 't1',
    ticketNumber: 'TKT-1',
    reservationId: 'r1',
    paymentId: 'p1',
    showtimeId: 's1',
    customerId: 'c1',
    movieTitle: 'Inception',
    screeningTime: '2025-12-12T20:00:00Z',
    auditoriumName: 'Hall 1',
    seats,
    totalAmountMinor: 1250,
    currency: 'USD',
    qrCode: 'QR',
    issuedAt: '2025-01-08T12:00:04Z',
  });
  const used = ev('TicketUsed', 't1', 2, {
    ticketId: 't1',
    ticketNumber: 'TKT-1',
    usedAt: '2025-12-12T19:55:00Z',
  });

  /** What the store would hold after applying the folded `$set` paths (dotted paths nested). */
  const apply = (doc: Record<string, unknown>, paths: Record<string, unknown>) => {
    for (const [path, value] of Object.entries(paths)) {
      const parts = path.split('.');
      let at = doc;
      for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
      at[parts[parts.length - 1]!] = value;
    }
    return doc;
  };
  const fold = (...events: ReadEnvelope[]) => {
    const f = new BatchFold();
    for (const e of events) f.add(project(e));
    return f;
  };

  test('one merged update per document, the same in any order and when repeated', () => {
    const inOrder = fold(issued, used).writes.get('tickets')!.get('t1')!;
    const reversed = fold(used, issued, used).writes.get('tickets')!.get('t1')!;
    expect(reversed).toEqual(inOrder);
    // Two batches, the newer first: the same document as one batch in order.
    const split = apply(
      apply({}, fold(used).writes.get('tickets')!.get('t1')!),
      fold(issued).writes.get('tickets')!.get('t1')!,
    );
    expect(materialize(split)).toEqual(materialize(apply({}, inOrder)));
    expect(materialize(split)).toMatchObject({
      status: 'Used',
      version: 2,
      usedAt: '2025-12-12T19:55:00.000Z',
    });
  });

  test('the ticket number document gets the same update; reservations become claims on their showtime', () => {
    const f = fold(
      issued,
      ev('ReservationCreated', 'r.1', 1, {
        reservationId: 'r.1',
        showtimeId: 's1',
        customerId: 'c1',
        seats,
        totalAmountMinor: 1250,
        currency: 'USD',
        holdExpiresAt: '2025-01-08T12:10:00Z',
      }),
    );
    expect(f.writes.get('ticket_numbers')!.get('TKT-1')).toEqual({
      ...f.writes.get('tickets')!.get('t1'),
      ticketId: 't1',
    });
    const claim = `claims.${fieldKey('r.1')}`;
    expect(claim).not.toContain('r.1'); // a '.' in an id must not become a path
    expect(f.writes.get('showtimes')!.get('s1')).toEqual({
      [`${claim}.seats`]: seats,
      [`${claim}.states.v1`]: { status: 'Pending' },
    });
    expect([...f.showtimeIds]).toEqual(['s1']);
  });
  test("an issue lists its ticket in the customer's list from the event; other ticket events are read back", () => {
    const f = fold(issued);
    const entry = `tickets.${fieldKey('t1')}`;
    const list = f.writes.get('customer_tickets')!.get('c1')!;
    // The entry as listing the written document would produce it (addCustomerTicket).
    const fromDoc = new BatchFold();
    fromDoc.addCustomerTicket({ _id: 't1', ...apply({}, f.writes.get('tickets')!.get('t1')!) });
    expect(list).toEqual(fromDoc.writes.get('customer_tickets')!.get('c1'));
    expect(list[`${entry}.id`]).toBe('t1');
    expect(list[`${entry}.states.v1`]).toEqual({ status: 'Issued' });
    expect([...f.customerIds, ...f.issuedTickets, ...f.ticketsToReadBack]).toEqual(['c1', 't1']);

    const later = fold(used);
    expect(later.writes.get('customer_tickets')).toBeUndefined(); // TicketUsed names no customer
    expect([...later.ticketsToReadBack]).toEqual(['t1']);
    expect(later.issuedTickets.size).toBe(0);
  });
});
