/** Typed reads of an event payload that turn a missing or mistyped field into a poison event. */
import { PoisonEventError, type ReadEnvelope } from '../decode';

export interface SeatDoc {
  readonly row: number;
  readonly number: number;
}

export class Payload {
  constructor(private readonly event: ReadEnvelope) {}

  private fail(field: string, expected: string): never {
    throw new PoisonEventError(
      `${this.event.eventType} ${this.event.eventId}: payload.${field} is not ${expected}`,
    );
  }

  str(field: string): string {
    const v = this.event.payload[field];
    return typeof v === 'string' && v.length > 0 ? v : this.fail(field, 'a non-empty string');
  }

  optStr(field: string): string | null {
    const v = this.event.payload[field];
    if (v === null || v === undefined) return null;
    return typeof v === 'string' ? v : this.fail(field, 'a string or null');
  }

  int(field: string): number {
    const v = this.event.payload[field];
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : this.fail(field, 'an integer');
  }

  /** An ISO-8601 time, normalised so string order is time order (the date filter relies on it). */
  time(field: string): string {
    const ms = Date.parse(this.str(field));
    return Number.isNaN(ms) ? this.fail(field, 'an ISO-8601 time') : new Date(ms).toISOString();
  }

  seats(field = 'seats'): SeatDoc[] {
    const v = this.event.payload[field];
    if (!Array.isArray(v) || v.length === 0) return this.fail(field, 'a non-empty seat list');
    return v.map((s: unknown) => {
      const seat = s as Partial<SeatDoc> | null;
      if (!seat || !Number.isInteger(seat.row) || !Number.isInteger(seat.number)) {
        return this.fail(field, 'a list of {row, number}');
      }
      return { row: seat.row as number, number: seat.number as number };
    });
  }

  strings(field: string): string[] {
    const v = this.event.payload[field];
    return Array.isArray(v) && v.every((x) => typeof x === 'string')
      ? (v as string[])
      : this.fail(field, 'a string list');
  }
}
