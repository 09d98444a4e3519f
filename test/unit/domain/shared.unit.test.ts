import { Money, minorUnitExponent } from '../../../domain/shared/money';
import { formatSeats, seatKey, sortSeats, validateSeat } from '../../../domain/shared/seat';
import { validateId } from '../../../domain/shared/ids';
import { toInstant } from '../../../domain/shared/time';
import { envelope } from '../../../domain/shared/events';
import { expectErr, expectOk } from './fakes';
import { scheduledShowtime } from './fixtures';

const usd = (v: string | number) => Money.fromDecimal(v, 'USD');

describe('Money', () => {
  it('keeps integer minor units and formats them exactly', () => {
    const m = expectOk(Money.of(2500, 'USD'));
    expect(m.amountMinor).toBe(2500);
    expect(m.toDecimalString()).toBe('25.00');
    expect(m.toDecimalNumber()).toBe(25);
    expect(m.toString()).toBe('25.00 USD');
    expect(JSON.stringify(m)).toBe('{"amountMinor":2500,"currency":"USD"}');
    expect(expectOk(Money.of(5, 'USD')).toDecimalString()).toBe('0.05');
    expect(expectOk(Money.of(0, 'EUR')).toDecimalString()).toBe('0.00');
  });

  it('honours currencies without or with three minor digits', () => {
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(expectOk(Money.fromDecimal('1500', 'JPY')).amountMinor).toBe(1500);
    expect(expectOk(Money.of(1500, 'JPY')).toDecimalString()).toBe('1500');
    expectErr(Money.fromDecimal('1500.5', 'JPY'), 'InvalidMoney');
    expect(expectOk(Money.fromDecimal('1.234', 'KWD')).amountMinor).toBe(1234);
    expect(expectOk(Money.of(1234, 'KWD')).toDecimalString()).toBe('1.234');
  });

  it('adds 0.10 and 0.20 to exactly 0.30', () => {
    const sum = expectOk(expectOk(usd('0.1')).add(expectOk(usd('0.2'))));
    expect(sum.amountMinor).toBe(30);
    expect(sum.equals(expectOk(usd('0.30')))).toBe(true);
    expect(sum.toDecimalString()).toBe('0.30');
  });

  it('refuses the float 0.1 + 0.2 instead of rounding it', () => {
    expectErr(usd(0.1 + 0.2), 'InvalidMoney');
  });

  it('parses decimal strings and plain JSON numbers', () => {
    expect(expectOk(usd('25')).amountMinor).toBe(2500);
    expect(expectOk(usd('25.5')).amountMinor).toBe(2550);
    expect(expectOk(usd(' 25.00 ')).amountMinor).toBe(2500);
    expect(expectOk(usd(25.5)).amountMinor).toBe(2550);
    expect(expectOk(usd(19.99)).amountMinor).toBe(1999);
    expect(expectOk(usd('25.000')).amountMinor).toBe(2500); // trailing zeros lose nothing
    expect(expectOk(usd(0)).isZero()).toBe(true);
  });

  it.each([
    ['-1', 'negative string'],
    [-0.01, 'negative number'],
    ['1.005', 'too many decimals'],
    ['1e3', 'exponent notation'],
    [1e21, 'beyond safe integers (prints in exponent form)'],
    ['', 'empty'],
    ['abc', 'not a number'],
    ['1,50', 'comma decimal separator'],
    ['.5', 'missing whole part'],
    ['5.', 'missing fraction digits'],
    ['+5', 'explicit plus sign'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'infinity'],
    ['99999999999999999', 'more minor units than 2^53'],
  ] as [string | number, string][])('refuses %p (%s)', (input) => {
    expectErr(usd(input), 'InvalidMoney');
  });

  it('refuses malformed currencies and normalises case', () => {
    expectErr(Money.of(100, 'US'), 'InvalidCurrency');
    expectErr(Money.of(100, 'US1'), 'InvalidCurrency');
    expectErr(Money.fromDecimal('1', 'dollars'), 'InvalidCurrency');
    expect(expectOk(Money.of(100, 'usd')).currency).toBe('USD');
  });

  it('refuses non-integer, negative and unsafe minor amounts', () => {
    expectErr(Money.of(1.5, 'USD'), 'InvalidMoney');
    expectErr(Money.of(-1, 'USD'), 'InvalidMoney');
    expectErr(Money.of(Number.MAX_SAFE_INTEGER + 1, 'USD'), 'InvalidMoney');
  });

  it('refuses to add different currencies', () => {
    const e = expectErr(expectOk(usd('1')).add(expectOk(Money.fromDecimal('1', 'EUR'))), 'CurrencyMismatch');
    expect(e.message).toContain('EUR');
  });

  it('refuses an addition that would overflow safe integers', () => {
    const big = expectOk(Money.of(Number.MAX_SAFE_INTEGER, 'USD'));
    expectErr(big.add(expectOk(Money.of(1, 'USD'))), 'InvalidMoney');
  });

  it('multiplies by whole quantities only', () => {
    const price = expectOk(usd('12.50'));
    expect(expectOk(price.multiply(2)).toDecimalString()).toBe('25.00');
    expect(expectOk(price.multiply(0)).isZero()).toBe(true);
    expectErr(price.multiply(1.5), 'InvalidMoney');
    expectErr(price.multiply(-1), 'InvalidMoney');
  });

  it('compares by amount and currency', () => {
    expect(expectOk(usd('1')).equals(expectOk(Money.of(100, 'USD')))).toBe(true);
    expect(expectOk(usd('1')).equals(expectOk(Money.of(100, 'EUR')))).toBe(false);
    expect(expectOk(usd('1')).equals(expectOk(Money.of(101, 'USD')))).toBe(false);
  });

  it('round-trips its snapshot and refuses a corrupt one loudly', () => {
    const m = expectOk(usd('7.25'));
    expect(Money.fromSnapshot(m.toSnapshot()).equals(m)).toBe(true);
    expect(() => Money.fromSnapshot({ amountMinor: -5, currency: 'USD' })).toThrow(/corrupt money/);
  });

  it('is immutable', () => {
    const m = expectOk(usd('1'));
    expect(() => {
      (m as unknown as { amountMinor: number }).amountMinor = 5;
    }).toThrow(TypeError);
  });
});

