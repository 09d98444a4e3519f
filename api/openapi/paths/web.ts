/**
 * Routes the web app needs (api/routes/catalog.ts on the API nodes; api/gateway/seat-layout.ts,
 * seat-stream.ts and sales-routes.ts on the gateway).
 */
import { z } from 'zod';
import { auditoriumLayoutBody, salesReportBody, seatLayoutBody, showtimePurchasesBody } from '../bodies/web';
import { failure, json, operation, SURFACES } from '../operation';
import { headers } from '../bodies/common';
import { badId, idPath } from './reads';

const tags = ['Web app'];

export const webOperations = [
  operation('get', '/api/auditoriums/{id}', SURFACES, {
    tags,
    operationId: 'getAuditoriumLayout',
    roles: 'public',
    summary: "An auditorium's seat layout: rows, seat numbers and gaps (reference data, write DB)",
    requestParams: { path: idPath },
    responses: {
      200: json('The layout', auditoriumLayoutBody),
      400: badId,
      404: failure('AuditoriumNotFound'),
    },
  }),
  operation('get', '/api/showtimes/{id}/purchases', SURFACES, {
    tags,
    operationId: 'listShowtimePurchases',
    roles: ['admin'],
    summary: "A showtime's purchase sagas (Temporal visibility), each with its Web UI page",
    requestParams: { path: idPath },
    responses: {
      200: json('The purchases, newest first (at most 200)', showtimePurchasesBody),
      400: badId,
    },
  }),
  operation('get', '/api/showtimes/{id}/seat-layout', ['gateway'], {
    tags,
    operationId: 'getSeatLayout',
    roles: 'public',
    summary: "A showtime's seat map drawn from its auditorium's layout, each seat with its state",
    requestParams: { path: idPath },
    responses: {
      200: json('Every seat of every row with its state, and the gaps', seatLayoutBody),
      400: badId,
      404: failure('NotFound: no such showtime (yet)'),
    },
  }),
  operation('get', '/api/showtimes/{id}/seats/stream', ['gateway'], {
    tags,
    operationId: 'streamSeatLayout',
    roles: 'public',
    summary: "A showtime's seat map, live (server-sent events)",
    description:
      'Event `seats` carries the seat-layout body plus `publishedAt` (epoch ms of the read side ' +
      'publishing the change; null for the map sent on connect). Sent on connect, after every ' +
      "projected change of the showtime's reservations, and after a Redis reconnect.",
    requestParams: { path: idPath },
    responses: {
      200: {
        description: 'An event stream',
        headers: headers({}),
        content: { 'text/event-stream': { schema: z.string() } },
      },
      400: badId,
      404: failure('NotFound: no such showtime (yet)'),
    },
  }),
  operation('get', '/api/reports/sales', ['gateway'], {
    tags,
    operationId: 'salesReport',
    roles: ['admin'],
    summary: "A day's sales per showtime (reporting database, showtimes from the read model)",
    requestParams: {
      query: z.object({
        date: z.string().optional().meta({
          description: 'UTC day of `startsAt`, YYYY-MM-DD; today when absent',
          example: '2026-11-22',
        }),
      }),
    },
    responses: {
      200: json('Every showtime of the day with its figures (zero when nothing was sold)', salesReportBody),
      400: failure('ValidationFailed: `date` is not YYYY-MM-DD'),
    },
  }),
];
