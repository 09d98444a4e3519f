/**
 * Every request carries an id: the caller's `X-Request-Id` when it is a sane token (a gateway or
 * load balancer in front sets one), otherwise a new UUID. It is echoed in the response header,
 * bound to every log line of the request and handed to the workflows the request starts, so one
 * purchase can be followed from the gateway to its Kafka events.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { passesLuhn } from '../../domain/payment/card-number';
import { safeText } from '../schemas/common';
import { parseInput } from './validate';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Letters, digits and a few separators; long enough for a UUID or a trace id, short enough to log. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * The id lands in logs, a plain-text search attribute and Kafka headers: a caller pasting a card
 * number into it must not put one there.
 */
const looksLikeCardNumber = (id: string): boolean => /^\d{12,19}$/.test(id) && passesLuhn(id);

export function acceptableRequestId(incoming: string | undefined): incoming is string {
  return incoming !== undefined && ACCEPTABLE_REQUEST_ID.test(incoming) && !looksLikeCardNumber(incoming);
}

/**
 * What a caller may send at all: a header carrying control characters or 10 kB is no confused
 * proxy but a hostile client, and is refused (400) rather than quietly replaced.
 */
const requestIdHeaderSchema = safeText(200);

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get(REQUEST_ID_HEADER);
  const id = acceptableRequestId(incoming) ? incoming : randomUUID();
  req.id = id;
  res.locals.requestId = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  if (incoming === undefined) {
    next();
    return;
  }
  try {
    parseInput(requestIdHeaderSchema, incoming, 'headers', REQUEST_ID_HEADER);
    next();
  } catch (error) {
    next(error);
  }
}

export function requestIdOf(res: Response): string {
  const id: unknown = res.locals.requestId;
  if (typeof id !== 'string') throw new Error('requestIdMiddleware did not run');
  return id;
}