describe('seats', () => {
  it('validates row and number as positive integers', () => {
    expect(expectOk(validateSeat({ row: 5, number: 10 }))).toEqual({ row: 5, number: 10 });
    expectErr(validateSeat({ row: 0, number: 1 }), 'InvalidSeat');
    expectErr(validateSeat({ row: 1, number: 1.5 }), 'InvalidSeat');
    expectErr(validateSeat({ row: '5', number: 1 }), 'InvalidSeat');
    expectErr(validateSeat({ row: 1, number: 1000 }), 'InvalidSeat');
    expectErr(validateSeat(null), 'InvalidSeat');
    expectErr(validateSeat('5-10'), 'InvalidSeat');
  });

  it('keys and sorts seats stably', () => {
    expect(seatKey({ row: 5, number: 10 })).toBe('5:10');
    expect(
      sortSeats([
        { row: 6, number: 1 },
        { row: 5, number: 11 },
        { row: 5, number: 10 },
      ]),
    ).toEqual([
      { row: 5, number: 10 },
      { row: 5, number: 11 },
      { row: 6, number: 1 },
    ]);
  });

  it('formats seats the way the validate response shows them', () => {
    expect(
      formatSeats([
        { row: 5, number: 11 },
        { row: 5, number: 10 },
      ]),
    ).toBe('Row 5, Seats 10-11');
    expect(formatSeats([{ row: 3, number: 7 }])).toBe('Row 3, Seat 7');
    expect(
      formatSeats([
        { row: 5, number: 3 },
        { row: 5, number: 5 },
        { row: 5, number: 6 },
        { row: 7, number: 1 },
      ]),
    ).toBe('Row 5, Seats 3, 5-6; Row 7, Seat 1');
  });
});

describe('ids and instants', () => {
  it('accepts UUIDs and pay-xyz789-style ids, refuses empty, long or odd ones', () => {
    expect(expectOk(validateId('34306464-2135-4992-89b1-3e25839fbc4f', 'id'))).toBe(
      '34306464-2135-4992-89b1-3e25839fbc4f',
    );
    expect(expectOk(validateId('pay-xyz789', 'id'))).toBe('pay-xyz789');
    expectErr(validateId('', 'id'), 'InvalidId');
    expectErr(validateId('a'.repeat(101), 'id'), 'InvalidId');
    expectErr(validateId('has space', 'id'), 'InvalidId');
    expectErr(validateId("x'; drop table", 'id'), 'InvalidId');
    expectErr(validateId(42, 'id'), 'InvalidId');
  });

  it('parses ISO instants with a zone only', () => {
    expect(expectOk(toInstant('2025-12-12T20:00:00Z', 't')).toISOString()).toBe('2025-12-12T20:00:00.000Z');
    expect(expectOk(toInstant('2025-12-12T21:00:00+01:00', 't')).toISOString()).toBe(
      '2025-12-12T20:00:00.000Z',
    );
    expectErr(toInstant('2025-12-12T20:00:00', 't'), 'InvalidInstant'); // local time is ambiguous
    expectErr(toInstant('2025-13-12T20:00:00Z', 't'), 'InvalidInstant');
    expectErr(toInstant('2025-02-30T20:00:00Z', 't'), 'InvalidInstant'); // no rolling into March
    expect(expectOk(toInstant('2024-02-29T00:00:00Z', 't')).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expectErr(toInstant(new Date('nope'), 't'), 'InvalidInstant');
  });
});

describe('aggregate events', () => {
  it('stamps events with id, type, aggregate, version and time, and pullEvents drains them', () => {
    const showtime = scheduledShowtime();
    expect(showtime.version).toBe(1);
    expect(showtime.pendingEvents).toHaveLength(1);
    const events = showtime.pullEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventId: '00000000-0000-4000-8000-000000000001',
      eventType: 'ShowtimeCreated',
      aggregateType: 'Showtime',
      aggregateId: 'showtime-1',
      aggregateVersion: 1,
      occurredAt: '2025-01-08T12:00:00.000Z',
    });
    expect(showtime.pullEvents()).toEqual([]);
    expect(showtime.version).toBe(1); // pulling does not change the version
  });

  it('wraps an event in the outbox envelope with schema version, correlation id and request id', () => {
    const [event] = scheduledShowtime().pullEvents();
    if (!event) throw new Error('no event');
    const env = envelope(event, { correlationId: 'saga-123', requestId: 'req-abc' });
    expect(env).toEqual({
      ...event,
      schemaVersion: 1,
      correlationId: 'saga-123',
      requestId: 'req-abc',
    });
    expect(JSON.parse(JSON.stringify(env))).toEqual(env);
  });

  it('writes a null request id (not a missing one) for work no request caused', () => {
    const [event] = scheduledShowtime().pullEvents();
    if (!event) throw new Error('no event');
    const env = envelope(event, { correlationId: null, requestId: null });
    expect(JSON.parse(JSON.stringify(env))).toMatchObject({ correlationId: null, requestId: null });
  });
});
