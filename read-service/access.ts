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
 * The health service is left open: it says nothing about anyone's data. A server verifies a caller
 * token once and then remembers it until it expires, a minute at most (`rememberVerified`).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { decodeJwt } from 'jose';
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

/**
 * The service token check of `access`: throws unless a call presents the token (compared in
 * constant time, as digests so the lengths match; the expected one is computed once).
 */
export function serviceCheck(access: ReadAccess): (metadata: Metadata) => void {
  if (access.serviceToken === undefined) return () => undefined;
  const expected = digest(`Bearer ${access.serviceToken}`);
  return (metadata) => {
    const presented = String(metadata.get(SERVICE_AUTH_METADATA)[0] ?? '');
    if (!timingSafeEqual(digest(presented), expected)) {
      throw new AccessDenied(GrpcStatus.UNAUTHENTICATED, 'the calling service is not authenticated');
    }
  };
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

export interface RememberOptions {
  /** Tokens remembered at most (the oldest is forgotten first). */
  readonly maxEntries?: number;
  /** How long an accepted token is remembered at most, even when it expires later. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * `verifier`, remembering the tokens it accepted by their exact text until they expire, and for a
 * minute at most. A caller sends the same token with every request, and checking its signature
 * was the largest part of a cached read (`npm run bench:grpc` with BENCH_GRPC_PROFILE). A minute
 * is less than the key set is cached for (api/auth/verifier.ts), so a withdrawn key is not
 * trusted longer than without this. Refusals are not remembered: an untrusted token is checked
 * again each time and takes no room. A Map in insertion order is the whole bounded cache.
 */
export function rememberVerified(verifier: TokenVerifier, options: RememberOptions = {}): TokenVerifier {
  const { maxEntries = 10_000, ttlMs = 60_000, now = Date.now } = options;
  const accepted = new Map<string, { identity: Identity; until: number }>();
  return {
    keySource: verifier.keySource,
    async verify(token) {
      const t = now();
      const known = accepted.get(token);
      if (known !== undefined) {
        if (t < known.until) return known.identity;
        accepted.delete(token);
      }
      const identity = await verifier.verify(token);
      // The verifier required `exp`; remembered only until then (no clock skew allowance).
      const expiresAt = (decodeJwt(token).exp ?? 0) * 1000;
      const until = Math.min(expiresAt, t + ttlMs);
      if (until > t) {
        if (accepted.size >= maxEntries) accepted.delete(accepted.keys().next().value!);
        accepted.set(token, { identity, until });
      }
      return identity;
    },
  };
}

/** One server's checks, built once: the service token's digest, the remembered caller tokens. */
export interface AccessChecks {
  readonly access: ReadAccess;
  readonly service: (metadata: Metadata) => void;
}

export function accessChecks(access: ReadAccess): AccessChecks {
  return {
    access: access.callers ? { ...access, callers: rememberVerified(access.callers) } : access,
    service: serviceCheck(access),
  };
}
