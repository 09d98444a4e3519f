/**
 * Limits of the two front hops (gateway, load balancer), on plain node:http objects so both can
 * use them: a cap on requests in flight (503 with Retry-After beyond it: back-pressure instead of
 * an unbounded queue) and on the declared body size (413 before a byte of the body is read).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error';

export function sendApiError(
  res: ServerResponse,
  error: ApiError,
  headers: Record<string, string> = {},
): void {
  res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(error.toBody()));
}

/** Counts requests in flight; `admit` answers 503 itself and returns false when full. */
export function inFlightLimit(max: number) {
  let inFlight = 0;
  return {
    admit(res: ServerResponse): boolean {
      if (inFlight >= max) {
        sendApiError(res, new ApiError(503, 'Overloaded', 'Too many requests in flight; try again shortly'), {
          'retry-after': '1',
        });
        return false;
      }
      inFlight += 1;
      res.once('close', () => {
        inFlight -= 1;
      });
      return true;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

export const payloadTooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, 'PayloadTooLarge', `The request body is larger than ${maxBytes} bytes`);

/** A Content-Length over `maxBytes`: answered 413 here, returns false. Chunked bodies are counted by the reader. */
export function admitDeclaredBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared <= maxBytes) return true;
  sendApiError(res, payloadTooLarge(maxBytes), { connection: 'close' });
  return false;
}
