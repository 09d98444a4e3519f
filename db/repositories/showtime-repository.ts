/**
 * The Showtime aggregate plus the reference data it is scheduled from (movies, auditoriums and
 * their seat layouts).
 */
import {
  Auditorium,
  Movie,
  Showtime,
  type ScheduledScreening,
  type SeatRowSnapshot,
} from '../../domain/showtime';
import type { Row } from '../database';
import * as read from '../row';
import { byDialect, join, sql } from '../sql';
import { checked, isWellFormedId, showtimeSnapshotSchema } from '../validation';
import { Repository } from './repository-base';

const NOW = byDialect({ postgres: sql`now()`, mssql: sql`SYSDATETIMEOFFSET()` });

/** Any film plus its cleaning gap fits in a day: a wider window would only add rows to filter. */
const SCHEDULE_WINDOW_MS = 24 * 3_600_000;

export interface ShowtimeDetails {
  readonly showtime: Showtime;
  readonly movie: Movie;
  readonly auditorium: Auditorium;
}

export class ShowtimeRepository extends Repository {
  // ---- reference data -------------------------------------------------------------------------

  async getMovie(id: string): Promise<Movie | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(
      sql`SELECT id, title, running_time_minutes, rating FROM movies WHERE id = ${id}`,
    );
    const row = rows[0];
    return row
      ? Movie.fromSnapshot({
          id: read.str(row.id, 'id'),
          title: read.str(row.title, 'title'),
          runningTimeMinutes: read.int(row.running_time_minutes, 'running_time_minutes'),
          rating: read.strOrNull(row.rating, 'rating'),
        })
      : null;
  }

  async getAuditorium(id: string): Promise<Auditorium | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(sql`
      SELECT a.id, a.name, s.seat_row, s.seat_number
      FROM auditoriums a JOIN auditorium_seats s ON s.auditorium_id = a.id
      WHERE a.id = ${id}
      ORDER BY s.seat_row, s.seat_number`);
    const first = rows[0];
    if (!first) return null;
    const byRow = new Map<number, number[]>();
    for (const row of rows) {
      const seatRow = read.int(row.seat_row, 'seat_row');
      const numbers = byRow.get(seatRow) ?? [];
      numbers.push(read.int(row.seat_number, 'seat_number'));
      byRow.set(seatRow, numbers);
    }
    const layout: SeatRowSnapshot[] = [...byRow].map(([row, seats]) => ({ row, seats }));
    return Auditorium.fromSnapshot({
      id: read.str(first.id, 'id'),
      name: read.str(first.name, 'name'),
      rows: layout,
    });
  }

  /** Inserts or updates a movie (reference data: no events). */
  async saveMovie(movie: Movie): Promise<void> {
    this.writeSession(); // reference data changes happen in a unit of work too
    const m = movie.toSnapshot();
    await this.db.query(
      sql`${byDialect({
        postgres: sql`
          INSERT INTO movies (id, title, running_time_minutes, rating) VALUES (${m.id}, ${m.title}, ${m.runningTimeMinutes}, ${m.rating})
          ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, running_time_minutes = EXCLUDED.running_time_minutes,
            rating = EXCLUDED.rating, updated_at = now()`,
        mssql: sql`
          UPDATE dbo.movies SET title = ${m.title}, running_time_minutes = ${m.runningTimeMinutes}, rating = ${m.rating},
            updated_at = SYSDATETIMEOFFSET()
          WHERE id = ${m.id};
          IF @@ROWCOUNT = 0
            INSERT INTO dbo.movies (id, title, running_time_minutes, rating)
            VALUES (${m.id}, ${m.title}, ${m.runningTimeMinutes}, ${m.rating});`,
      })}`,
    );
  }

  /**
   * Inserts or renames an auditorium and adds seats missing from its layout. Seats are never
   * deleted here: seat claims and their history reference them.
   */
  async saveAuditorium(auditorium: Auditorium): Promise<void> {
    this.writeSession();
    const a = auditorium.toSnapshot();
    await this.db.query(
      sql`${byDialect({
        postgres: sql`
          INSERT INTO auditoriums (id, name) VALUES (${a.id}, ${a.name})
          ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()`,
        mssql: sql`
          UPDATE dbo.auditoriums SET name = ${a.name}, updated_at = SYSDATETIMEOFFSET() WHERE id = ${a.id};
          IF @@ROWCOUNT = 0 INSERT INTO dbo.auditoriums (id, name) VALUES (${a.id}, ${a.name});`,
      })}`,
    );
    for (const row of a.rows) {
      // One statement per row of seats keeps parameters far below SQL Server's limit.
      const values = row.seats.map((n) => sql`(${row.row}${INT}, ${n}${INT})`);
      await this.db.query(sql`
        INSERT INTO auditorium_seats (auditorium_id, seat_row, seat_number)
        SELECT ${a.id}, v.seat_row, v.seat_number
        FROM (VALUES ${join(values)}) AS v (seat_row, seat_number)
        WHERE NOT EXISTS (
          SELECT 1 FROM auditorium_seats s
          WHERE s.auditorium_id = ${a.id} AND s.seat_row = v.seat_row AND s.seat_number = v.seat_number)`);
    }
  }

  // ---- the Showtime aggregate -----------------------------------------------------------------

  async get(id: string): Promise<Showtime | null> {
    if (!isWellFormedId(id)) return null;
    const { rows } = await this.db.query(sql`SELECT ${SHOWTIME_COLUMNS} FROM showtimes WHERE id = ${id}`);
    return rows[0] ? Showtime.fromSnapshot(toSnapshot(rows[0])) : null;
  }

  /** A showtime with its movie and auditorium (what tickets and reservations need to know). */
  async getDetails(id: string): Promise<ShowtimeDetails | null> {
    const showtime = await this.get(id);
    if (!showtime) return null;
    const [movie, auditorium] = await Promise.all([
      this.getMovie(showtime.movieId),
      this.getAuditorium(showtime.auditoriumId),
    ]);
    if (!movie || !auditorium) throw new Error(`showtime ${id} references missing reference data`);
    return { showtime, movie, auditorium };
  }

  /**
   * The showtimes around `around` in one auditorium, for the overlap rule. Inside a unit of work
   * this first locks the auditorium row, so two concurrent schedulers of the same hall take
   * turns and can't both pass the check.
   */
  async scheduleAround(auditoriumId: string, around: Date): Promise<ScheduledScreening[]> {
    if (!isWellFormedId(auditoriumId)) return [];
    await this.db.query(
      sql`${byDialect({
        postgres: sql`SELECT id FROM auditoriums WHERE id = ${auditoriumId} FOR UPDATE`,
        mssql: sql`SELECT id FROM dbo.auditoriums WITH (UPDLOCK, HOLDLOCK) WHERE id = ${auditoriumId}`,
      })}`,
    );
    const from = new Date(around.getTime() - SCHEDULE_WINDOW_MS);
    const to = new Date(around.getTime() + SCHEDULE_WINDOW_MS);
    const { rows } = await this.db.query(sql`
      SELECT id, auditorium_id, starts_at, ends_at FROM showtimes
      WHERE auditorium_id = ${auditoriumId} AND starts_at < ${to} AND ends_at > ${from}
      ORDER BY starts_at`);
    return rows.map((row) => ({
      id: read.str(row.id, 'id'),
      auditoriumId: read.str(row.auditorium_id, 'auditorium_id'),
      startsAt: read.iso(row.starts_at, 'starts_at'),
      endsAt: read.iso(row.ends_at, 'ends_at'),
    }));
  }

  /** Showtimes starting in [from, to), earliest first. */
  async listStartingBetween(from: Date, to: Date): Promise<Showtime[]> {
    const { rows } = await this.db.query(sql`
      SELECT ${SHOWTIME_COLUMNS} FROM showtimes WHERE starts_at >= ${from} AND starts_at < ${to}
      ORDER BY starts_at, id`);
    return rows.map((row) => Showtime.fromSnapshot(toSnapshot(row)));
  }

  /** Inserts a new showtime or updates a loaded one (optimistic on version) plus its outbox rows. */
  async save(showtime: Showtime): Promise<void> {
    const session = this.writeSession();
    const change = session.pendingChange(showtime);
    if (change.events.length === 0) return;
    const s = checked(showtimeSnapshotSchema, showtime.toSnapshot(), 'showtime');
    if (change.expectedVersion === 0) {
      await this.db.query(sql`
        INSERT INTO showtimes (id, movie_id, auditorium_id, starts_at, ends_at, price_amount_minor, currency, created_at, version)
        VALUES (${s.id}, ${s.movieId}, ${s.auditoriumId}, ${new Date(s.startsAt)}, ${new Date(s.endsAt)},
          ${s.priceAmountMinor}, ${s.currency}, ${new Date(s.createdAt)}, ${s.version})`);
    } else {
      const { rowCount } = await this.db.query(sql`
        UPDATE showtimes SET starts_at = ${new Date(s.startsAt)}, ends_at = ${new Date(s.endsAt)},
          price_amount_minor = ${s.priceAmountMinor}, currency = ${s.currency}, version = ${s.version}, updated_at = ${NOW}
        WHERE id = ${s.id} AND version = ${change.expectedVersion}`);
      this.assertUpdated(rowCount, 'Showtime', s.id, change.expectedVersion);
    }
    session.eventsWritten(showtime, change);
  }
}

/** PostgreSQL types a bare parameter in VALUES as text; SQL Server takes the bound int type. */
const INT = byDialect({ postgres: sql`::integer`, mssql: sql`` });

const SHOWTIME_COLUMNS = sql`id, movie_id, auditorium_id, starts_at, ends_at, price_amount_minor, currency, created_at, version`;

function toSnapshot(row: Row) {
  return {
    id: read.str(row.id, 'id'),
    movieId: read.str(row.movie_id, 'movie_id'),
    auditoriumId: read.str(row.auditorium_id, 'auditorium_id'),
    startsAt: read.iso(row.starts_at, 'starts_at'),
    endsAt: read.iso(row.ends_at, 'ends_at'),
    priceAmountMinor: read.int(row.price_amount_minor, 'price_amount_minor'),
    currency: read.str(row.currency, 'currency'),
    createdAt: read.iso(row.created_at, 'created_at'),
    version: read.int(row.version, 'version'),
  };
}
