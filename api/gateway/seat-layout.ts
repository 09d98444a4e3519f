/**
 * A showtime's seat map drawn from its auditorium's layout: every seat of every row with its state
 * (Available, Held, Sold), and the gaps (aisles) of each row, for the web app's seat map. Public, so
 * it names no reservation (that would lead to a customer): a customer knows their own held seats.
 *
 *   GET /api/showtimes/:id/seat-layout   200 | 400 | 404
 *
 * The states come from the read model (gRPC), the layout from the API nodes (reference data in the
 * write database, GET /api/auditoriums/:id), cached here: a hall's layout does not change under a
 * scheduled showtime, and neither does the hall a showtime is in.
 */
import { Router, type NextFunction, type Response } from 'express';
import type { ReadClient } from '../../read-service/client';
import { ApiError } from '../http/api-error';
import { sendGrpcError } from './read-routes';
import type { ShowtimeBody } from '../openapi/bodies/resources';
import type { AuditoriumLayoutBody, SeatLayoutBody } from '../openapi/bodies/web';
import { seatMapView, showtimeView } from './views';

/** How long a layout is kept: long enough that a seat change never waits for it. */
const LAYOUT_TTL_MS = 5 * 60_000;
/** Showtimes whose hall is remembered at most (a small map, not a cache of everything). */
const MAX_REMEMBERED = 5000;

export class SeatLayouts {
  private readonly layouts = new Map<string, { at: number; layout: Promise<AuditoriumLayoutBody> }>();
  private readonly showtimes = new Map<string, ShowtimeBody>();

  constructor(
    private readonly read: ReadClient,
    private readonly lbAddress: string,
  ) {}

  async view(showtimeId: string, headers: Record<string, string> = {}): Promise<SeatLayoutBody> {
    const [showtime, map] = await Promise.all([
      this.showtime(showtimeId),
      this.read.getSeatMap({ showtimeId }).then(seatMapView),
    ]);
    const layout = await this.layout(showtime.auditoriumId, headers);
    const taken = new Map(map.taken.map((t) => [`${t.row}:${t.number}`, t]));
    return {
      showtime: { ...showtime, seatsAvailable: map.seatsAvailable },
      seatsPerRowMax: layout.seatsPerRowMax,
      seatsAvailable: map.seatsAvailable,
      rows: layout.rows.map((r) => ({
        row: r.row,
        gaps: r.gaps,
        seats: r.seats.map((number) => {
          const t = taken.get(`${r.row}:${number}`);
          return { number, state: t?.state ?? 'Available' };
        }),
      })),
    };
  }

  private async showtime(id: string) {
    const known = this.showtimes.get(id);
    if (known) return known;
    const s = showtimeView(await this.read.getShowtime({ showtimeId: id }));
    if (this.showtimes.size >= MAX_REMEMBERED) this.showtimes.clear();
    this.showtimes.set(id, s);
    return s;
  }

  private layout(auditoriumId: string, headers: Record<string, string>): Promise<AuditoriumLayoutBody> {
    const cached = this.layouts.get(auditoriumId);
    if (cached && Date.now() - cached.at < LAYOUT_TTL_MS) return cached.layout;
    const layout = fetch(`http://${this.lbAddress}/api/auditoriums/${encodeURIComponent(auditoriumId)}`, {
      headers,
    }).then(async (res) => {
      if (!res.ok) throw new ApiError(502, 'BadGateway', `The auditorium layout answered ${res.status}`);
      return (await res.json()) as AuditoriumLayoutBody;
    });
    this.layouts.set(auditoriumId, { at: Date.now(), layout });
    layout.catch(() => this.layouts.delete(auditoriumId));
    return layout;
  }
}

/** The headers a gateway-made call to the API nodes carries on the caller's behalf. */
export function forwardedHeaders(req: { headers: Record<string, string | string[] | undefined> }) {
  const out: Record<string, string> = {};
  for (const name of ['authorization', 'x-request-id']) {
    const v = req.headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

export function sendLayoutError(e: unknown, res: Response, next: NextFunction): void {
  if (e instanceof ApiError) {
    res.status(e.status).json(e.toBody());
    return;
  }
  sendGrpcError(e, res, next);
}

export function seatLayoutRoutes(layouts: SeatLayouts): Router {
  const router = Router();
  router.get('/api/showtimes/:id/seat-layout', (req, res, next) => {
    layouts.view(String(req.params.id), forwardedHeaders(req)).then(
      (body) => res.json(body),
      (e: unknown) => sendLayoutError(e, res, next),
    );
  });
  return router;
}
