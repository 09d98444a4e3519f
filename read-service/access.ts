/**
 * Who may ask the read service what. Two checks, both in gRPC metadata:
 *
 * - the calling service (the gateway): `authorization: Bearer <READ_SERVICE_TOKEN>` on every
 *   ReadService call when a token is configured (production requires one: config/production-guards.ts);
 * - the end user: queries about one customer's data (a ticket, a payment, a reservation, a
 *   purchase, a customer's ticket list) carry the caller's own bearer token in
 *   `x-caller-authorization`; the read service verifies it itself (api/auth/verifier.ts, same
 *   issuer, audience and keys as the gateway) and answers another customer's data as NOT_FOUND,
 *   exactly like data that does not exist. Showtimes and seat maps are public.
 *
 * The health service is left open: it says nothing about anyone's data.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { mayAccessCustomerData, type Identity } from '../api/auth/identity';
import type { TokenVerifier } from '../api/auth/verifier';

export const SERVICE_AUTH_METADATA = 'authorization';
export const CALLER_AUTH_METADATA = 'x-caller-authorization';

export interface ReadAccess {
  /** When set, every ReadService call must present it. */
  readonly serviceToken?: string;
  /** When set, per-customer queries need a caller token and answer only what it may see. */
  readonly callers?: TokenVerifier;
}

/** A refusal with its gRPC status; the gateway maps them to HTTP. */
export class AccessDenied extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
  ) {
    super(message);
    this.name = 'AccessDenied';
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Throws unless the call presents the service token (compared in constant time). */
export function checkService(access: ReadAccess, metadata: Metadata): void {
  if (access.serviceToken === undefined) return;
  const presented = String(metadata.get(SERVICE_AUTH_METADATA)[0] ?? '');
  if (!timingSafeEqual(digest(presented), digest(`Bearer ${access.serviceToken}`))) {
    throw new AccessDenied(GrpcStatus.UNAUTHENTICATED, 'the calling service is not authenticated');
  }
}

/** The verified end user of a per-customer query, or undefined when callers are not checked. */
export async function callerOf(access: ReadAccess, metadata: Metadata): Promise<Identity | undefined> {
  if (access.callers === undefined) return undefined;
  const header = String(metadata.get(CALLER_AUTH_METADATA)[0] ?? '');
  const token = /^Bearer (\S+)$/.exec(header)?.[1];
  if (token === undefined) throw new AccessDenied(GrpcStatus.UNAUTHENTICATED, 'no caller token');
  try {
    return await access.callers.verify(token);
  } catch {
    throw new AccessDenied(GrpcStatus.UNAUTHENTICATED, 'the caller token is not valid');
  }
}

/** NOT_FOUND (as for a missing resource) unless the caller may see `customerId`'s data. */
export function checkOwner(caller: Identity | undefined, customerId: string, notFound: string): void {
  if (caller !== undefined && !mayAccessCustomerData(caller, customerId)) {
    throw new AccessDenied(GrpcStatus.NOT_FOUND, notFound);
  }
}
