/**
 * The gateway's GETs of the read model, answered over gRPC by the read service (CQRS: queries
 * never touch the API nodes or the write database). gRPC codes become HTTP statuses here.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { GrpcStatus, isGrpcError, type ReadClient } from '../../read-service/client';
import { ApiError } from '../http/api-error';
import { paymentView, reservationView, seatMapView, showtimeView, ticketView } from './views';

const STATUS_OF: Partial<Record<GrpcStatus, [number, string]>> = {
  [GrpcStatus.NOT_FOUND]: [404, 'NotFound'],
  [GrpcStatus.INVALID_ARGUMENT]: [400, 'ValidationFailed'],
  [GrpcStatus.UNAVAILABLE]: [503, 'ServiceUnavailable'],
  [GrpcStatus.DEADLINE_EXCEEDED]: [503, 'ServiceUnavailable'],
};

export function readRoutes(read: ReadClient): Router {
  const router = Router();
  const get = (path: string, answer: (req: Request) => Promise<unknown>) =>
    router.get(path, (req, res, next) => {
      answer(req).then(
        (body) => res.json(body),
        (e: unknown) => sendGrpcError(e, res, next),
      );
    });
  const param = (req: Request, name: string) => String(req.params[name]);
  const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? req.query[name] : '');

  get('/api/showtimes', async (req) => {
    const r = await read.listShowtimes({ movieId: query(req, 'movieId'), date: query(req, 'date') });
    return r.showtimes.map(showtimeView);
  });
  get('/api/showtimes/:id', async (req) =>
    showtimeView(await read.getShowtime({ showtimeId: param(req, 'id') })),
  );
  get('/api/showtimes/:id/seats', async (req) =>
    seatMapView(await read.getSeatMap({ showtimeId: param(req, 'id') })),
  );
  // Before /api/tickets/:id so "by-number" is never taken for a ticket id.
  get('/api/tickets/by-number/:n', async (req) =>
    ticketView(await read.getTicketByNumber({ ticketNumber: param(req, 'n') })),
  );
  get('/api/tickets/:id', async (req) => ticketView(await read.getTicket({ ticketId: param(req, 'id') })));
  get('/api/customers/:id/tickets', async (req) => {
    const r = await read.listCustomerTickets({ customerId: param(req, 'id') });
    return r.tickets.map(ticketView);
  });
  get('/api/payments/:id', async (req) =>
    paymentView(await read.getPayment({ paymentId: param(req, 'id') })),
  );
  get('/api/reservations/:id', async (req) =>
    reservationView(await read.getReservation({ reservationId: param(req, 'id') })),
  );
  return router;
}

export function sendGrpcError(e: unknown, res: Response, next: NextFunction): void {
  const mapped = isGrpcError(e) ? STATUS_OF[e.code] : undefined;
  if (mapped === undefined || !isGrpcError(e)) {
    next(e);
    return;
  }
  const [status, code] = mapped;
  res.status(status).json(new ApiError(status, code, e.details || code).toBody());
}
