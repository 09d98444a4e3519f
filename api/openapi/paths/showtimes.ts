/** Showtimes (api/routes/showtimes.ts, GETs: api/gateway/read-routes.ts). */
import { z } from 'zod';
import { createShowtimeBodySchema } from '../../schemas/showtime';
import { seatMapBody, showtimeBody } from '../bodies/resources';
import { failure, json, operation, SURFACES } from '../operation';
import { badId, idPath, notFound, READ_MODEL_NOTE } from './reads';

const tags = ['Showtimes'];

export const showtimeOperations = [
  operation('get', '/api/showtimes', ['gateway'], {
    roles: 'public',
    tags,
    operationId: 'listShowtimes',
    summary: 'Showtimes, optionally of one movie and/or one day (gateway only: read model)',
    requestParams: {
      query: z.object({
        movieId: z.string().optional().meta({ description: 'Only this movie' }),
        date: z
          .string()
          .optional()
          .meta({ description: 'Only this UTC day of `startsAt`, YYYY-MM-DD', example: '2026-11-22' }),
      }),
    },
    responses: {
      200: json('The showtimes, possibly none', z.array(showtimeBody)),
      400: failure('ValidationFailed: `date` is not YYYY-MM-DD'),
    },
  }),
  operation('post', '/api/showtimes', SURFACES, {
    roles: ['admin'],
    tags,
    operationId: 'scheduleShowtime',
    summary: 'Schedule a showtime of a movie in an auditorium',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: createShowtimeBodySchema,
          example: {
            movieId: 'movie-inception',
            auditoriumId: 'hall-1',
            startsAt: '2026-12-12T20:00:00Z',
            price: 12.5,
            currency: 'USD',
          },
        },
      },
    },
    responses: {
      201: json('Scheduled; `Location` is its URL', showtimeBody, { location: true }),
      400: failure('ValidationFailed, MalformedJson, InvalidMoney...'),
      404: failure('MovieNotFound, AuditoriumNotFound'),
      409: failure('ShowtimeOverlaps: the auditorium is busy then (cleaning gap included)'),
      422: failure('ShowtimeInPast'),
    },
  }),
  operation('get', '/api/showtimes/{id}', ['gateway'], {
    roles: 'public',
    tags,
    operationId: 'getShowtime',
    summary: 'A showtime with its capacity and free seats',
    description: READ_MODEL_NOTE,
    requestParams: { path: idPath },
    responses: { 200: json('The showtime', showtimeBody), 400: badId, 404: notFound('ShowtimeNotFound') },
  }),
  operation('get', '/api/showtimes/{id}/seats', ['gateway'], {
    roles: 'public',
    tags,
    operationId: 'getSeatMap',
    summary: 'The seats of a showtime that are held or sold (gateway only: read model)',
    requestParams: { path: idPath },
    responses: {
      200: json('The seat map', seatMapBody),
      400: badId,
      404: failure('NotFound: no such showtime (yet)'),
    },
  }),
];
