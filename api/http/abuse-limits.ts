/**
 * Abuse limits of the commands that hold seats (purchases and plain holds), shared by every API
 * node through Redis (rate-limiter-flexible's fixed windows): a customer (the token's subject) and
 * a client address may each start only so many per minute, and one customer may hold only so many
 * seats at once. A refusal is 429 with `Retry-After` and the API's error JSON, before the request
 * touches the database or Temporal.
 *
 * When Redis can't be reached each node falls back to an in-memory limiter of the same size
 * (rate-limiter-flexible's insurance limiter): the limits then hold per node instead of across
 * nodes, which beats refusing every purchase or letting every one through.
 */
import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../config';
import type { Database } from '../../db/database';
import { sql } from '../../db/sql';
import { optionalIdentityOf } from '../auth';
import { ApiError } from './api-error';

export type AbuseLimitConfig = Pick<
  Config,
  | 'RATE_LIMIT_PURCHASES_PER_CUSTOMER'
  | 'RATE_LIMIT_PURCHASES_PER_ADDRESS'
  | 'RATE_LIMIT_HOLDS_PER_CUSTOMER'
  | 'RATE_LIMIT_HOLDS_PER_ADDRESS'
  | 'RATE_LIMIT_WINDOW_SECONDS'
  | 'RATE_LIMIT_KEY_PREFIX'
  | 'MAX_SEATS_HELD_PER_CUSTOMER'
>;

export type LimitedCommand = 'purchase' | 'hold';

interface Limiters {
  readonly customer: RateLimiterRedis;
  readonly address: RateLimiterRedis;
}

/** The rate-limit middleware of `command`, or none when the node runs without limits (some tests). */
export const rateLimited = (deps: { readonly limits?: AbuseLimits | undefined }, command: LimitedCommand) =>
  deps.limits ? [deps.limits.rateLimit(command)] : [];

export class AbuseLimits {
  private readonly limiters: Readonly<Record<LimitedCommand, Limiters>>;

  constructor(
    redis: Redis,
    private readonly config: AbuseLimitConfig,
  ) {
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}:${name}`,
        points,
        duration: config.RATE_LIMIT_WINDOW_SECONDS,
        insuranceLimiter: new RateLimiterMemory({ points, duration: config.RATE_LIMIT_WINDOW_SECONDS }),
      });
    this.limiters = {
      purchase: {
        customer: limiter('purchase:customer', config.RATE_LIMIT_PURCHASES_PER_CUSTOMER),
        address: limiter('purchase:address', config.RATE_LIMIT_PURCHASES_PER_ADDRESS),
      },
      hold: {
        customer: limiter('hold:customer', config.RATE_LIMIT_HOLDS_PER_CUSTOMER),
        address: limiter('hold:address', config.RATE_LIMIT_HOLDS_PER_ADDRESS),
      },
    };
  }

  /**
   * Express middleware counting one `command` against the caller's address and, when a token
   * names one, its subject. Anonymous callers are counted by address only (routes that need a
   * customer refuse them anyway).
   */
  rateLimit(command: LimitedCommand) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const limiters = this.limiters[command];
      const subject = optionalIdentityOf(res)?.subject;
      try {
        await limiters.address.consume(req.ip ?? 'unknown');
        if (subject !== undefined) await limiters.customer.consume(subject);
        next();
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          next(error);
          return;
        }
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        res.setHeader('Retry-After', String(seconds));
        next(
          new ApiError(429, 'TooManyRequests', `Too many ${command} requests; try again in ${seconds} s`, {
            retryAfterSeconds: seconds,
          }),
        );
      }
    };
  }

  /**
   * Refuses (429) a hold that would take the customer's live, unpaid holds past the cap. A
   * pre-check like the showtime's: two requests at once may both pass, the rate limits bound that.
   */
  async checkSeatCap(db: Database, customerId: string, requested: number): Promise<void> {
    const { rows } = await db.query(sql`
      SELECT count(*) AS n FROM reservation_seats s
      JOIN reservations r ON r.id = s.reservation_id
      WHERE r.customer_id = ${customerId} AND r.status = 'Pending'
        AND s.released_at IS NULL AND r.hold_expires_at > ${new Date()}`);
    const held = Number(rows[0]?.n ?? 0);
    const cap = this.config.MAX_SEATS_HELD_PER_CUSTOMER;
    if (held + requested > cap) {
      throw new ApiError(
        429,
        'TooManySeatsHeld',
        `A customer may hold at most ${cap} seats at once (${held} held now); buy or cancel some first`,
        { heldSeats: held, maxHeldSeats: cap },
      );
    }
  }
}
