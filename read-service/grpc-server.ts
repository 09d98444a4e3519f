/**
 * The gRPC face of ReadQueries: request fields in, encoded proto messages out (sent as the
 * queries hand them over, encoded.ts), QueryError codes as gRPC status codes, and the call's
 * deadline as the budget of every MongoDB read.
 */
import {
  Server,
  ServerCredentials,
  status as GrpcStatus,
  type handleUnaryCall,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceDefinition,
} from '@grpc/grpc-js';

import { ReadServiceService } from '../proto/gen/cinema/read/v1/read';
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
import { OWNER_FIELD, stringField, type Encoded } from './encoded';
import { QueryError, type Budget, type ReadQueries } from './queries';

type Methods = typeof ReadServiceService;

/** ReadService's handlers, answering with encoded messages. */
export type EncodedReadServiceServer = {
  [K in keyof Methods]: handleUnaryCall<
    ReturnType<Methods[K]['requestDeserialize']>,
    Encoded<Parameters<Methods[K]['responseSerialize']>[0]>
  >;
};

/**
 * ReadService as generated, except that an answer goes out as the bytes it already is: the same
 * messages on the wire (clients use the generated definition), one encoding less per call.
 */
export const ENCODED_READ_SERVICE: ServiceDefinition = Object.fromEntries(
  Object.entries(ReadServiceService).map(([name, method]) => [
    name,
    { ...method, responseSerialize: (answer: Buffer) => answer },
  ]),
) as ServiceDefinition;

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
 * Hands `answer` back when the caller may see its customer's data (its `customer_id`, read from
 * the encoded message); otherwise the very NOT_FOUND the query gives for a missing one
 * (`ticket <id> not found`).
 */
const owned =
  (caller: Caller, ownerField: number, notFound: string) =>
  <T>(answer: Encoded<T>): Encoded<T> => {
    if (caller !== undefined) checkOwner(caller, stringField(answer, ownerField), notFound);
    return answer;
  };

export function readServiceImplementation(
  q: ReadQueries,
  checks: AccessChecks = accessChecks({}),
): EncodedReadServiceServer {
  return {
    listShowtimes: unary(checks, (r, b) => q.listShowtimes(r.movieId, r.date, b)),
    getShowtime: unary(checks, (r, b) => q.getShowtime(r.showtimeId, b)),
    getSeatMap: unary(checks, (r, b) => q.getSeatMap(r.showtimeId, b)),
    getTicket: unary(
      checks,
      (r, b, c) =>
        q.getTicket(r.ticketId, b).then(owned(c, OWNER_FIELD.ticket, `ticket ${r.ticketId} not found`)),
      true,
    ),
    getTicketByNumber: unary(
      checks,
      (r, b, c) =>
        q
          .getTicketByNumber(r.ticketNumber, b)
          .then(owned(c, OWNER_FIELD.ticket, `ticket ${r.ticketNumber} not found`)),
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
      (r, b, c) =>
        q.getPayment(r.paymentId, b).then(owned(c, OWNER_FIELD.payment, `payment ${r.paymentId} not found`)),
      true,
    ),
    getReservation: unary(
      checks,
      (r, b, c) =>
        q
          .getReservation(r.reservationId, b)
          .then(owned(c, OWNER_FIELD.reservation, `reservation ${r.reservationId} not found`)),
      true,
    ),
    getPurchaseSummary: unary(
      checks,
      (r, b, c) =>
        q
          .getPurchaseSummary(r.sagaId, b)
          .then(owned(c, OWNER_FIELD.purchase, `purchase ${r.sagaId} not found`)),
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
  server.addService(ENCODED_READ_SERVICE, readServiceImplementation(q, checks));
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
