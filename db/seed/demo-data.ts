/**
 * Demo reference data: a few films, three halls with realistic layouts (numeric rows, as the
 * public JSON's `{ row: 5, number: 10 }`), and a daily programme per hall. Ids are stable so seeding
 * again updates instead of duplicating.
 */
import type { SeatRowSnapshot } from '../../domain/showtime';

export interface DemoMovie {
  readonly id: string;
  readonly title: string;
  readonly runningTimeMinutes: number;
  readonly rating: string;
}

export interface DemoAuditorium {
  readonly id: string;
  readonly name: string;
  readonly rows: readonly SeatRowSnapshot[];
  /** Films shown in rotation, one after another through the day. */
  readonly programme: readonly string[];
  readonly priceMinor: { readonly matinee: number; readonly evening: number };
}

export const DEMO_CURRENCY = 'USD';

export const DEMO_MOVIES: readonly DemoMovie[] = [
  { id: 'movie-inception', title: 'Inception', runningTimeMinutes: 148, rating: 'PG-13' },
  { id: 'movie-dune-part-two', title: 'Dune: Part Two', runningTimeMinutes: 166, rating: 'PG-13' },
  { id: 'movie-spirited-away', title: 'Spirited Away', runningTimeMinutes: 125, rating: 'PG' },
  { id: 'movie-grand-budapest', title: 'The Grand Budapest Hotel', runningTimeMinutes: 99, rating: 'R' },
  { id: 'movie-interstellar', title: 'Interstellar', runningTimeMinutes: 169, rating: 'PG-13' },
];

const seats = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Rows `first..last`, each with seats 1..count. */
const rows = (first: number, last: number, count: number): SeatRowSnapshot[] =>
  seats(first, last).map((row) => ({ row, seats: seats(1, count) }));

export const DEMO_AUDITORIUMS: readonly DemoAuditorium[] = [
  {
    // The big hall: narrower front rows, a centre aisle (no seat 9) from row 4 back, a wide last row.
    id: 'aud-hall-1',
    name: 'Hall 1',
    rows: [
      ...rows(1, 3, 12),
      ...seats(4, 11).map((row) => ({ row, seats: [...seats(1, 8), ...seats(10, 17)] })),
      { row: 12, seats: seats(1, 20) },
    ],
    programme: ['movie-dune-part-two', 'movie-inception', 'movie-interstellar'],
    priceMinor: { matinee: 1250, evening: 1450 },
  },
  {
    id: 'aud-hall-2',
    name: 'Hall 2',
    rows: rows(1, 8, 14),
    programme: ['movie-spirited-away', 'movie-grand-budapest', 'movie-inception'],
    priceMinor: { matinee: 1150, evening: 1350 },
  },
  {
    // A small premium room: recliners, so few seats per row.
    id: 'aud-studio-3',
    name: 'Studio 3',
    rows: rows(1, 5, 8),
    programme: ['movie-grand-budapest', 'movie-interstellar', 'movie-spirited-away'],
    priceMinor: { matinee: 1800, evening: 2100 },
  },
];

/** Programme times in UTC: first show at 12:00, none starting after 22:30, starts on the quarter hour. */
export const DAY_STARTS_AT_MINUTES = 12 * 60;
export const LAST_START_MINUTES = 22 * 60 + 30;
export const EVENING_FROM_MINUTES = 18 * 60;
