/**
 * Mints tokens with an Ed25519 key: the development key by default (`npm run token`, the
 * gateway's development sign-in, tests). Hand-written JWS over node:crypto instead of jose's
 * SignJWT because it is synchronous, which keeps `bearer()` in tests a plain value; every token is
 * still verified by jose (api/auth/verifier.ts), so a mistake here fails verification.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { DEV_ONLY_AUTH_SIGNING_KEY } from './dev-key';
import type { Role } from './identity';

export interface TokenOptions {
  readonly subject: string;
  readonly role: Role;
  /** Lifetime: seconds, or `30s`, `15m`, `1h`, `7d`. Default 1 hour. */
  readonly ttl?: string | number;
  readonly issuer: string;
  readonly audience: string;
  /** Defaults to the development key (kid `cinema-booking-dev-1`). */
  readonly key?: { readonly privateKey: KeyObject; readonly kid: string };
  /** "Now" in epoch seconds (tests make expired tokens with it). */
  readonly now?: number;
  /** Extra claims, merged last (tests use it to break the contract on purpose). */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

let devKey: { privateKey: KeyObject; kid: string } | undefined;

export function devSigningKey(): { privateKey: KeyObject; kid: string } {
  devKey ??= {
    privateKey: createPrivateKey({ key: { ...DEV_ONLY_AUTH_SIGNING_KEY.privateJwk }, format: 'jwk' }),
    kid: DEV_ONLY_AUTH_SIGNING_KEY.kid,
  };
  return devKey;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90`, `90s`, `15m`, `1h`, `7d` -> seconds. */
export function parseTtl(ttl: string | number): number {
  if (typeof ttl === 'number') return ttl;
  const match = /^(\d+)\s*([smhd]?)$/.exec(ttl.trim());
  if (!match) throw new Error(`expected a lifetime like 90, 90s, 15m, 1h or 7d, got ${JSON.stringify(ttl)}`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1);
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signToken(options: TokenOptions): string {
  const key = options.key ?? devSigningKey();
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const header = { alg: 'EdDSA', typ: 'JWT', kid: key.kid };
  const claims = {
    iss: options.issuer,
    aud: options.audience,
    sub: options.subject,
    role: options.role,
    iat: now,
    exp: now + parseTtl(options.ttl ?? '1h'),
    ...options.extraClaims,
  };
  const input = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign(null, Buffer.from(input), key.privateKey).toString('base64url');
  return `${input}.${signature}`;
}
