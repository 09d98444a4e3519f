import { DEFAULT_CLEANING_GAP_MINUTES } from '../../../domain/showtime';
import { DEMO_AUDITORIUMS, DEMO_MOVIES } from '../../../db/seed/demo-data';
import { seedDemoData } from '../../../db/seed/seed';
import { sql } from '../../../db/sql';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './helpers';

describeEachDialect((target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(async () => t?.drop());

  const count = async (statement: ReturnType<typeof sql>) => Number((await t.db.query(statement)).rows[0]?.n);

  it('loads movies, halls with their seats and non-overlapping showtimes, idempotently', async () => {
    const now = new Date('2025-06-01T09:00:00Z');
    const first = await seedDemoData(t.db, { now, days: 2 });
    expect(first).toMatchObject({
      movies: DEMO_MOVIES.length,
      auditoriums: DEMO_AUDITORIUMS.length,
      showtimesSkipped: [],
    });
    expect(first.showtimesCreated).toBeGreaterThan(10);

    const second = await seedDemoData(t.db, { now, days: 2 });
    expect(second).toMatchObject({ showtimesCreated: 0, showtimesExisting: first.showtimesCreated });

    expect(await count(sql`SELECT COUNT(*) AS n FROM movies`)).toBe(DEMO_MOVIES.length);
    const seatTotal = DEMO_AUDITORIUMS.reduce(
      (n, a) => n + a.rows.reduce((m, r) => m + r.seats.length, 0),
      0,
    );
    expect(await count(sql`SELECT COUNT(*) AS n FROM auditorium_seats`)).toBe(seatTotal);
    expect(await count(sql`SELECT COUNT(*) AS n FROM showtimes`)).toBe(first.showtimesCreated);
    // Every showtime announced itself once.
    expect(
      await count(sql`SELECT COUNT(*) AS n FROM outbox_messages WHERE event_type = 'ShowtimeCreated'`),
    ).toBe(first.showtimesCreated);
    // No two showtimes of one hall overlap, counting the cleaning gap (checked in SQL).
    const { rows } = await t.db.query(sql`
      SELECT a.id AS first_id, b.id AS second_id, a.ends_at AS first_ends, b.starts_at AS second_starts
      FROM showtimes a JOIN showtimes b ON a.auditorium_id = b.auditorium_id AND a.id < b.id
      WHERE a.starts_at < b.ends_at AND b.starts_at < a.ends_at`);
    expect(rows).toEqual([]);
    const gaps = await t.db.query(sql`
      SELECT a.ends_at AS ends_at, MIN(b.starts_at) AS next_start
      FROM showtimes a JOIN showtimes b ON a.auditorium_id = b.auditorium_id AND b.starts_at > a.starts_at
      GROUP BY a.id, a.ends_at`);
    for (const g of gaps.rows) {
      const gapMinutes =
        (new Date(g.next_start as Date).getTime() - new Date(g.ends_at as Date).getTime()) / 60_000;
      expect(gapMinutes).toBeGreaterThanOrEqual(DEFAULT_CLEANING_GAP_MINUTES);
    }
  });
});
