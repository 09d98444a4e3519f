/**
 * Today's sales per showtime, for the admin page:
 *
 *   GET /api/reports/sales?date=YYYY-MM-DD   admin   200 list | 400 | 401 | 403   (UTC day, default today)
 *
 * The day's showtimes come from the read model; each one's figures from the reporting database
 * the outbox relay keeps (db/reporting/projection.ts), zero for a showtime nothing was sold for yet.
 */
import { Router } from 'express';
import { requireRole } from '../auth';
import type { Queryable } from '../../db/database';
import { getShowtimeSales, type ShowtimeSales } from '../../db/reporting/projection';
import type { ReadClient } from '../../read-service/client';
import { decimalAmount } from '../presenters/money';
import { ApiError, validationFailed } from '../http/api-error';
import { sendGrpcError } from './read-routes';
import type { ShowtimeBody } from '../openapi/bodies/resources';
import type { SalesReportBody } from '../openapi/bodies/web';
import { completeViews, showtimeView } from './views';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function salesRoutes(read: ReadClient, reporting: Queryable | undefined): Router {
  const router = Router();
  router.get('/api/reports/sales', requireRole('admin'), (req, res, next) => {
    const raw = typeof req.query.date === 'string' ? req.query.date : new Date().toISOString().slice(0, 10);
    if (!DATE.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
      const e = validationFailed({ date: 'expected YYYY-MM-DD' });
      res.status(e.status).json(e.toBody());
      return;
    }
    if (reporting === undefined) {
      const e = new ApiError(503, 'ServiceUnavailable', 'The reporting database is not configured');
      res.status(e.status).json(e.toBody());
      return;
    }
    read
      .listShowtimes({ movieId: '', date: raw })
      .then(async (list) => {
        const showtimes = completeViews(list.showtimes, showtimeView);
        const sales = await Promise.all(showtimes.map((s) => getShowtimeSales(reporting, s.id)));
        return showtimes.map((s, i) => salesRow(s, sales[i] ?? null));
      })
      .then(
        (rows) => res.json({ date: raw, showtimes: rows } satisfies SalesReportBody),
        (e: unknown) => sendGrpcError(e, res, next),
      );
  });
  return router;
}

function salesRow(s: ShowtimeBody, f: ShowtimeSales | null): SalesReportBody['showtimes'][number] {
  const currency = f?.currency ?? s.currency;
  const money = (minor: number) => decimalAmount(minor, currency);
  return {
    showtimeId: s.id,
    movieTitle: s.movieTitle,
    auditoriumName: s.auditoriumName,
    startsAt: s.startsAt,
    capacity: s.capacity,
    seatsAvailable: s.seatsAvailable,
    ticketsIssued: f?.ticketsIssued ?? 0,
    ticketsRefunded: f?.ticketsRefunded ?? 0,
    seatsSold: f?.seatsSold ?? 0,
    seatsOccupied: f?.seatsOccupied ?? 0,
    grossRevenue: money(f?.grossRevenueMinor ?? 0),
    refunded: money(f?.refundedMinor ?? 0),
    netRevenue: money(f?.netRevenueMinor ?? 0),
    currency,
  };
}
