/**
 * The gateway's GETs of the read model, answered over gRPC by the read service (CQRS: queries
 * never touch the API nodes or the write database). gRPC codes become HTTP statuses here.
 *
 * Who may ask: showtimes and seat maps are public; a ticket, payment, reservation or a customer's
 * ticket list is for its customer or an administrator. Those queries go out on behalf of the
 * caller (their token in gRPC metadata), the read service checks ownership itself, and the
 * gateway checks the answer again: another customer's data is 404, like data that does not exist.
 */
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { GrpcStatus, isGrpcError, type ReadClient } from '../../read-service/client';
import { identityOf, mayAccessCustomerData, requireRole } from '../auth';
import { ApiError, resourceNotFound } from '../http/api-error';
import {
  completeViews,
  IncompleteView,
  paymentView,
  reservationView,
  seatMapView,
  showtimeView,
  ticketView,
} from './views';

const STATUS_OF: Partial<Record<GrpcStatus, [number, string]>> = {
  [GrpcStatus.NOT_FOUND]: [404, 'NotFound'],
  [GrpcStatus.INVALID_ARGUMENT]: [400, 'ValidationFailed'],
  [GrpcStatus.UNAVAILABLE]: [503, 'ServiceUnavailable'],
  [GrpcStatus.DEADLINE_EXCEEDED]: [503, 'ServiceUnavailable'],
};

type Kind = Parameters<typeof resourceNotFound>[0];

export function readRoutes(read: ReadClient): Router {
  const router = Router();
  // A missing resource and another customer's resource get the same answer.
  const missing = (what: Kind, req: Request) => resourceNotFound(what, String(Object.values(req.params)[0]));
  const get = (path: string, what: Kind, answer: (req: Request) => Promise<unknown>) =>
    router.get(path, (req, res, next) => {
      answer(req).then(
        (body) => res.json(body),
        (e: unknown) => sendGrpcError(e, res, next, () => missing(what, req)),
      );
    });
  /** A customer's data: the owner or an administrator, asked on the caller's behalf. */
  const customerData = requireRole('customer', 'admin');
  const owned = <V extends { customerId: string }>(
    path: string,
    what: Kind,
    answer: (req: Request, asCaller: ReadClient) => Promise<V>,
  ) =>
    router.get(path, customerData, ((req, res, next) => {
      answer(req, read.forCaller(req.get('authorization') ?? '')).then(
        (view) => {
          if (mayAccessCustomerData(identityOf(res), view.customerId)) res.json(view);
          else next(missing(what, req));
        },
        (e: unknown) => sendGrpcError(e, res, next, () => missing(what, req)),
      );
    }) as RequestHandler);
  const param = (req: Request, name: string) => String(req.params[name]);
  const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? req.query[name] : '');

  get('/api/showtimes', 'Showtime', async (req) => {
    const r = await read.listShowtimes({ movieId: query(req, 'movieId'), date: query(req, 'date') });
    return completeViews(r.showtimes, showtimeView);
  });
  get('/api/showtimes/:id', 'Showtime', async (req) =>
    showtimeView(await read.getShowtime({ showtimeId: param(req, 'id') })),
  );
  get('/api/showtimes/:id/seats', 'Showtime', async (req) =>
    seatMapView(await read.getSeatMap({ showtimeId: param(req, 'id') })),
  );
  // Before /api/tickets/:id so "by-number" is never taken for a ticket id.
  owned('/api/tickets/by-number/:n', 'Ticket', async (req, asCaller) =>
    ticketView(await asCaller.getTicketByNumber({ ticketNumber: param(req, 'n') })),
  );
  owned('/api/tickets/:id', 'Ticket', async (req, asCaller) =>
    ticketView(await asCaller.getTicket({ ticketId: param(req, 'id') })),
  );
  router.get('/api/customers/:id/tickets', customerData, (req, res, next) => {
    const customerId = param(req, 'id');
    // Someone else's list is "not found", as for a customer without tickets' data we may show.
    if (!mayAccessCustomerData(identityOf(res), customerId)) {
      next(resourceNotFound('Customer', customerId));
      return;
    }
    read
      .forCaller(req.get('authorization') ?? '')
      .listCustomerTickets({ customerId })
      .then(
        (r) => res.json(completeViews(r.tickets, ticketView)),
        (e: unknown) => sendGrpcError(e, res, next),
      );
  });
  owned('/api/payments/:id', 'Payment', async (req, asCaller) =>
    paymentView(await asCaller.getPayment({ paymentId: param(req, 'id') })),
  );
  owned('/api/reservations/:id', 'Reservation', async (req, asCaller) =>
    reservationView(await asCaller.getReservation({ reservationId: param(req, 'id') })),
  );
  return router;
}

/**
 * `notFound` names what was missing; without it gRPC's own words stay. A view the read model has
 * only in part (IncompleteView) is not there yet: answered like one it does not have.
 */
export function sendGrpcError(
  e: unknown,
  res: Response,
  next: NextFunction,
  notFound?: () => ApiError,
): void {
  const notThere = e instanceof IncompleteView || (isGrpcError(e) && e.code === GrpcStatus.NOT_FOUND);
  if (notThere && notFound) {
    const error = notFound();
    res.status(error.status).json(error.toBody());
    return;
  }
  if (e instanceof IncompleteView) {
    res.status(404).json(new ApiError(404, 'NotFound', e.message).toBody());
    return;
  }
  const mapped = isGrpcError(e) ? STATUS_OF[e.code] : undefined;
  if (mapped === undefined || !isGrpcError(e)) {
    next(e);
    return;
  }
  const [status, code] = mapped;
  res.status(status).json(new ApiError(status, code, e.details || code).toBody());
}
