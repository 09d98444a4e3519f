import { DEFAULT_CLEANING_GAP_MINUTES } from '../../../domain/showtime';
import { DEMO_AUDITORIUMS, DEMO_MOVIES, LAST_START_MINUTES } from '../../../db/seed/demo-data';
import { planDay } from '../../../db/seed/seed';

describe('demo programme', () => {
  const day = new Date('2025-06-02T00:00:00Z');

  it.each(DEMO_AUDITORIUMS.map((a) => [a.name, a] as const))(
    '%s: realistic times, no overlaps',
    (_name, hall) => {
      const plan = planDay(hall, day);
      expect(plan.length).toBeGreaterThanOrEqual(3);
      for (const [i, show] of plan.entries()) {
        const minutes = show.startsAt.getUTCHours() * 60 + show.startsAt.getUTCMinutes();
        expect(minutes).toBeGreaterThanOrEqual(12 * 60);
        expect(minutes).toBeLessThanOrEqual(LAST_START_MINUTES);
        expect(minutes % 15).toBe(0);
        const next = plan[i + 1];
        if (!next) continue;
        const movie = DEMO_MOVIES.find((m) => m.id === show.movieId)!;
        const endsAt = show.startsAt.getTime() + movie.runningTimeMinutes * 60_000;
        expect(next.startsAt.getTime() - endsAt).toBeGreaterThanOrEqual(
          DEFAULT_CLEANING_GAP_MINUTES * 60_000,
        );
      }
      expect(new Set(plan.map((p) => p.id)).size).toBe(plan.length);
    },
  );

  it('ids are stable per hall, day and time, so seeding again finds them', () => {
    const [hall] = DEMO_AUDITORIUMS;
    expect(planDay(hall!, day).map((p) => p.id)).toEqual(planDay(hall!, day).map((p) => p.id));
    expect(planDay(hall!, day)[0]?.id).toBe('st-20250602-hall-1-1200');
  });

  it('layouts use numeric rows and seats, with aisles as gaps', () => {
    const hall1 = DEMO_AUDITORIUMS.find((a) => a.id === 'aud-hall-1')!;
    expect(hall1.rows.find((r) => r.row === 5)?.seats).not.toContain(9);
    expect(hall1.rows.find((r) => r.row === 5)?.seats).toContain(10);
  });
});
