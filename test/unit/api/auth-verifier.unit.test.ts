import { generateKeyPairSync } from 'node:crypto';
import { createVerifier, InvalidTokenError, parseTtl, signToken, type AuthConfig } from '../../../api/auth';
import {
  algNoneBearer,
  bearer,
  expiredBearer,
  otherKeyBearer,
  tamperedBearer,
  wrongAudienceBearer,
  wrongIssuerBearer,
} from '../../support/auth';

const config: AuthConfig = {
  AUTH_ISSUER: 'cinema-booking-dev',
  AUTH_AUDIENCE: 'cinema-booking-api',
  AUTH_JWKS_URL: undefined,
  AUTH_PUBLIC_KEY: undefined,
  AUTH_CLOCK_SKEW_SECONDS: 30,
};
const bare = (header: string) => header.replace(/^Bearer /, '');

describe('token verifier (development key)', () => {
  const verifier = createVerifier(config);

  it('accepts a development token and reads subject and role', async () => {
    expect(verifier.keySource).toBe('development');
    await expect(verifier.verify(bare(bearer('customer-1', 'customer')))).resolves.toEqual({
      subject: 'customer-1',
      role: 'customer',
    });
    await expect(verifier.verify(bare(bearer('boss', 'admin')))).resolves.toEqual({
      subject: 'boss',
      role: 'admin',
    });
  });

  it('tolerates the configured clock skew and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    const justExpired = bare(bearer('c', 'customer', { now: now - 70, ttl: 60 })); // expired 10 s ago
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ subject: 'c' });
    const strict = createVerifier({ ...config, AUTH_CLOCK_SKEW_SECONDS: 0 });
    await expect(strict.verify(justExpired)).rejects.toThrow('expired');
  });

  it.each([
    ['expired', expiredBearer('c', 'customer'), 'expired'],
    ['another audience', wrongAudienceBearer('c', 'customer'), 'aud'],
    ['another issuer', wrongIssuerBearer('c', 'customer'), 'iss'],
    ['another key', otherKeyBearer('c', 'admin'), 'signature'],
    ['alg none', algNoneBearer('c', 'admin'), 'algorithm'],
    ['a tampered payload', tamperedBearer('c', 'admin'), 'signature'],
    ['an unknown role', bearer('c', 'customer', { extraClaims: { role: 'root' } }), 'role'],
    ['a subject that is no id', bearer('a b/c', 'customer'), 'subject'],
    ['no expiry', bearer('c', 'customer', { extraClaims: { exp: undefined } }), 'exp'],
    ['garbage', 'Bearer not.a.token', 'malformed'],
  ])('refuses %s', async (_what, header, reason) => {
    const refusal = verifier.verify(bare(header));
    await expect(refusal).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(refusal).rejects.toThrow(reason);
  });
});

describe('token verifier (AUTH_PUBLIC_KEY)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signed = signToken({
    subject: 'customer-9',
    role: 'customer',
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    key: { privateKey, kid: 'prod-1' },
  });

  it.each([
    ['PEM', publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['JWK', JSON.stringify(publicKey.export({ format: 'jwk' }))],
  ])('verifies with a %s public key and refuses the development key', async (_format, text) => {
    const verifier = createVerifier({ ...config, AUTH_PUBLIC_KEY: text });
    expect(verifier.keySource).toBe('public-key');
    await expect(verifier.verify(signed)).resolves.toEqual({ subject: 'customer-9', role: 'customer' });
    await expect(verifier.verify(bare(bearer('customer-9', 'customer')))).rejects.toThrow('signature');
  });

  it('refuses garbage as AUTH_PUBLIC_KEY', () => {
    expect(() => createVerifier({ ...config, AUTH_PUBLIC_KEY: 'not a key' })).toThrow('AUTH_PUBLIC_KEY');
  });
});

describe('parseTtl', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604_800],
  ])('%s is %d seconds', (text, seconds) => expect(parseTtl(text)).toBe(seconds));
  it('refuses nonsense', () => expect(() => parseTtl('soon')).toThrow('lifetime'));
});
