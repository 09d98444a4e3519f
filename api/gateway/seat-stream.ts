/**
 * Live seat maps as server-sent events:
 *
 *   GET /api/showtimes/:id/seats/stream   text/event-stream; event `seats` = the seat-layout body
 *
 * Fed by the read side, never by polling a database: the read service publishes a showtime's id on
 * Redis pub/sub once its projection of a reservation change is written (read-service/seat-feed.ts).
 * This gateway subscribes to a showtime's channel while at least one browser watches it, reads the
 * fresh seat map once per change (coalesced: changes that arrive during a read cause one more
 * read, not one each) and sends it to every watcher. A watcher gets the current map on connect, and
 * every watcher of every showtime gets it again when the Redis subscription comes back after an
 * outage (changes published meanwhile were lost).
 */
import type { Response } from 'express';
import { Router } from 'express';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { seatChannel, type SeatChange } from '../../read-service/seat-feed';
import { validateId } from '../../domain/shared/ids';
import { ApiError } from '../http/api-error';
import { forwardedHeaders, sendLayoutError, type SeatLayouts } from './seat-layout';

/** The stream's route, and the same path as a test for the gateway's in-flight limits (app.ts). */
const STREAM_ROUTE = '/api/showtimes/:id/seats/stream';
export const isSeatStream = (req: { method: string; path: string }): boolean =>
  req.method === 'GET' && /^\/api\/showtimes\/[^/]+\/seats\/stream$/.test(req.path);

/** A comment line this often keeps proxies and browsers from timing the stream out. */
const HEARTBEAT_MS = 15_000;
/** What a browser waits before reconnecting after the stream broke. */
const RETRY_MS = 1000;

interface Watch {
  readonly clients: Set<Response>;
  /** A read is in flight; `again` asks for one more after it (a change arrived meanwhile). */
  reading: boolean;
  again: boolean;
  lastPublishedAt: number | null;
}

export class SeatStreams {
  private readonly watches = new Map<string, Watch>();
  private readonly heartbeat: NodeJS.Timeout;
  private wasReady = false;

  constructor(
    private readonly layouts: SeatLayouts,
    /** Without one (a test that only lists routes) a stream sends the map on connect only. */
    private readonly subscriber: Redis | null,
    private readonly channelPrefix: string,
    private readonly logger: Logger,
  ) {
    this.heartbeat = setInterval(() => {
      for (const w of this.watches.values()) for (const res of w.clients) res.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    if (!subscriber) return;
    subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    subscriber.on('error', (e: Error) => logger.debug({ err: e }, 'seat feed subscriber error'));
    subscriber.on('ready', () => {
      // ioredis re-subscribes on reconnect; what was published while it was away is gone.
      if (this.wasReady) for (const id of this.watches.keys()) this.refresh(id, null);
      this.wasReady = true;
    });
  }

  routes(): Router {
    const router = Router();
    router.get(STREAM_ROUTE, (req, res, next) => {
      const showtimeId = String(req.params.id);
      if (!validateId(showtimeId, 'id').ok) {
        sendLayoutError(new ApiError(400, 'ValidationFailed', 'The showtime id is malformed'), res, next);
        return;
      }
      // The first map is read before the stream opens, so an unknown showtime is a plain 404.
      this.layouts.view(showtimeId, forwardedHeaders(req)).then(
        (view) => {
          res.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          });
          res.write(`retry: ${RETRY_MS}\n\n`);
          this.add(showtimeId, res);
          send(res, { ...view, publishedAt: null });
          req.on('close', () => this.remove(showtimeId, res));
        },
        (e: unknown) => sendLayoutError(e, res, next),
      );
    });
    return router;
  }

  /** Ends every stream (browsers reconnect elsewhere) and stops listening. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const w of this.watches.values()) for (const res of w.clients) res.end();
    this.watches.clear();
    this.subscriber?.disconnect();
  }

  private add(showtimeId: string, res: Response): void {
    let watch = this.watches.get(showtimeId);
    if (!watch) {
      watch = { clients: new Set(), reading: false, again: false, lastPublishedAt: null };
      this.watches.set(showtimeId, watch);
      this.subscriber?.subscribe(seatChannel(this.channelPrefix, showtimeId)).catch((e: unknown) => {
        this.logger.warn({ err: e, showtimeId }, 'seat feed subscription failed');
      });
    }
    watch.clients.add(res);
  }

  private remove(showtimeId: string, res: Response): void {
    const watch = this.watches.get(showtimeId);
    if (!watch) return;
    watch.clients.delete(res);
    if (watch.clients.size > 0) return;
    this.watches.delete(showtimeId);
    this.subscriber?.unsubscribe(seatChannel(this.channelPrefix, showtimeId)).catch(() => undefined);
  }

  private onMessage(channel: string, message: string): void {
    let change: SeatChange;
    try {
      change = JSON.parse(message) as SeatChange;
    } catch {
      return;
    }
    if (channel !== seatChannel(this.channelPrefix, change.showtimeId)) return;
    this.refresh(change.showtimeId, change.publishedAt);
  }

  private refresh(showtimeId: string, publishedAt: number | null): void {
    const watch = this.watches.get(showtimeId);
    if (!watch) return;
    watch.lastPublishedAt = publishedAt ?? watch.lastPublishedAt;
    if (watch.reading) {
      watch.again = true;
      return;
    }
    watch.reading = true;
    const at = watch.lastPublishedAt;
    this.layouts
      .view(showtimeId)
      .then(
        (view) => {
          for (const res of watch.clients) send(res, { ...view, publishedAt: at });
        },
        (e: unknown) => this.logger.warn({ err: e, showtimeId }, 'seat map not refreshed'),
      )
      .finally(() => {
        watch.reading = false;
        if (watch.again) {
          watch.again = false;
          this.refresh(showtimeId, null);
        }
      });
  }
}

function send(res: Response, body: unknown): void {
  res.write(`event: seats\ndata: ${JSON.stringify(body)}\n\n`);
}
