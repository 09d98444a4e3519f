import { err, ok, type DomainError, type Result } from '../shared/result';
import { MAX_SEAT_COORDINATE, seatKey, type SeatRef } from '../shared/seat';

/** One row of seats. Numbers need not be contiguous: a missing number is an aisle or a gap. */
export interface SeatRowSnapshot {
  readonly row: number;
  readonly seats: readonly number[];
}

const isCoordinate = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_SEAT_COORDINATE;

/** Which seats physically exist in an auditorium. */
export class SeatLayout {
  readonly #keys: ReadonlySet<string>;

  private constructor(readonly rows: readonly SeatRowSnapshot[]) {
    this.#keys = new Set(rows.flatMap((r) => r.seats.map((number) => seatKey({ row: r.row, number }))));
  }

  static create(rows: readonly SeatRowSnapshot[]): Result<SeatLayout, DomainError<'InvalidAuditorium'>> {
    if (!Array.isArray(rows) || rows.length === 0)
      return err('InvalidAuditorium', 'a layout needs at least one row');
    const seenRows = new Set<number>();
    const normalised: SeatRowSnapshot[] = [];
    for (const r of rows) {
      if (!isCoordinate(r.row))
        return err('InvalidAuditorium', `row ${String(r.row)} is not a valid row number`);
      if (seenRows.has(r.row)) return err('InvalidAuditorium', `row ${r.row} appears twice`);
      seenRows.add(r.row);
      if (!Array.isArray(r.seats) || r.seats.length === 0) {
        return err('InvalidAuditorium', `row ${r.row} has no seats`);
      }
      const numbers = new Set<number>();
      for (const n of r.seats) {
        if (!isCoordinate(n)) return err('InvalidAuditorium', `row ${r.row} has an invalid seat number`);
        if (numbers.has(n)) return err('InvalidAuditorium', `row ${r.row} lists seat ${n} twice`);
        numbers.add(n);
      }
      normalised.push({ row: r.row, seats: [...numbers].sort((a, b) => a - b) });
    }
    normalised.sort((a, b) => a.row - b.row);
    return ok(new SeatLayout(normalised));
  }

  /** Helper for demo data: rows 1..rowCount, each with seats 1..seatsPerRow. */
  static rectangular(
    rowCount: number,
    seatsPerRow: number,
  ): Result<SeatLayout, DomainError<'InvalidAuditorium'>> {
    const seats = Array.from({ length: seatsPerRow }, (_, i) => i + 1);
    return SeatLayout.create(Array.from({ length: rowCount }, (_, i) => ({ row: i + 1, seats })));
  }

  hasSeat(seat: SeatRef): boolean {
    return this.#keys.has(seatKey(seat));
  }

  get capacity(): number {
    return this.#keys.size;
  }

  allSeats(): SeatRef[] {
    return this.rows.flatMap((r) => r.seats.map((number) => ({ row: r.row, number })));
  }

  toSnapshot(): SeatRowSnapshot[] {
    return this.rows.map((r) => ({ row: r.row, seats: [...r.seats] }));
  }
}
