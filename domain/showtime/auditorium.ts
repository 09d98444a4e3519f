import { err, ok, type DomainError, type Result } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import type { SeatRef } from '../shared/seat';
import { AuditoriumId } from './ids';
import { SeatLayout, type SeatRowSnapshot } from './seat-layout';

export const MAX_AUDITORIUM_NAME_LENGTH = 100;

export interface AuditoriumSnapshot {
  readonly id: string;
  readonly name: string;
  readonly rows: readonly SeatRowSnapshot[];
}

/** Reference data: a hall and its seat layout. */
export class Auditorium {
  private constructor(
    readonly id: AuditoriumId,
    readonly name: string,
    readonly layout: SeatLayout,
  ) {
    Object.freeze(this);
  }

  static create(props: {
    id: string;
    name: string;
    rows: readonly SeatRowSnapshot[];
  }): Result<Auditorium, DomainError<IdErrorCode | 'InvalidAuditorium'>> {
    const id = AuditoriumId.of(props.id);
    if (!id.ok) return id;
    const name = typeof props.name === 'string' ? props.name.trim() : '';
    if (name.length === 0 || name.length > MAX_AUDITORIUM_NAME_LENGTH)
      return err('InvalidAuditorium', `name must be 1-${MAX_AUDITORIUM_NAME_LENGTH} characters`);
    const layout = SeatLayout.create(props.rows);
    if (!layout.ok) return layout;
    return ok(new Auditorium(id.value, name, layout.value));
  }

  static fromSnapshot(s: AuditoriumSnapshot): Auditorium {
    const created = Auditorium.create(s);
    if (!created.ok) throw new Error(`corrupt auditorium ${s.id}: ${created.error.message}`);
    return created.value;
  }

  hasSeat(seat: SeatRef): boolean {
    return this.layout.hasSeat(seat);
  }

  get capacity(): number {
    return this.layout.capacity;
  }

  toSnapshot(): AuditoriumSnapshot {
    return { id: this.id, name: this.name, rows: this.layout.toSnapshot() };
  }
}
