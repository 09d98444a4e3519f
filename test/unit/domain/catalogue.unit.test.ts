import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as domain from '../../../domain';
import {
  DOMAIN_ERROR_CODES,
  DOMAIN_EVENT_TYPES,
  errorCategory,
  EVENT_CATALOGUE,
  EVENT_PAYLOADS,
  isDomainEventType,
  parseEventPayload,
  TicketIssuedPayload,
  type AnyDomainEvent,
} from '../../../domain';
import { expectOk, testContext } from './fakes';
import { hall1, NOW, scheduledShowtime } from './fixtures';

/** Drives every aggregate through every event it can raise; returns all events raised. */
function everyEvent(): AnyDomainEvent[] {
  const ctx = testContext(NOW);
  const events: AnyDomainEvent[] = [];
  const showtime = scheduledShowtime(undefined, ctx);
  events.push(...showtime.pullEvents());

  const reserve = (id: string) =>
    expectOk(
      domain.Reservation.create(
        {
          id,
          customerId: 'c1',
          showtime,
          auditorium: hall1(),
          seats: [{ row: 1, number: 1 }],
          takenSeats: [],
          holdExpiresAt: new Date('2025-01-08T12:10:00Z'),
        },
        ctx,
      ),
    );
  const r1 = reserve('r1');
  expectOk(r1.confirm(ctx));
  const r2 = reserve('r2');
  expectOk(r2.cancel('x', ctx));
  const r3 = reserve('r3');
  ctx.clock.advanceMinutes(10);
  expectOk(r3.expire(ctx));
  events.push(...r1.pullEvents(), ...r2.pullEvents(), ...r3.pullEvents());

  const pay = (id: string) =>
    expectOk(
      domain.Payment.create(
        { id, reservationId: 'r1', customerId: 'c1', amount: r1.totalPrice, method: 'PayPal' },
        ctx,
      ),
    );
  const p1 = pay('p1');
  expectOk(p1.markProcessing(ctx));
  expectOk(p1.complete('TXN-1', ctx));
  const p2 = pay('p2');
  expectOk(p2.decline('no', ctx));
  const p3 = pay('p3');
  expectOk(p3.fail('down', ctx));
  events.push(...p1.pullEvents(), ...p2.pullEvents(), ...p3.pullEvents());

  const issue = (id: string, seq: number) =>
    expectOk(
      domain.Ticket.issue(
        {
          id,
          ticketNumber: expectOk(
            domain.TicketNumber.parse(`TKT-20250108123456-${String(seq).padStart(4, '0')}`),
          ),
          reservation: r1.toSnapshot(),
          payment: p1.toSnapshot(),
          movieTitle: 'Inception',
          screeningTime: showtime.startsAt,
          auditoriumName: 'Hall 1',
        },
        ctx,
      ),
    );
  const t1 = issue('t1', 1);
  expectOk(t1.use(ctx));
  const t2 = issue('t2', 2);
  expectOk(t2.void('x', ctx));
  const t3 = issue('t3', 3);
  expectOk(t3.refund('x', ctx));
  expectOk(p1.beginRefund('x', ctx));
  expectOk(p1.refund('x', ctx));
  events.push(...t1.pullEvents(), ...t2.pullEvents(), ...t3.pullEvents(), ...p1.pullEvents());

  const startSaga = (id: string) =>
    expectOk(
      domain.TicketPurchaseSaga.start(
        { sagaId: id, customerId: 'c1', showtimeId: 's1', seats: [{ row: 1, number: 1 }] },
        ctx,
      ),
    );
  type Saga = ReturnType<typeof startSaga>;
  const succeed = (saga: Saga, step: domain.SagaStepName, outcome: domain.StepSuccess) => {
    expectOk(saga.stepStarted(step));
    expectOk(saga.stepSucceeded(step, outcome, ctx));
  };
  const ok = startSaga('saga-ok');
  succeed(ok, 'ReserveSeats', { message: 'ok', refs: { reservationId: 'r1' } });
  succeed(ok, 'ProcessPayment', { message: 'ok', refs: { paymentId: 'p1' } });
  succeed(ok, 'ConfirmReservation', { message: 'ok' });
  succeed(ok, 'IssueTicket', { message: 'ok', refs: { ticketId: 't1', ticketNumber: 'TKT-1' } });
  const rolledBack = startSaga('saga-rb');
  succeed(rolledBack, 'ReserveSeats', { message: 'ok', refs: { reservationId: 'r2' } });
  expectOk(rolledBack.stepStarted('ProcessPayment'));
  expectOk(rolledBack.stepFailed('ProcessPayment', { reason: 'declined', possiblyApplied: false }, ctx));
  expectOk(rolledBack.compensationSucceeded('ReleaseSeats', 'released', ctx));
  const abandoned = startSaga('saga-ab');
  succeed(abandoned, 'ReserveSeats', { message: 'ok', refs: { reservationId: 'r3' } });
  expectOk(abandoned.stepStarted('ProcessPayment'));
  expectOk(abandoned.abort('cancelled', ctx));
  expectOk(abandoned.compensationStuck('RefundPayment', 'provider rejected', ctx));
  expectOk(abandoned.abandon('operator', ctx));
  events.push(...ok.pullEvents(), ...rolledBack.pullEvents(), ...abandoned.pullEvents());
  return events;
}

