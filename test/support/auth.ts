/**
 * Tokens for tests, signed with the development key (api/auth/dev-key.ts) and the default issuer
 * and audience, so every gateway and API node a test starts with default config accepts them.
 *
 *   request(app).get('/api/ticketpurchase/purchase-1/status').set('Authorization', bearer('customer-1', 'customer'))
 *
 * The other helpers make tokens that must be refused, one reason each.
 */
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { signToken, type AuthConfig, type Role } from '../../api/auth';

export const TEST_ISSUER = 'cinema-booking-dev';
export const TEST_AUDIENCE = 'cinema-booking-api';

/** What a gateway or API node started by a test verifies with: the development key, defaults. */
export const DEV_AUTH_CONFIG: AuthConfig = Object.freeze({
  AUTH_ISSUER: TEST_ISSUER,
  AUTH_AUDIENCE: TEST_AUDIENCE,
  AUTH_JWKS_URL: undefined,
  AUTH_PUBLIC_KEY: undefined,
  AUTH_CLOCK_SKEW_SECONDS: 30,
});

export interface BearerOptions {
  /** Seconds or `15m`, `1h`... (default 1 hour). */
  readonly ttl?: string | number;
  readonly issuer?: string;
  readonly audience?: string;
  /** "Now" in epoch seconds at signing. */
  readonly now?: number;
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

/** The `Authorization` header value for `sub` with `role`. */
export function bearer(sub: string, role: Role, opts: BearerOptions = {}): string {
  return `Bearer ${token(sub, role, opts)}`;
}

/** The bare token (for the token command, Swagger UI, gRPC metadata tests). */
export function token(sub: string, role: Role, opts: BearerOptions = {}): string {
  return signToken({
    subject: sub,
    role,
    ttl: opts.ttl,
    issuer: opts.issuer ?? TEST_ISSUER,
    audience: opts.audience ?? TEST_AUDIENCE,
    now: opts.now,
    extraClaims: opts.extraClaims,
  });
}

/** Expired `seconds` ago (default: an hour, well past any clock skew). */
export function expiredBearer(sub: string, role: Role, seconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return bearer(sub, role, { now: now - seconds - 60, ttl: 60 });
}

export const wrongAudienceBearer = (sub: string, role: Role): string =>
  bearer(sub, role, { audience: 'some-other-api' });

export const wrongIssuerBearer = (sub: string, role: Role): string =>
  bearer(sub, role, { issuer: 'https://someone-else.example' });

/** Well formed and unexpired, but signed by a key nobody configured. */
export function otherKeyBearer(sub: string, role: Role): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return `Bearer ${signToken({ subject: sub, role, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, key: { privateKey, kid: 'cinema-booking-dev-1' } })}`;
}

/** `alg: none` with an empty signature: the oldest trick. */
export function algNoneBearer(sub: string, role: Role): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: TEST_ISSUER, aud: TEST_AUDIENCE, sub, role, iat: now, exp: now + 3600 };
  return `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** A valid token of `sub` whose payload was edited afterwards (here: promoted to `role`). */
export function tamperedBearer(sub: string, role: Role): string {
  const [header, payload, signature] = token(sub, 'customer').split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const edited = Buffer.from(JSON.stringify({ ...claims, role })).toString('base64url');
  return `Bearer ${header}.${edited}.${signature}`;
}

/**
 * A supertest agent for `url` whose every request carries `authorization`:
 * `asCaller(bearer('customer-123', 'customer'))(h.url).get('/api/ticketpurchase/purchase-1/status')`.
 */
export const asCaller =
  (authorization: string) =>
  (url: string): TestAgent =>
    request.agent(url).set('Authorization', authorization);

/** The callers most API tests need: the example customer, a door scanner, an administrator. */
export const asCustomer = asCaller(bearer('customer-123', 'customer'));
export const asStaff = asCaller(bearer('door-1', 'staff'));
export const asAdmin = asCaller(bearer('admin-1', 'admin'));
