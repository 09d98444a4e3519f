/**
 * The Reservation aggregate: one row in `reservations` plus one `reservation_seats` claim per
 * seat. The database refuses double booking itself (ux_reservation_seats_live); a claim that
 * loses the race comes back as the domain's SeatAlreadyTaken result, not as an exception.
 */
import { Reservation, type ReservationError, type ReservationSnapshot } from '../../domain/reservation';
import { err, ok, type Result } from '../../domain/shared/result';
import { seatKey, sortSeats, type SeatRef } from '../../domain/shared/seat';
import type { Row } from '../database';
import { isUniqueViolation } from '../errors';
import * as read from '../row';
import { byDialect, join, sql } from '../sql';
import { checked, isWellFormedId, reservationSnapshotSchema } from '../validation';
import { forUpdate, lockedRows, Repository } from './repository-base';

export const LIVE_SEAT_INDEX = 'ux_reservation_seats_live';

const INT = byDialect({ postgres: sql`::integer`, mssql: sql`` });

export class ReservationRepository extends Repository {
  async get(id: string): Promise<Reservation | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(sql`
      SELECT id, showtime_id, customer_id, status, total_amount_minor, currency, hold_expires_at, created_at,
        confirmed_at, cancelled_at, cancellation_reason, expired_at, version, purchase_saga_id
      FROM reservations WHERE id = ${id}`);
    const row = rows[0];
    if (!row) return null;
    const seats = await this.db.query(sql`
      SELECT seat_row, seat_number FROM reservation_seats WHERE reservation_id = ${id}
      ORDER BY seat_row, seat_number`);
    return Reservation.fromSnapshot(toSnapshot(row, seats.rows.map(toSeat)));
  }

  /**
   * The reservation with its row locked until the unit of work ends: a purchase taking a hold
   * over and the hold's own release decide one after the other, each seeing the other's outcome.
   */
  async getForUpdate(id: string): Promise<Reservation | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(sql`
      SELECT id FROM reservations ${lockedRows} WHERE id = ${id} ${forUpdate}`);
    return rows.length === 0 ? null : this.get(id);
  }

  /**
   * Records which purchase took a hold over (Reservation.claimFor): set once, never changed. Run
   * it on a row read with getForUpdate; a row claimed meanwhile would be a bug, and throws.
   */
  async saveClaim(reservation: Reservation): Promise<void> {
    const claimedBy = reservation.claimedBy;
    if (claimedBy === null) throw new Error(`reservation ${reservation.id} has no claim to save`);
    const { rowCount } = await this.db.query(sql`
      UPDATE reservations SET purchase_saga_id = ${claimedBy}
      WHERE id = ${reservation.id} AND (purchase_saga_id IS NULL OR purchase_saga_id = ${claimedBy})`);
    this.assertUpdated(rowCount, 'Reservation', reservation.id, reservation.version);
  }

  /**
   * Pending reservations of a showtime whose hold lapsed at `now`, their rows locked until the
   * unit of work ends (in id order, so concurrent claimers queue instead of deadlocking). A
   * confirm or cancel that got there first changed the status, and the locked re-read skips it.
   */
  async lapsedHolds(showtimeId: string, now: Date): Promise<Reservation[]> {
    if (!isWellFormedId(showtimeId)) return [];
    const { rows } = await this.db.query(sql`
      SELECT id FROM reservations ${lockedRows}
      WHERE showtime_id = ${showtimeId} AND status = 'Pending' AND hold_expires_at <= ${now}
      ORDER BY id ${forUpdate}`);
    const held = await Promise.all(rows.map((row) => this.get(read.str(row.id, 'id'))));
    return held.filter((r): r is Reservation => r !== null);
  }

  /** Seats of a showtime held by live claims (what Reservation.create needs as `takenSeats`). */
  async takenSeats(showtimeId: string): Promise<SeatRef[]> {
    if (!isWellFormedId(showtimeId)) return [];
    const { rows } = await this.db.query(sql`
      SELECT seat_row, seat_number FROM reservation_seats
      WHERE showtime_id = ${showtimeId} AND released_at IS NULL
      ORDER BY seat_row, seat_number`);
    return rows.map(toSeat);
  }

  /**
   * Seats of a showtime a new reservation could not have at `now`: `takenSeats` less the lapsed
   * holds, which the reservation's own transaction would expire first (ReserveSeats). Read
   * without locks, for a check before a purchase starts; the claim itself decides.
   */
  async seatsHeldAt(showtimeId: string, now: Date): Promise<SeatRef[]> {
    if (!isWellFormedId(showtimeId)) return [];
    const { rows } = await this.db.query(sql`
      SELECT rs.seat_row, rs.seat_number FROM reservation_seats rs
      JOIN reservations r ON r.id = rs.reservation_id
      WHERE rs.showtime_id = ${showtimeId} AND rs.released_at IS NULL
        AND (r.status <> 'Pending' OR r.hold_expires_at > ${now})`);
    return rows.map(toSeat);
  }

  /**
   * Inserts a new reservation with its seat claims, or updates a loaded one (optimistic on
   * version; a reservation leaving Pending/Confirmed releases its claims). Then its outbox rows.
   */
  async save(reservation: Reservation): Promise<Result<void, ReservationError>> {
    const session = this.writeSession();
    const change = session.pendingChange(reservation);
    if (change.events.length === 0) return ok(undefined);
    const s = checked(reservationSnapshotSchema, reservation.toSnapshot(), 'reservation');
    if (change.expectedVersion === 0) {
      await this.db.query(sql`
        INSERT INTO reservations (id, showtime_id, customer_id, status, total_amount_minor, currency, hold_expires_at,
          created_at, confirmed_at, cancelled_at, cancellation_reason, expired_at, version)
        VALUES (${s.id}, ${s.showtimeId}, ${s.customerId}, ${s.status}, ${s.totalAmountMinor}, ${s.currency},
          ${new Date(s.holdExpiresAt)}, ${new Date(s.createdAt)}, ${date(s.confirmedAt)}, ${date(s.cancelledAt)},
          ${s.cancellationReason}, ${date(s.expiredAt)}, ${s.version})`);
      const claimed = await this.claimSeats(s);
      if (!claimed.ok) return claimed;
    } else {
      const { rowCount } = await this.db.query(sql`
        UPDATE reservations SET status = ${s.status}, confirmed_at = ${date(s.confirmedAt)},
          cancelled_at = ${date(s.cancelledAt)}, cancellation_reason = ${s.cancellationReason},
          expired_at = ${date(s.expiredAt)}, version = ${s.version},
          updated_at = ${byDialect({ postgres: sql`now()`, mssql: sql`SYSDATETIMEOFFSET()` })}
        WHERE id = ${s.id} AND version = ${change.expectedVersion}`);
      this.assertUpdated(rowCount, 'Reservation', s.id, change.expectedVersion);
    }
    if (!reservation.claimsSeats) {
      const releasedAt = date(s.cancelledAt ?? s.expiredAt) ?? new Date(s.createdAt);
      await this.db.query(sql`
        UPDATE reservation_seats SET released_at = ${releasedAt}
        WHERE reservation_id = ${s.id} AND released_at IS NULL`);
    }
    session.eventsWritten(reservation, change);
    return ok(undefined);
  }

  /**
   * One claim row per seat. The auditorium is copied from the showtime row, so the composite
   * foreign key also proves every seat exists in that auditorium. Seats go in sorted order so
   * concurrent claimers of overlapping seats queue instead of deadlocking. A competing live claim
   * makes the insert wait for the other transaction, then fail on ux_reservation_seats_live
   * (pg 23505, mssql 2601): that becomes SeatAlreadyTaken. Both dialects take the same path, so
   * the PostgreSQL suite exercises the mapping SQL Server relies on.
   */
  private async claimSeats(s: ReservationSnapshot): Promise<Result<void, ReservationError>> {
    const seats = sortSeats(s.seats);
    const values = join(seats.map((seat) => sql`(${seat.row}${INT}, ${seat.number}${INT})`));
    // PostgreSQL aborts the whole transaction on an error unless a savepoint contains it; SQL
    // Server (XACT_ABORT off) undoes just the failed statement.
    const savepoint = this.db.dialect === 'postgres';
    if (savepoint) await this.db.query(sql`SAVEPOINT seat_claims`);
    try {
      await this.db.query(sql`
        INSERT INTO reservation_seats (reservation_id, showtime_id, auditorium_id, seat_row, seat_number, claimed_at)
        SELECT ${s.id}, st.id, st.auditorium_id, v.seat_row, v.seat_number, ${new Date(s.createdAt)}
        FROM showtimes st CROSS JOIN (VALUES ${values}) AS v (seat_row, seat_number)
        WHERE st.id = ${s.showtimeId}`);
      if (savepoint) await this.db.query(sql`RELEASE SAVEPOINT seat_claims`);
      return ok(undefined);
    } catch (error) {
      if (!isUniqueViolation(error, LIVE_SEAT_INDEX)) throw error;
      if (savepoint) await this.db.query(sql`ROLLBACK TO SAVEPOINT seat_claims`);
      const taken = new Set((await this.takenSeats(s.showtimeId)).map(seatKey));
      const lost = seats.filter((seat) => taken.has(seatKey(seat)));
      return seatTaken(lost.length > 0 ? lost : seats);
    }
  }
}

