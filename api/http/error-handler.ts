/**
 * The last two middlewares: unknown routes answer 404 JSON, and every error becomes the API's
 * error JSON. Nothing of an unexpected error (message, stack) reaches the client, and errors of
 * the JSON body parser are described in our words: their messages quote the request body, which
 * may hold a card number.
 */
import { isGrpcServiceError } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import { ConcurrencyConflictError } from '../../db/errors';
import { ApiError } from './api-error';

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new ApiError(404, 'NotFound', `No route for ${req.method} ${req.path}`));
}

/** body-parser's error types (it sets `type` and `status` on what it throws). */
const BODY_PARSER_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  'entity.parse.failed': {
    status: 400,
    code: 'MalformedJson',
    message: 'The request body is not valid JSON',
  },
  'entity.too.large': { status: 413, code: 'PayloadTooLarge', message: 'The request body is too large' },
  'encoding.unsupported': {
    status: 415,
    code: 'UnsupportedEncoding',
    message: 'The request body encoding is not supported',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UnsupportedCharset',
    message: 'The request body charset is not supported',
  },
  'request.aborted': { status: 400, code: 'RequestAborted', message: 'The request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'InvalidRequestSize',
    message: 'The request body size does not match Content-Length',
  },
};

export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const apiError = toApiError(error);
  if (apiError.status >= 500) {
    // pino-http logs the request with this error attached (at error level), request id included.
    res.err = error instanceof Error ? error : new Error(String(error));
  }
  res.status(apiError.status).json(apiError.toBody());
}

/**
 * A route parameter with a broken percent escape (`/api/tickets/%E0%A4%A`): express's router
 * throws a URIError marked 400 while matching the route. The client's mistake, not ours.
 */
export function malformedUrlError(error: unknown): ApiError | undefined {
  if (!(error instanceof URIError)) return undefined;
  return new ApiError(400, 'MalformedUrl', 'The request path has a malformed percent escape');
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const malformedUrl = malformedUrlError(error);
  if (malformedUrl) return malformedUrl;
  if (error instanceof ConcurrencyConflictError) {
    return new ApiError(409, 'ConcurrentModification', 'Someone else changed this resource; try again');
  }
  if (isTemporalUnavailable(error)) {
    return new ApiError(503, 'ServiceUnavailable', 'Temporal is unavailable; try again shortly');
  }
  const type = (error as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
  if (known) return new ApiError(known.status, known.code, known.message);
  return new ApiError(500, 'InternalError', 'An unexpected error occurred');
}

/** gRPC UNAVAILABLE (14) from the Temporal client: the server is down or unreachable. */
function isTemporalUnavailable(error: unknown): boolean {
  const grpc = isGrpcServiceError(error) ? error : (error as { cause?: unknown } | null)?.cause;
  return isGrpcServiceError(grpc) && grpc.code === 14;
}
