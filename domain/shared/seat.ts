import { err, ok, type DomainError, type Result } from './result';

/**
 * A seat position in an auditorium, as the public JSON writes it: `{ "row": 5, "number": 10 }`.
 * Shared by the showtime layout, reservations and tickets.
 */
export interface SeatRef {
  readonly row: number;
  readonly number: number;
}

export type SeatErrorCode = 'InvalidSeat';

/** Generous enough for any real hall, small enough to reject garbage early. */
export const MAX_SEAT_COORDINATE = 999;

const isCoordinate = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SEAT_COORDINATE;

export function validateSeat(value: unknown): Result<SeatRef, DomainError<SeatErrorCode>> {
  const candidate = value as Partial<SeatRef> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    return err('InvalidSeat', 'a seat must be an object with row and number');
  }
  if (!isCoordinate(candidate.row) || !isCoordinate(candidate.number)) {
    return err('InvalidSeat', `row and number must be integers from 1 to ${MAX_SEAT_COORDINATE}`);
  }
  return ok({ row: candidate.row, number: candidate.number });
}

/** A stable key for sets and maps (and for a DB unique index if the db layer wants one). */
export const seatKey = (seat: SeatRef): string => `${seat.row}:${seat.number}`;

export const compareSeats = (a: SeatRef, b: SeatRef): number => a.row - b.row || a.number - b.number;

export const sortSeats = (seats: readonly SeatRef[]): SeatRef[] =>
  seats.map((s) => ({ row: s.row, number: s.number })).sort(compareSeats);

/**
 * Human form used by the ticket validate response: "Row 5, Seats 10-11". Consecutive numbers
 * collapse into ranges; several rows are joined with "; ".
 */
export function formatSeats(seats: readonly SeatRef[]): string {
  const byRow = new Map<number, number[]>();
  for (const seat of sortSeats(seats)) {
    const numbers = byRow.get(seat.row) ?? [];
    numbers.push(seat.number);
    byRow.set(seat.row, numbers);
  }
  const parts: string[] = [];
  for (const [row, numbers] of byRow) {
    const label = numbers.length === 1 ? 'Seat' : 'Seats';
    parts.push(`Row ${row}, ${label} ${toRanges(numbers).join(', ')}`);
  }
  return parts.join('; ');
}

function toRanges(sorted: readonly number[]): string[] {
  const ranges: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  const flush = () => {
    if (start === undefined || prev === undefined) return;
    ranges.push(start === prev ? `${start}` : `${start}-${prev}`);
  };
  for (const n of sorted) {
    if (prev !== undefined && n === prev + 1) {
      prev = n;
      continue;
    }
    flush();
    start = n;
    prev = n;
  }
  flush();
  return ranges;
}
