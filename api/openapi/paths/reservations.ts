/** Seat holds without buying (api/routes/reservations.ts, GETs: api/gateway/read-routes.ts). */
import { cancelReservationBodySchema, createReservationBodySchema } from '../../schemas/reservation';
import { reservationBody } from '../bodies/resources';
import { failure, json, operation, SURFACES } from '../operation';
import { badId, idPath, notFound, READ_MODEL_NOTE } from './reads';

const tags = ['Reservations'];

export const reservationOperations = [
  operation('post', '/api/reservations', SURFACES, {
    roles: ['customer'],
    tags,
    operationId: 'holdSeats',
    summary: 'Hold seats for `SEAT_HOLD_SECONDS` without buying (a reservationHold workflow)',
    description:
      'The demo data is seeded per day: take a `showtimeId` from `GET /api/showtimes` for the example.',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: createReservationBodySchema,
          example: {
            showtimeId: 'st-20261122-hall-1-1200',
            customerId: 'customer-123',
            seats: [{ row: 3, number: 7 }],
          },
        },
      },
    },
    responses: {
      201: json('Held (Pending until `holdExpiresAt`); `Location` is its URL', reservationBody, {
        location: true,
      }),
      400: failure('ValidationFailed, MalformedJson, SeatNotInAuditorium...'),
      404: failure('ShowtimeNotFound'),
      409: failure('SeatAlreadyTaken'),
      422: failure('ShowtimeInPast'),
    },
  }),
  operation('get', '/api/reservations/{id}', ['gateway'], {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'getReservation',
    summary: 'A reservation (of a hold or of a purchase)',
    description: READ_MODEL_NOTE,
    requestParams: { path: idPath },
    responses: {
      200: json('The reservation', reservationBody),
      400: badId,
      404: notFound('ReservationNotFound'),
    },
  }),
  operation('post', '/api/reservations/{id}/cancel', SURFACES, {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'cancelReservation',
    summary: 'Release a held reservation (cancelling it again answers the same)',
    requestParams: { path: idPath },
    requestBody: {
      content: {
        'application/json': { schema: cancelReservationBodySchema, example: { reason: 'changed my mind' } },
      },
    },
    responses: {
      200: json('Cancelled (now or before)', reservationBody),
      400: failure('ValidationFailed'),
      404: failure('ReservationNotFound'),
      409: failure('ReservationNotCancellable: expired, or it belongs to a purchase (cancel the purchase)'),
      503: failure('ReservationUnavailable: its workflow did not answer in time; or ServiceUnavailable'),
    },
  }),
];
