import { Money } from '../../../domain/shared/money';
import { Auditorium } from '../../../domain/showtime/auditorium';
import { Movie } from '../../../domain/showtime/movie';
import { DEFAULT_CLEANING_GAP_MINUTES, ensureNoOverlap } from '../../../domain/showtime/overlap-policy';
import { ScreeningTime } from '../../../domain/showtime/screening-time';
import { SeatLayout } from '../../../domain/showtime/seat-layout';
import { Showtime, type ScheduleShowtime } from '../../../domain/showtime/showtime';
import { expectErr, expectOk, testContext } from './fakes';
import { hall1, inception, NOW, SHOW_START, usd } from './fixtures';

describe('Movie', () => {
  it('creates a movie with a trimmed title and optional rating', () => {
    const movie = expectOk(Movie.create({ id: 'm1', title: '  Inception ', runningTimeMinutes: 148 }));
    expect(movie.toSnapshot()).toEqual({
      id: 'm1',
      title: 'Inception',
      runningTimeMinutes: 148,
      rating: null,
    });
    expect(Movie.fromSnapshot(movie.toSnapshot()).toSnapshot()).toEqual(movie.toSnapshot());
  });

  it.each([
    [{ title: '', runningTimeMinutes: 100 }, 'InvalidMovie'],
    [{ title: 'x'.repeat(201), runningTimeMinutes: 100 }, 'InvalidMovie'],
    [{ title: 'A', runningTimeMinutes: 0 }, 'InvalidMovie'],
    [{ title: 'A', runningTimeMinutes: 601 }, 'InvalidMovie'],
    [{ title: 'A', runningTimeMinutes: 90.5 }, 'InvalidMovie'],
    [{ title: 'A', runningTimeMinutes: 90, rating: 'x'.repeat(17) }, 'InvalidMovie'],
  ] as const)('refuses %p', (props, code) => {
    expectErr(Movie.create({ id: 'm1', ...props }), code);
  });

  it('refuses a bad id', () => {
    expectErr(Movie.create({ id: '', title: 'A', runningTimeMinutes: 90 }), 'InvalidId');
  });
});

describe('Auditorium and seat layout', () => {
  it('knows which seats exist, with aisles as gaps in a row', () => {
    const hall = hall1();
    expect(hall.capacity).toBe(118);
    expect(hall.hasSeat({ row: 5, number: 5 })).toBe(true);
    expect(hall.hasSeat({ row: 5, number: 6 })).toBe(false); // aisle
    expect(hall.hasSeat({ row: 4, number: 6 })).toBe(true);
    expect(hall.hasSeat({ row: 11, number: 1 })).toBe(false);
    expect(hall.hasSeat({ row: 1, number: 13 })).toBe(false);
  });

  it('sorts rows and seats and round-trips its snapshot', () => {
    const hall = expectOk(
      Auditorium.create({
        id: 'a1',
        name: 'Small',
        rows: [
          { row: 2, seats: [3, 1, 2] },
          { row: 1, seats: [2, 1] },
        ],
      }),
    );
    expect(hall.toSnapshot()).toEqual({
      id: 'a1',
      name: 'Small',
      rows: [
        { row: 1, seats: [1, 2] },
        { row: 2, seats: [1, 2, 3] },
      ],
    });
    expect(Auditorium.fromSnapshot(hall.toSnapshot()).toSnapshot()).toEqual(hall.toSnapshot());
    expect(() => Auditorium.fromSnapshot({ id: 'a1', name: 'x', rows: [] })).toThrow(/corrupt auditorium/);
  });

  it.each([
    ['no rows', []],
    ['a row without seats', [{ row: 1, seats: [] }]],
    [
      'a repeated row',
      [
        { row: 1, seats: [1] },
        { row: 1, seats: [2] },
      ],
    ],
    ['a repeated seat', [{ row: 1, seats: [1, 1] }]],
    ['row 0', [{ row: 0, seats: [1] }]],
    ['seat 0', [{ row: 1, seats: [0] }]],
    ['a fractional seat', [{ row: 1, seats: [1.5] }]],
  ])('refuses a layout with %s', (_, rows) => {
    expectErr(Auditorium.create({ id: 'a1', name: 'Hall', rows }), 'InvalidAuditorium');
  });

  it('refuses a blank name', () => {
    expectErr(
      Auditorium.create({ id: 'a1', name: '  ', rows: [{ row: 1, seats: [1] }] }),
      'InvalidAuditorium',
    );
  });

  it('builds rectangular layouts for demo data', () => {
    const layout = expectOk(SeatLayout.rectangular(4, 10));
    expect(layout.capacity).toBe(40);
    expect(layout.allSeats()).toHaveLength(40);
  });
});

