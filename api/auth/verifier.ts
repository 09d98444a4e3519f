/**
 * Verifies a bearer token with jose: signature (asymmetric algorithms only, never `none` or a
 * shared secret), issuer, audience, expiry with AUTH_CLOCK_SKEW_SECONDS of tolerance, and the
 * claims contract (identity.ts). Every gateway and API node builds its own and verifies every
 * request itself: nothing an earlier hop added is trusted.
 *
 * Keys, from configuration:
 * - AUTH_JWKS_URL: an identity provider's key set; jose caches it, and fetches it again (at most
 *   every 30 s) when a token names a key id it does not know, which is how rotation arrives;
 * - AUTH_PUBLIC_KEY: one public key, PEM (SPKI) or JWK;
 * - neither: the development key (dev-key.ts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../../config';
import { authKeySource, type AuthKeySource } from '../../config/production-guards';
import { validateId } from '../../domain/shared/ids';
import { DEV_ONLY_AUTH_SIGNING_KEY } from './dev-key';
import { isRole, type Identity } from './identity';

export type AuthConfig = Pick<
  Config,
  'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS_URL' | 'AUTH_PUBLIC_KEY' | 'AUTH_CLOCK_SKEW_SECONDS'
>;

/** Where the verification keys come from. */
export type KeySource = AuthKeySource;
export const keySourceOf = authKeySource;

/** Why a token was refused: said to the caller (RFC 6750 error_description) and logged. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** The identity provider's key set could not be fetched (answered 503, not 401). */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the token signing keys could not be fetched', { cause });
    this.name = 'KeysUnavailableError';
  }
}

export interface TokenVerifier {
  readonly keySource: KeySource;
  /** The identity the token carries; rejects with InvalidTokenError when it may not be trusted. */
  verify(token: string): Promise<Identity>;
}

/** Asymmetric JWS algorithms a key set may use (HS* would let a public key sign; `none` signs nothing). */
const ASYMMETRIC = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
];

export interface VerifierOptions {
  /** Least time between two fetches of the key set (a token with an unknown key id triggers one). */
  readonly jwksCooldownMs?: number;
}

export function createVerifier(config: AuthConfig, options: VerifierOptions = {}): TokenVerifier {
  const keySource = keySourceOf(config);
  let key: KeyObject | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.AUTH_JWKS_URL !== undefined) {
    key = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      timeoutDuration: 5_000,
    });
    algorithms = ASYMMETRIC;
  } else {
    key = config.AUTH_PUBLIC_KEY !== undefined ? parsePublicKey(config.AUTH_PUBLIC_KEY) : devPublicKey();
    algorithms = algorithmsFor(key);
  }
  const checks = {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    clockTolerance: config.AUTH_CLOCK_SKEW_SECONDS,
    algorithms,
    requiredClaims: ['exp', 'sub'],
  };

  return {
    keySource,
    async verify(token) {
      let payload;
      try {
        // Two overloads (a key or a key-resolving function); the branch keeps TypeScript on one.
        payload =
          typeof key === 'function'
            ? (await jwtVerify(token, key, checks)).payload
            : (await jwtVerify(token, key, checks)).payload;
      } catch (error) {
        // The key set could not be fetched: our outage, not a bad token.
        if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
          throw new KeysUnavailableError(error);
        }
        throw new InvalidTokenError(describeJoseError(error));
      }
      if (!validateId(payload.sub, 'sub').ok) {
        throw new InvalidTokenError("the token's subject is not a usable id");
      }
      if (!isRole(payload.role)) throw new InvalidTokenError('the token has no known role');
      return { subject: payload.sub as string, role: payload.role };
    },
  };
}

function devPublicKey(): KeyObject {
  return createPublicKey({ key: { ...DEV_ONLY_AUTH_SIGNING_KEY.publicJwk }, format: 'jwk' });
}

/** A PEM (SPKI) or JWK public key; a private key or a shared secret is refused. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('{')
      ? createPublicKey({
          key: JSON.parse(trimmed) as Record<string, unknown> & { kty: string },
          format: 'jwk',
        })
      : createPublicKey(trimmed);
  } catch (error) {
    throw new Error(`AUTH_PUBLIC_KEY is not a PEM or JWK public key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  algorithmsFor(key); // refuses key types we cannot verify with
  return key;
}

/** The algorithms a key can verify, so a token cannot pick another one for it. */
function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const alg = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' }[curve ?? ''];
      if (alg === undefined) throw new Error(`AUTH_PUBLIC_KEY: unsupported EC curve ${curve}`);
      return [alg];
    }
    case 'rsa':
      return ['RS256', 'RS384', 'RS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    default:
      throw new Error(`AUTH_PUBLIC_KEY: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed by an unknown key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'the token is malformed';
  return 'the token is not valid';
}
