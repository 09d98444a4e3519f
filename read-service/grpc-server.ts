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
import { ReadDiagnosticsService, type ReadDiagnosticsServer } from '../proto/gen/cinema/read/v1/diagnostics';
import {
  accessChecks,
  AccessDenied,
  callerOf,
  checkOwner,
  type AccessChecks,
  type ReadAccess,
} from './access';
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

type Caller = Awaited<ReturnType<typeof callerOf>>;

/**
 * Adapts one query to a unary handler, after the access checks (access.ts): the calling service
 * always; the end user when the query is about one customer's data (`perCustomer`).
 */
function unary<Req, Res>(
  checks: AccessChecks,
  run: (req: Req, budget: Budget, caller: Caller) => Promise<Res>,
  perCustomer = false,
) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    // Through a promise, so a synchronous validation error is answered like any other.
    Promise.resolve()
      .then(async () => {
        checks.service(call.metadata);
        const caller = perCustomer ? await callerOf(checks.access, call.metadata) : undefined;
        return run(call.request, budgetOf(call), caller);
      })
      .then(
        (res) => callback(null, res),
        (e: unknown) => {
          if (e instanceof QueryError) callback({ code: CODES[e.code], details: e.message });
          else if (e instanceof AccessDenied) callback({ code: e.code, details: e.message });
          else callback({ code: GrpcStatus.INTERNAL, details: 'internal error' });
        },
      );
  };
}

/**
 * Hands `view` back when the caller may see its customer's data; otherwise the very NOT_FOUND
 * the query gives for a missing one (`ticket <id> not found`).
 */
const owned =
  (caller: Caller, notFound: string) =>
  <T extends { customerId: string }>(view: T): T => {
    checkOwner(caller, view.customerId, notFound);
    return view;
  };

export function readServiceImplementation(
  q: ReadQueries,
  checks: AccessChecks = accessChecks({}),
): ReadServiceServer {
  return {
    listShowtimes: unary(checks, (r, b) => q.listShowtimes(r.movieId, r.date, b)),
    getShowtime: unary(checks, (r, b) => q.getShowtime(r.showtimeId, b)),
    getSeatMap: unary(checks, (r, b) => q.getSeatMap(r.showtimeId, b)),
    getTicket: unary(
      checks,
      (r, b, c) => q.getTicket(r.ticketId, b).then(owned(c, `ticket ${r.ticketId} not found`)),
      true,
    ),
    getTicketByNumber: unary(
      checks,
      (r, b, c) =>
        q.getTicketByNumber(r.ticketNumber, b).then(owned(c, `ticket ${r.ticketNumber} not found`)),
      true,
    ),
    listCustomerTickets: unary(
      checks,
      (r, b, c) => {
        checkOwner(c, r.customerId, `customer ${r.customerId} not found`);
        return q.listCustomerTickets(r.customerId, b);
      },
      true,
    ),
    getPayment: unary(
      checks,
      (r, b, c) => q.getPayment(r.paymentId, b).then(owned(c, `payment ${r.paymentId} not found`)),
      true,
    ),
    getReservation: unary(
      checks,
      (r, b, c) =>
        q.getReservation(r.reservationId, b).then(owned(c, `reservation ${r.reservationId} not found`)),
      true,
    ),
    getPurchaseSummary: unary(
      checks,
      (r, b, c) => q.getPurchaseSummary(r.sagaId, b).then(owned(c, `purchase ${r.sagaId} not found`)),
      true,
    ),
  };
}

/**
 * The diagnostic Echo (proto/cinema/read/v1/diagnostics.proto): the same wrapper and access checks
 * as a per-customer read, and no work, so a read's cost can be told from the protocol's.
 */
export function diagnosticsImplementation(checks: AccessChecks = accessChecks({})): ReadDiagnosticsServer {
  return {
    echo: unary(checks, (r: { payload: Buffer }) => Promise.resolve({ payload: r.payload }), true),
  };
}

export interface GrpcServerOptions {
  readonly host?: string;
  readonly access?: ReadAccess;
  /** Serve cinema.read.v1.ReadDiagnostics too (READ_GRPC_DIAGNOSTICS). */
  readonly diagnostics?: boolean;
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
  { host = '127.0.0.1', access = {}, diagnostics = false }: GrpcServerOptions = {},
): Promise<RunningGrpcServer> {
  const server = new Server();
  const health = new HealthState();
  const checks = accessChecks(access);
  server.addService(ReadServiceService, readServiceImplementation(q, checks));
  if (diagnostics) server.addService(ReadDiagnosticsService, diagnosticsImplementation(checks));
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