describe('ScreeningTime', () => {
  it('ends after the running time', () => {
    const t = expectOk(ScreeningTime.create(new Date(SHOW_START), 148));
    expect(t.endsAt.toISOString()).toBe('2025-12-12T22:28:00.000Z');
    expect(t.durationMinutes).toBe(148);
    expect(t.hasStartedAt(new Date('2025-12-12T19:59:59Z'))).toBe(false);
    expect(t.hasStartedAt(new Date(SHOW_START))).toBe(true);
  });

  it('refuses an invalid start or running time', () => {
    expectErr(ScreeningTime.create(new Date('nope'), 100), 'InvalidScreeningTime');
    expectErr(ScreeningTime.create(new Date(SHOW_START), 0), 'InvalidScreeningTime');
  });
});

describe('overlap policy', () => {
  // Existing: 20:00-22:28 (Inception, 148 min) in aud-hall-1; busy until 22:43 with the 15-min gap.
  const existing = [
    { id: 'st-existing', auditoriumId: 'aud-hall-1', startsAt: SHOW_START, endsAt: '2025-12-12T22:28:00Z' },
  ];
  const candidate = (start: string, minutes = 148) =>
    expectOk(ScreeningTime.create(new Date(start), minutes));

  it('defaults to a 15-minute cleaning gap', () => {
    expect(DEFAULT_CLEANING_GAP_MINUTES).toBe(15);
  });

  it('accepts a start exactly at the previous film end plus the cleaning gap', () => {
    expectOk(ensureNoOverlap(candidate('2025-12-12T22:43:00Z'), 'aud-hall-1', existing));
  });

  it('refuses a start one minute before the cleaning gap ends', () => {
    const e = expectErr(
      ensureNoOverlap(candidate('2025-12-12T22:42:00Z'), 'aud-hall-1', existing),
      'ShowtimeOverlaps',
    );
    expect(e.message).toContain('st-existing');
  });

  it('accepts a film whose end plus gap reaches exactly the next start', () => {
    // 17:17 + 148 min = 19:45, + 15 min = 20:00.
    expectOk(ensureNoOverlap(candidate('2025-12-12T17:17:00Z'), 'aud-hall-1', existing));
  });

  it('refuses a film whose end plus gap runs one minute into the next start', () => {
    expectErr(ensureNoOverlap(candidate('2025-12-12T17:18:00Z'), 'aud-hall-1', existing), 'ShowtimeOverlaps');
  });

  it('refuses identical, contained and containing screenings', () => {
    expectErr(ensureNoOverlap(candidate(SHOW_START), 'aud-hall-1', existing), 'ShowtimeOverlaps');
    expectErr(
      ensureNoOverlap(candidate('2025-12-12T20:30:00Z', 30), 'aud-hall-1', existing),
      'ShowtimeOverlaps',
    );
    expectErr(
      ensureNoOverlap(candidate('2025-12-12T19:00:00Z', 300), 'aud-hall-1', existing),
      'ShowtimeOverlaps',
    );
  });

  it('ignores showtimes of other auditoriums', () => {
    expectOk(ensureNoOverlap(candidate(SHOW_START), 'aud-hall-2', existing));
  });

  it('uses a configurable gap, including none', () => {
    expectOk(ensureNoOverlap(candidate('2025-12-12T22:28:00Z'), 'aud-hall-1', existing, 0));
    expectErr(
      ensureNoOverlap(candidate('2025-12-12T22:43:00Z'), 'aud-hall-1', existing, 30),
      'ShowtimeOverlaps',
    );
    expectOk(ensureNoOverlap(candidate('2025-12-12T22:58:00Z'), 'aud-hall-1', existing, 30));
  });

  it('refuses a negative or fractional gap', () => {
    expectErr(
      ensureNoOverlap(candidate('2025-12-13T10:00:00Z'), 'aud-hall-1', existing, -1),
      'InvalidScreeningTime',
    );
    expectErr(
      ensureNoOverlap(candidate('2025-12-13T10:00:00Z'), 'aud-hall-1', existing, 2.5),
      'InvalidScreeningTime',
    );
  });
});

