/**
 * Response building blocks shared by every resource: the error body, seats, instants, and the
 * headers every answer carries. Response objects are strict (`additionalProperties: false`) so a
 * field added to a presenter without documenting it fails the contract tests.
 */
import { z } from 'zod';
import 'zod-openapi';

/**
 * An ISO-8601 instant as the API writes them (`Date.toISOString()`). Documented by `format` alone:
 * zod's own datetime check would add a page-long regex to every timestamp of the document.
 */
export const instant = () => z.string().meta({ format: 'date-time', example: '2025-12-12T20:00:00.000Z' });

export const seatBody = z
  .strictObject({ row: z.int().min(1), number: z.int().min(1) })
  .meta({ id: 'Seat', example: { row: 5, number: 10 } });

export const errorBody = z
  .strictObject({
    success: z.literal(false),
    error: z.string().meta({ description: 'Stable error code, e.g. ValidationFailed, TicketNotFound' }),
    message: z.string().meta({ description: 'Human-readable; never quotes the request body' }),
    fields: z.record(z.string(), z.string()).optional().meta({
      description: 'ValidationFailed only: field path (`seats.1.row`, `Idempotency-Key`) -> what is wrong',
    }),
    sagaId: z
      .string()
      .optional()
      .meta({ description: 'IdempotencyKeyReused and SagaFailed: the saga the request is about' }),
  })
  .meta({
    id: 'Error',
    description: 'Every failure of the API: `{ success: false, error: <Code>, message }`.',
    example: { success: false, error: 'TicketNotFound', message: 'No ticket ticket-abc123' },
  });

/** `X-Request-Id` as a request parameter: optional, a sane caller id is kept. */
export const requestIdParam = z
  .string()
  .optional()
  .meta({
    param: { id: 'XRequestIdParam' },
    description:
      "Correlation id. Kept when it is 1-100 letters, digits, '.', '_', ':' or '-' (starting with a " +
      'letter or digit), otherwise replaced by a new UUID; it follows the request into the saga ' +
      '(memo, `RequestId` search attribute) and its Kafka events.',
    example: 'demo-request-1',
  });

/** `X-Request-Id` as a response header: every answer has one. */
export const requestIdHeader = z.string().meta({
  header: { id: 'XRequestId' },
  description: 'The request id the caller sent (when usable) or the one minted for this request',
});

export const locationHeader = z.string().meta({
  header: { id: 'Location' },
  description: 'Where the created resource (201) or the running saga (202) can be read',
});

/** Headers of an answer: always the request id, plus `Location` where the route sets it. */
export const headers = (options: { location?: boolean } = {}) =>
  options.location
    ? z.object({ 'X-Request-Id': requestIdHeader, Location: locationHeader })
    : z.object({ 'X-Request-Id': requestIdHeader });