function seatTaken(lost: readonly SeatRef[]): Result<never, ReservationError> {
  const first = lost[0];
  const which = first ? `row ${first.row} seat ${first.number}` : 'a requested seat';
  const more = lost.length > 1 ? ` (and ${lost.length - 1} more)` : '';
  return err('SeatAlreadyTaken', `${which}${more} is already taken`);
}

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

const toSeat = (row: Row): SeatRef => ({
  row: read.int(row.seat_row, 'seat_row'),
  number: read.int(row.seat_number, 'seat_number'),
});

function toSnapshot(row: Row, seats: SeatRef[]): ReservationSnapshot {
  return {
    id: read.str(row.id, 'id'),
    showtimeId: read.str(row.showtime_id, 'showtime_id'),
    customerId: read.str(row.customer_id, 'customer_id'),
    seats,
    status: read.str(row.status, 'status') as ReservationSnapshot['status'],
    totalAmountMinor: read.int(row.total_amount_minor, 'total_amount_minor'),
    currency: read.str(row.currency, 'currency'),
    holdExpiresAt: read.iso(row.hold_expires_at, 'hold_expires_at'),
    createdAt: read.iso(row.created_at, 'created_at'),
    confirmedAt: read.isoOrNull(row.confirmed_at, 'confirmed_at'),
    cancelledAt: read.isoOrNull(row.cancelled_at, 'cancelled_at'),
    cancellationReason: read.strOrNull(row.cancellation_reason, 'cancellation_reason'),
    expiredAt: read.isoOrNull(row.expired_at, 'expired_at'),
    version: read.int(row.version, 'version'),
    claimedBy: read.strOrNull(row.purchase_saga_id, 'purchase_saga_id'),
  };
}
