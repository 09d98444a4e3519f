/**
 * The gRPC face of ReadQueries: request fields in, proto messages out, QueryError codes as gRPC
 * status codes, and the call's deadline as the budget of every MongoDB read.
 */
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
} from '@grpc/grpc-js';

import { ReadServiceService, type ReadServiceServer } from '../proto/gen/cinema/read/v1/read';
import { HealthService } from '../proto/gen/grpc/health/v1/health';
import { HealthState, READ_SERVICE_NAME, Serving } from './health';
import { QueryError, type Budget, type ReadQueries } from './queries';

const CODES: Record<QueryError['code'], GrpcStatus> = {
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  DEADLINE_EXCEEDED: GrpcStatus.DEADLINE_EXCEEDED,
};

function budgetOf(call: ServerUnaryCall<unknown, unknown>): Budget {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  if (!Number.isFinite(at)) return () => Infinity;
  return () => at - Date.now();
}

/** Adapts one query to a unary handler. */
function unary<Req, Res>(run: (req: Req, budget: Budget) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    // Through a promise, so a synchronous validation error is answered like any other.
    Promise.resolve()
      .then(() => run(call.request, budgetOf(call)))
      .then(
        (res) => callback(null, res),
        (e: unknown) => {
          if (e instanceof QueryError) callback({ code: CODES[e.code], details: e.message });
          else callback({ code: GrpcStatus.INTERNAL, details: 'internal error' });
        },
      );
  };
}

export function readServiceImplementation(q: ReadQueries): ReadServiceServer {
  return {
    listShowtimes: unary((r, b) => q.listShowtimes(r.movieId, r.date, b)),
    getShowtime: unary((r, b) => q.getShowtime(r.showtimeId, b)),
    getSeatMap: unary((r, b) => q.getSeatMap(r.showtimeId, b)),
    getTicket: unary((r, b) => q.getTicket(r.ticketId, b)),
    getTicketByNumber: unary((r, b) => q.getTicketByNumber(r.ticketNumber, b)),
    listCustomerTickets: unary((r, b) => q.listCustomerTickets(r.customerId, b)),
    getPayment: unary((r, b) => q.getPayment(r.paymentId, b)),
    getReservation: unary((r, b) => q.getReservation(r.reservationId, b)),
    getPurchaseSummary: unary((r, b) => q.getPurchaseSummary(r.sagaId, b)),
  };
}

export interface RunningGrpcServer {
  readonly port: number;
  readonly health: HealthState;
  /** Stops taking calls, lets running ones finish (up to graceMs), then forces the rest. */
  stop(graceMs?: number): Promise<void>;
}

export async function startGrpcServer(
  q: ReadQueries,
  port: number,
  host = '127.0.0.1',
): Promise<RunningGrpcServer> {
  const server = new Server();
  const health = new HealthState();
  server.addService(ReadServiceService, readServiceImplementation(q));
  server.addService(HealthService, health.implementation());
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  health.set('', Serving.SERVING);
  health.set(READ_SERVICE_NAME, Serving.SERVING);
  return {
    port: bound,
    health,
    stop: async (graceMs = 5000) => {
      health.shutdown();
      const forced = setTimeout(() => server.forceShutdown(), graceMs);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      clearTimeout(forced);
    },
  };
}