describe('event catalogue', () => {
  const events = everyEvent();

  it('lists exactly the event types the aggregates raise', () => {
    expect(new Set(events.map((e) => e.eventType))).toEqual(new Set(DOMAIN_EVENT_TYPES));
  });

  it('knows the documented event names', () => {
    for (const name of [
      'ShowtimeCreated',
      'ReservationCreated',
      'ReservationConfirmed',
      'ReservationCancelled',
      'ReservationExpired',
      'PaymentCreated',
      'PaymentCompleted',
      'PaymentDeclined',
      'PaymentRefunded',
      'TicketIssued',
      'TicketUsed',
      'TicketCancelled',
      'TicketRefunded',
      'SagaStarted',
      'StepCompleted',
      'SagaCompleted',
      'SagaCompensated',
    ]) {
      expect(isDomainEventType(name)).toBe(true);
    }
    expect(isDomainEventType('SomethingElse')).toBe(false);
  });

  it('maps each event to the aggregate type that raised it', () => {
    for (const e of events) expect(EVENT_CATALOGUE[e.eventType]).toBe(e.aggregateType);
  });

  it('gives every event a unique id, a positive version and an ISO time, and plain-JSON payloads', () => {
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    for (const e of events) {
      expect(e.aggregateVersion).toBeGreaterThanOrEqual(1);
      expect(e.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    }
  });

  it('has one payload schema per event type, and each raised payload fits it whole', () => {
    expect(Object.keys(EVENT_PAYLOADS).sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
    for (const e of events) {
      const parsed = parseEventPayload(e.eventType, e.payload);
      // Equal, not just valid: a field the aggregate writes but the schema doesn't name would be
      // dropped by the parse (and so never reach the outbox), and this would fail.
      expect(parsed).toEqual({ ok: true, value: e.payload });
    }
  });

  it('names each field that breaks a payload schema', () => {
    const refused = parseEventPayload('TicketUsed', { ticketId: 't1', usedAt: 'yesterday' });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.message).toContain('payload.ticketNumber');
    expect(refused.error.message).toContain('payload.usedAt');
    // A full card number can't pass as the last four digits.
    const card = events.find((e) => e.eventType === 'PaymentCreated')!;
    expect(
      parseEventPayload('PaymentCreated', { ...card.payload, cardLast4: '4111111111111111' }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('payload.cardLast4') } });
  });

  it('types the registry by event, so a schema of another shape does not compile', () => {
    // @ts-expect-error TicketUsed's entry must produce a TicketUsed payload
    const wrong: (typeof EVENT_PAYLOADS)['TicketUsed'] = TicketIssuedPayload;
    expect(wrong).toBe(TicketIssuedPayload);
  });

  it('numbers each aggregate’s events 1, 2, 3… without gaps', () => {
    const byAggregate = new Map<string, number[]>();
    for (const e of events) {
      const key = `${e.aggregateType}:${e.aggregateId}`;
      byAggregate.set(key, [...(byAggregate.get(key) ?? []), e.aggregateVersion]);
    }
    for (const versions of byAggregate.values()) {
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });
});

describe('error categories', () => {
  it('maps codes to how the API and the saga should treat them', () => {
    expect(errorCategory('SeatAlreadyTaken')).toBe('conflict');
    expect(errorCategory('ShowtimeOverlaps')).toBe('conflict');
    expect(errorCategory('ShowtimeNotFound')).toBe('not-found');
    expect(errorCategory('InvalidCardNumber')).toBe('validation');
    expect(errorCategory('TooManySeats')).toBe('validation');
    expect(errorCategory('ShowtimeInPast')).toBe('rule');
    expect(errorCategory('TicketAlreadyUsed')).toBe('conflict');
    expect(errorCategory('NotACode')).toBe('rule');
    expect(DOMAIN_ERROR_CODES).toContain('PaymentNotCompleted');
  });
});

describe('purity', () => {
  const domainDir = join(__dirname, '../../../domain');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('never reads the clock, randomness or Node APIs in domain source', () => {
    const offenders = files(domainDir).flatMap((file) => {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      return [
        /Date\.now\(/,
        /new Date\(\)/,
        /Math\.random\(/,
        /\bcrypto\b/,
        /\bprocess\./,
        /from 'node:/,
        /require\(/,
      ]
        .filter((re) => re.test(code))
        .map((re) => `${file}: ${re}`);
    });
    expect(offenders).toEqual([]);
  });

  it('runs every flow with the clock and random sources booby-trapped', () => {
    const RealDate = Date;
    const trap = () => {
      throw new Error('domain read ambient time or randomness');
    };
    class TrappedDate extends RealDate {
      constructor(...args: [] | [string | number | Date]) {
        if (args.length === 0) trap();
        super(...(args as [string | number | Date]));
      }
      static override now(): number {
        return trap();
      }
    }
    const random = jest.spyOn(Math, 'random').mockImplementation(trap);
    globalThis.Date = TrappedDate as DateConstructor;
    try {
      expect(everyEvent().length).toBeGreaterThan(30);
    } finally {
      globalThis.Date = RealDate;
      random.mockRestore();
    }
  });
});
