/** Calls to the gateway's API: JSON in and out, the signed-in user's bearer token on every call. */
import type { SagaStatusBody } from '../../api/openapi/bodies/purchase';
import type {
  ReservationBody,
  ShowtimeBody,
  TicketBody,
  TicketValidationBody,
} from '../../api/openapi/bodies/resources';
import type { SalesReportBody, SeatLayoutBody, ShowtimePurchasesBody } from '../../api/openapi/bodies/web';
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

// ---- the API's shapes: the zod schemas its writers are typed by (type-only: no zod in the bundle) --

export type Showtime = ShowtimeBody;
export type SeatState = SeatLayoutBody['rows'][number]['seats'][number]['state'];
export type SeatLayout = SeatLayoutBody & {
  /** Only on a live update (api/gateway/seat-stream.ts): when the read side published the change (epoch ms). */
  publishedAt?: number | null;
};
export type SeatRef = TicketBody['seats'][number];
export type Reservation = ReservationBody;
export type SagaStatus = SagaStatusBody;
export type Ticket = TicketBody;
export type Validation = TicketValidationBody;
export type SalesRow = SalesReportBody['showtimes'][number];
export type PurchaseLink = ShowtimePurchasesBody[number];
