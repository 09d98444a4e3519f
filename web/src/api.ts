/** Calls to the gateway's API: JSON in and out, the signed-in user's bearer token on every call. */
import { messageFor } from './errors';

let token: string | null = null;
export const setToken = (t: string | null): void => {
  token = t;
};

/** An answer that is not 2xx, with the API's error code and a sentence for people. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(messageFor(code));
  }
}

export interface Call {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** The status too: a purchase answers 200, 202 and 400 with bodies the caller reads. */
export async function request<T>(path: string, call: Call = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: call.method ?? 'GET',
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
  } catch {
    throw new ApiFailure(0, 'NetworkError', {});
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body: body as T };
}

export async function api<T>(path: string, call: Call = {}): Promise<T> {
  const { status, body } = await request<T>(path, call);
  if (status >= 200 && status < 300) return body;
  const b = (body ?? {}) as Record<string, unknown>;
  const code =
    typeof b.error === 'string'
      ? b.error
      : status === 401
        ? 'Unauthorized'
        : status === 403
          ? 'Forbidden'
          : status === 429
            ? 'TooManyRequests'
            : status >= 500
              ? 'ServiceUnavailable'
              : 'NotFound';
  throw new ApiFailure(status, code, b);
}

// ---- the API's shapes, as far as the app reads them ---------------------------------------------

export interface Showtime {
  id: string;
  movieId: string;
  movieTitle: string;
  auditoriumId: string;
  auditoriumName: string;
  startsAt: string;
  endsAt: string;
  price: number | null;
  currency: string | null;
  capacity: number;
  seatsAvailable: number;
}

export type SeatState = 'Available' | 'Held' | 'Sold';

export interface SeatLayout {
  showtime: Showtime;
  seatsPerRowMax: number;
  seatsAvailable: number;
  rows: Array<{
    row: number;
    gaps: number[];
    seats: Array<{ number: number; state: SeatState }>;
  }>;
  /** Only on a live update: when the read side published the change (epoch ms). */
  publishedAt?: number | null;
}

export interface SeatRef {
  row: number;
  number: number;
}

export interface Reservation {
  id: string;
  showtimeId: string;
  customerId: string;
  seats: SeatRef[];
  status: string;
  totalPrice: number | null;
  currency: string | null;
  holdExpiresAt: string | null;
}

export interface SagaStatus {
  sagaId: string;
  status: 'Started' | 'InProgress' | 'Compensating' | 'Completed' | 'Compensated' | 'Failed';
  currentStep: number;
  totalSteps: number;
  failureReason: string | null;
  ticketId: string | null;
  ticketNumber: string | null;
  stepLogs: Array<{ stepName: string; success: boolean; message: string; timestamp: string }>;
}

export interface Ticket {
  id: string;
  ticketNumber: string;
  reservationId: string;
  paymentId: string;
  showtimeId: string;
  customerId: string;
  movieTitle: string;
  screeningTime: string;
  auditoriumName: string;
  seats: SeatRef[];
  totalPrice: number | null;
  status: 'Issued' | 'Used' | 'Voided' | 'Refunded';
  qrCode: string;
}

export interface Validation {
  valid: boolean;
  ticketNumber: string;
  movieTitle: string;
  screeningTime: string;
  /** Already in words: "Row 5, Seats 10-11". */
  seats: string;
  reason?: string;
}

export interface SalesRow {
  showtimeId: string;
  movieTitle: string;
  auditoriumName: string;
  startsAt: string;
  capacity: number;
  seatsAvailable: number;
  ticketsIssued: number;
  ticketsRefunded: number;
  seatsSold: number;
  seatsOccupied: number;
  grossRevenue: number;
  refunded: number;
  netRevenue: number;
  currency: string;
}

export interface PurchaseLink {
  sagaId: string;
  runId: string;
  executionStatus: string;
  sagaStatus: string | null;
  customerId: string | null;
  ticketNumber: string | null;
  startedAt: string;
  webUiUrl: string;
}
