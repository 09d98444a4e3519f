/**
 * The read API client the gateway's GET routes use: promise-returning methods over
 * the generated ReadServiceClient, a deadline on every call, and gRPC errors kept as they are so
 * the gateway can map NOT_FOUND -> 404, INVALID_ARGUMENT -> 400, UNAVAILABLE -> 503.
 */
import { credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

import {
  ReadServiceClient,
  type GetPaymentRequest,
  type GetPurchaseSummaryRequest,
  type GetReservationRequest,
  type GetSeatMapRequest,
  type GetShowtimeRequest,
  type GetTicketByNumberRequest,
  type GetTicketRequest,
  type ListCustomerTicketsRequest,
  type ListCustomerTicketsResponse,
  type ListShowtimesRequest,
  type ListShowtimesResponse,
  type Payment,
  type PurchaseSummary,
  type Reservation,
  type SeatMap,
  type Showtime,
  type Ticket,
} from '../proto/gen/cinema/read/v1/read';
import { HealthClient, HealthCheckResponse_ServingStatus } from '../proto/gen/grpc/health/v1/health';
import { CALLER_AUTH_METADATA, SERVICE_AUTH_METADATA } from './access';
import { dependencyServiceName, type ReadDependency } from './health';

export { GrpcStatus };
export type { ServiceError };

export const isGrpcError = (e: unknown, code?: GrpcStatus): e is ServiceError =>
  typeof e === 'object' &&
  e !== null &&
  'code' in e &&
  (code === undefined || (e as ServiceError).code === code);

/**
 * While the read service is down, gRPC waits longer and longer between reconnects (up to 120 s by
 * default) and fails every call meanwhile, so a read service that is back would stay unreachable
 * (and the gateway 503) for minutes. A cap of a few seconds costs one refused connection each time.
 */
const CHANNEL_OPTIONS = { 'grpc.max_reconnect_backoff_ms': 2000 };

export interface ReadClientOptions {
  /** Per-call deadline unless a call passes its own. */
  readonly deadlineMs?: number;
  /** READ_SERVICE_TOKEN: presented on every ReadService call (access.ts). */
  readonly serviceToken?: string;
}

type Unary<Req, Res> = (
  req: Req,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (e: ServiceError | null, res: Res) => void,
) => unknown;

export class ReadClient {
  private readonly raw: ReadServiceClient;
  private readonly health: InstanceType<typeof HealthClient>;
  private readonly deadlineMs: number;
  private readonly serviceToken: string | undefined;
  /** The end user's `Authorization` value, sent with per-customer queries (see forCaller). */
  private callerAuthorization: string | undefined;

  constructor(address: string, options: ReadClientOptions = {}) {
    this.raw = new ReadServiceClient(address, credentials.createInsecure(), CHANNEL_OPTIONS);
    this.health = new HealthClient(address, credentials.createInsecure(), CHANNEL_OPTIONS);
    this.deadlineMs = options.deadlineMs ?? 2000;
    this.serviceToken = options.serviceToken;
  }

  /**
   * The same client (same channels) asking on behalf of the caller whose `Authorization` header
   * value this is: the read service verifies it and shows only that caller's data.
   */
  forCaller(authorization: string): ReadClient {
    const scoped = Object.create(this) as ReadClient;
    scoped.callerAuthorization = authorization;
    return scoped;
  }

  private metadata(): Metadata {
    const metadata = new Metadata();
    if (this.serviceToken !== undefined) {
      metadata.set(SERVICE_AUTH_METADATA, `Bearer ${this.serviceToken}`);
    }
    if (this.callerAuthorization !== undefined) {
      metadata.set(CALLER_AUTH_METADATA, this.callerAuthorization);
    }
    return metadata;
  }

  private call<Req, Res>(method: Unary<Req, Res>, req: Req, deadlineMs?: number): Promise<Res> {
    const deadline = new Date(Date.now() + (deadlineMs ?? this.deadlineMs));
    return new Promise((resolve, reject) =>
      method.call(this.raw, req, this.metadata(), { deadline }, (e, res) => (e ? reject(e) : resolve(res))),
    );
  }

  listShowtimes(
    req: Partial<ListShowtimesRequest> = {},
    deadlineMs?: number,
  ): Promise<ListShowtimesResponse> {
    return this.call(this.raw.listShowtimes, { movieId: '', date: '', ...req }, deadlineMs);
  }
  getShowtime(req: GetShowtimeRequest, deadlineMs?: number): Promise<Showtime> {
    return this.call(this.raw.getShowtime, req, deadlineMs);
  }
  getSeatMap(req: GetSeatMapRequest, deadlineMs?: number): Promise<SeatMap> {
    return this.call(this.raw.getSeatMap, req, deadlineMs);
  }
  getTicket(req: GetTicketRequest, deadlineMs?: number): Promise<Ticket> {
    return this.call(this.raw.getTicket, req, deadlineMs);
  }
  getTicketByNumber(req: GetTicketByNumberRequest, deadlineMs?: number): Promise<Ticket> {
    return this.call(this.raw.getTicketByNumber, req, deadlineMs);
  }
  listCustomerTickets(
    req: ListCustomerTicketsRequest,
    deadlineMs?: number,
  ): Promise<ListCustomerTicketsResponse> {
    return this.call(this.raw.listCustomerTickets, req, deadlineMs);
  }
  getPayment(req: GetPaymentRequest, deadlineMs?: number): Promise<Payment> {
    return this.call(this.raw.getPayment, req, deadlineMs);
  }
  getReservation(req: GetReservationRequest, deadlineMs?: number): Promise<Reservation> {
    return this.call(this.raw.getReservation, req, deadlineMs);
  }
  getPurchaseSummary(req: GetPurchaseSummaryRequest, deadlineMs?: number): Promise<PurchaseSummary> {
    return this.call(this.raw.getPurchaseSummary, req, deadlineMs);
  }

  /** grpc.health.v1 Check: true when the read service says SERVING. */
  async serving(deadlineMs?: number): Promise<boolean> {
    const deadline = new Date(Date.now() + (deadlineMs ?? this.deadlineMs));
    return new Promise((resolve) =>
      this.health.check({ service: '' }, new Metadata(), { deadline }, (e, res) =>
        resolve(!e && res.status === HealthCheckResponse_ServingStatus.SERVING),
      ),
    );
  }

  /**
   * The read service's view of one of its dependencies (grpc.health.v1, dependency.<name>):
   * resolves when it is SERVING, rejects with the reason otherwise or when the read service
   * does not answer.
   */
  async dependency(name: ReadDependency, deadlineMs?: number): Promise<void> {
    const deadline = new Date(Date.now() + (deadlineMs ?? this.deadlineMs));
    return new Promise((resolve, reject) =>
      this.health.check({ service: dependencyServiceName(name) }, new Metadata(), { deadline }, (e, res) => {
        if (e) reject(new Error(`read service: ${e.details || e.message}`));
        else if (res.status !== HealthCheckResponse_ServingStatus.SERVING) {
          reject(new Error(`read service reports ${name} ${HealthCheckResponse_ServingStatus[res.status]}`));
        } else resolve();
      }),
    );
  }

  close(): void {
    this.raw.close();
    this.health.close();
  }
}
