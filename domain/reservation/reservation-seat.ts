import { seatKey, type SeatRef } from '../shared/seat';

/** A seat held by a reservation; identified by its position within the reservation. */
export class ReservationSeat implements SeatRef {
  constructor(
    readonly row: number,
    readonly number: number,
  ) {
    Object.freeze(this);
  }

  static from(seat: SeatRef): ReservationSeat {
    return new ReservationSeat(seat.row, seat.number);
  }

  get key(): string {
    return seatKey(this);
  }

  toJSON(): SeatRef {
    return { row: this.row, number: this.number };
  }
}