describe('Showtime', () => {
  const command = (overrides: Partial<ScheduleShowtime> = {}): ScheduleShowtime => ({
    id: 'showtime-1',
    movie: inception(),
    auditorium: hall1(),
    startsAt: new Date(SHOW_START),
    pricePerSeat: usd('12.50'),
    existingShowtimes: [],
    ...overrides,
  });

  it('schedules a showtime and raises ShowtimeCreated with what read models need', () => {
    const showtime = expectOk(Showtime.schedule(command(), testContext(NOW)));
    expect(showtime.toSnapshot()).toEqual({
      id: 'showtime-1',
      movieId: 'movie-inception',
      auditoriumId: 'aud-hall-1',
      startsAt: '2025-12-12T20:00:00.000Z',
      endsAt: '2025-12-12T22:28:00.000Z',
      priceAmountMinor: 1250,
      currency: 'USD',
      createdAt: '2025-01-08T12:00:00.000Z',
      version: 1,
    });
    const [event] = showtime.pullEvents();
    expect(event?.eventType).toBe('ShowtimeCreated');
    expect(event?.payload).toEqual({
      showtimeId: 'showtime-1',
      movieId: 'movie-inception',
      movieTitle: 'Inception',
      runningTimeMinutes: 148,
      auditoriumId: 'aud-hall-1',
      auditoriumName: 'Hall 1',
      capacity: 118,
      startsAt: '2025-12-12T20:00:00.000Z',
      endsAt: '2025-12-12T22:28:00.000Z',
      priceAmountMinor: 1250,
      currency: 'USD',
    });
  });

  it('refuses a start in the past or right now', () => {
    expectErr(Showtime.schedule(command({ startsAt: new Date(NOW) }), testContext(NOW)), 'ShowtimeInPast');
    expectErr(
      Showtime.schedule(command({ startsAt: new Date('2025-01-01T00:00:00Z') }), testContext(NOW)),
      'ShowtimeInPast',
    );
  });

  it('refuses a free seat price', () => {
    expectErr(Showtime.schedule(command({ pricePerSeat: usd('0') }), testContext(NOW)), 'InvalidPrice');
  });

  it('refuses an overlap in the same auditorium and raises nothing', () => {
    const first = expectOk(Showtime.schedule(command(), testContext(NOW))).toSnapshot();
    const clash = Showtime.schedule(
      command({ id: 'showtime-2', startsAt: new Date('2025-12-12T22:30:00Z'), existingShowtimes: [first] }),
      testContext(NOW),
    );
    expectErr(clash, 'ShowtimeOverlaps');
  });

  it('accepts back-to-back showtimes separated by the cleaning gap, and a custom gap', () => {
    const first = expectOk(Showtime.schedule(command(), testContext(NOW))).toSnapshot();
    expectOk(
      Showtime.schedule(
        command({ id: 'showtime-2', startsAt: new Date('2025-12-12T22:43:00Z'), existingShowtimes: [first] }),
        testContext(NOW),
      ),
    );
    expectErr(
      Showtime.schedule(
        command({
          id: 'showtime-2',
          startsAt: new Date('2025-12-12T22:43:00Z'),
          existingShowtimes: [first],
          cleaningGapMinutes: 20,
        }),
        testContext(NOW),
      ),
      'ShowtimeOverlaps',
    );
  });

  it('does not count itself as an overlap (re-running the same command)', () => {
    const first = expectOk(Showtime.schedule(command(), testContext(NOW))).toSnapshot();
    expectOk(Showtime.schedule(command({ existingShowtimes: [first] }), testContext(NOW)));
  });

  it('refuses an invalid id', () => {
    expectErr(Showtime.schedule(command({ id: 'bad id' }), testContext(NOW)), 'InvalidId');
  });

  it('prices seats and round-trips its snapshot', () => {
    const showtime = expectOk(Showtime.schedule(command(), testContext(NOW)));
    expect(expectOk(showtime.priceFor(2)).toDecimalString()).toBe('25.00');
    const copy = Showtime.fromSnapshot(showtime.toSnapshot());
    expect(copy.toSnapshot()).toEqual(showtime.toSnapshot());
    expect(copy.pullEvents()).toEqual([]);
    expect(copy.pricePerSeat.equals(expectOk(Money.of(1250, 'USD')))).toBe(true);
  });
});
