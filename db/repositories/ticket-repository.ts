/** The Ticket aggregate. Ticket numbers are unique (ux_tickets_ticket_number). */
import type { SeatRef } from '../../domain/shared/seat';
import { Ticket, type TicketSnapshot } from '../../domain/ticket/ticket';
import type { Row } from '../database';
import { isUniqueViolation } from '../errors';
import * as read from '../row';
import { byDialect, json, sql } from '../sql';
import { checked, isWellFormedId, seatSchema, ticketSnapshotSchema } from '../validation';
import { forUpdate, lockedRows, Repository } from './repository-base';

export const TICKET_NUMBER_INDEX = 'ux_tickets_ticket_number';

/**
 * True when a save failed because the ticket number is already used (two issues in the same
 * second with the same discriminator): the caller retries the unit of work with another number.
 */
export const isTicketNumberTaken = (error: unknown): boolean => isUniqueViolation(error, TICKET_NUMBER_INDEX);

const COLUMNS = sql`id, ticket_number, reservation_id, payment_id, showtime_id, customer_id, movie_title, screening_time,
  auditorium_name, seats, total_amount_minor, currency, status, issued_at, used_at, voided_at, void_reason, refunded_at,
  refund_reason, version`;

export class TicketRepository extends Repository {
  async get(id: string): Promise<Ticket | null> {
    if (!isWellFormedId(id)) return null;
    return this.one(sql`SELECT ${COLUMNS} FROM tickets WHERE id = ${id}`);
  }

  /**
   * The ticket, its row locked until the unit of work ends: admission and refund both decide
   * under this lock (ticket first, then its payment), so they can't both go ahead.
   */
  async getForUpdate(id: string): Promise<Ticket | null> {
    if (!isWellFormedId(id)) return null;
    return this.one(sql`SELECT ${COLUMNS} FROM tickets ${lockedRows} WHERE id = ${id} ${forUpdate}`);
  }

  async findByNumber(ticketNumber: string): Promise<Ticket | null> {
    const normalized = typeof ticketNumber === 'string' ? ticketNumber.trim().toUpperCase() : '';
    if (!/^TKT-\d{14}-\d{4}$/.test(normalized)) return null;
    return this.one(sql`SELECT ${COLUMNS} FROM tickets WHERE ticket_number = ${normalized}`);
  }

  /** The reservation's valid ticket if there is one, else its latest voided/refunded one. */
  async findByReservation(reservationId: string): Promise<Ticket | null> {
    if (!isWellFormedId(reservationId)) return null;
    const { rows } = await this.db.query(sql`
      SELECT ${COLUMNS} FROM tickets WHERE reservation_id = ${reservationId}
      ORDER BY CASE WHEN status IN ('Issued', 'Used') THEN 0 ELSE 1 END, issued_at DESC`);
    return rows[0] ? Ticket.fromSnapshot(toSnapshot(rows[0])) : null;
  }

  /** findByReservation with the reservation's ticket rows locked until the unit of work ends. */
  async findByReservationForUpdate(reservationId: string): Promise<Ticket | null> {
    if (!isWellFormedId(reservationId)) return null;
    const { rows } = await this.db.query(sql`
      SELECT ${COLUMNS} FROM tickets ${lockedRows} WHERE reservation_id = ${reservationId}
      ORDER BY CASE WHEN status IN ('Issued', 'Used') THEN 0 ELSE 1 END, issued_at DESC ${forUpdate}`);
    return rows[0] ? Ticket.fromSnapshot(toSnapshot(rows[0])) : null;
  }

  /** Inserts a new ticket or updates a loaded one (optimistic on version), then its outbox rows. */
  async save(ticket: Ticket): Promise<void> {
    const session = this.writeSession();
    const change = session.pendingChange(ticket);
    if (change.events.length === 0) return;
    const t = checked(ticketSnapshotSchema, ticket.toSnapshot(), 'ticket');
    if (change.expectedVersion === 0) {
      await this.db.query(sql`
        INSERT INTO tickets (id, ticket_number, reservation_id, payment_id, showtime_id, customer_id, movie_title,
          screening_time, auditorium_name, seats, total_amount_minor, currency, status, issued_at, used_at, voided_at,
          void_reason, refunded_at, refund_reason, version)
        VALUES (${t.id}, ${t.ticketNumber}, ${t.reservationId}, ${t.paymentId}, ${t.showtimeId}, ${t.customerId},
          ${t.movieTitle}, ${new Date(t.screeningTime)}, ${t.auditoriumName}, ${json(t.seats)}, ${t.totalAmountMinor},
          ${t.currency}, ${t.status}, ${new Date(t.issuedAt)}, ${date(t.usedAt)}, ${date(t.voidedAt)}, ${t.voidReason},
          ${date(t.refundedAt)}, ${t.refundReason}, ${t.version})`);
    } else {
      const { rowCount } = await this.db.query(sql`
        UPDATE tickets SET status = ${t.status}, used_at = ${date(t.usedAt)}, voided_at = ${date(t.voidedAt)},
          void_reason = ${t.voidReason}, refunded_at = ${date(t.refundedAt)}, refund_reason = ${t.refundReason},
          version = ${t.version}, updated_at = ${byDialect({ postgres: sql`now()`, mssql: sql`SYSDATETIMEOFFSET()` })}
        WHERE id = ${t.id} AND version = ${change.expectedVersion}`);
      this.assertUpdated(rowCount, 'Ticket', t.id, change.expectedVersion);
    }
    session.eventsWritten(ticket, change);
  }

  private async one(statement: ReturnType<typeof sql>): Promise<Ticket | null> {
    const { rows } = await this.db.query(statement);
    return rows[0] ? Ticket.fromSnapshot(toSnapshot(rows[0])) : null;
  }
}

const date = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

function toSnapshot(row: Row): TicketSnapshot {
  const seats = seatSchema.array().parse(read.jsonValue(row.seats, 'seats')) as SeatRef[];
  return {
    id: read.str(row.id, 'id'),
    ticketNumber: read.str(row.ticket_number, 'ticket_number'),
    reservationId: read.str(row.reservation_id, 'reservation_id'),
    paymentId: read.str(row.payment_id, 'payment_id'),
    showtimeId: read.str(row.showtime_id, 'showtime_id'),
    customerId: read.str(row.customer_id, 'customer_id'),
    movieTitle: read.str(row.movie_title, 'movie_title'),
    screeningTime: read.iso(row.screening_time, 'screening_time'),
    auditoriumName: read.str(row.auditorium_name, 'auditorium_name'),
    seats,
    totalAmountMinor: read.int(row.total_amount_minor, 'total_amount_minor'),
    currency: read.str(row.currency, 'currency'),
    status: read.str(row.status, 'status') as TicketSnapshot['status'],
    issuedAt: read.iso(row.issued_at, 'issued_at'),
    usedAt: read.isoOrNull(row.used_at, 'used_at'),
    voidedAt: read.isoOrNull(row.voided_at, 'voided_at'),
    voidReason: read.strOrNull(row.void_reason, 'void_reason'),
    refundedAt: read.isoOrNull(row.refunded_at, 'refunded_at'),
    refundReason: read.strOrNull(row.refund_reason, 'refund_reason'),
    version: read.int(row.version, 'version'),
  };
}
