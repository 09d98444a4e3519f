/**
 * Tokens from an identity provider's key set (AUTH_JWKS_URL), served over HTTP by a local server
 * standing in for the provider: a token signed by a key in the set verifies; one signed by a key
 * that is not in it does not; a key added to the set later (rotation) is picked up; a provider
 * that cannot be reached is our outage, not the caller's bad token.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, InvalidTokenError, KeysUnavailableError, signToken } from '../../../api/auth';
import { freePort } from '../../support/ports';
import { DEV_AUTH_CONFIG } from '../../support/auth';

const key = (kid: string) => ({ kid, ...generateKeyPairSync('ed25519') });
const first = key('idp-1');
const second = key('idp-2');
let published: { kid: string; publicKey: KeyObject }[] = [first];
let fetches = 0;
let server: Server;
let jwksUrl: string;

const tokenOf = (signer: { kid: string; privateKey: KeyObject }) =>
  signToken({
    subject: 'customer-idp',
    role: 'customer',
    issuer: DEV_AUTH_CONFIG.AUTH_ISSUER,
    audience: DEV_AUTH_CONFIG.AUTH_AUDIENCE,
    key: signer,
  });

beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches += 1;
    const keys = published.map((k) => ({
      ...k.publicKey.export({ format: 'jwk' }),
      kid: k.kid,
      alg: 'EdDSA',
      use: 'sig',
    }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it('verifies tokens of the published keys, fetching the set once, and refuses other keys', async () => {
  const verifier = createVerifier({ ...DEV_AUTH_CONFIG, AUTH_JWKS_URL: jwksUrl });
  expect(verifier.keySource).toBe('jwks');

  await expect(verifier.verify(tokenOf(first))).resolves.toEqual({
    subject: 'customer-idp',
    role: 'customer',
  });
  await expect(verifier.verify(tokenOf(first))).resolves.toMatchObject({ subject: 'customer-idp' });
  expect(fetches).toBe(1); // cached

  const stranger = key('idp-1'); // claims a published key id, signed by another key
  await expect(verifier.verify(tokenOf(stranger))).rejects.toBeInstanceOf(InvalidTokenError);
  // The development key is not trusted once a key set is configured.
  await expect(
    verifier.verify(tokenOf({ kid: 'cinema-booking-dev-1', privateKey: key('x').privateKey })),
  ).rejects.toBeInstanceOf(InvalidTokenError);
});

it('picks up a key the provider adds later (rotation)', async () => {
  // No cooldown here: by default a refetch waits 30 s after the last one.
  const verifier = createVerifier({ ...DEV_AUTH_CONFIG, AUTH_JWKS_URL: jwksUrl }, { jwksCooldownMs: 0 });
  await expect(verifier.verify(tokenOf(first))).resolves.toMatchObject({ subject: 'customer-idp' });
  await expect(verifier.verify(tokenOf(second))).rejects.toBeInstanceOf(InvalidTokenError); // not yet published
  published = [first, second];
  // An unknown key id makes jose fetch the set again.
  await expect(verifier.verify(tokenOf(second))).resolves.toMatchObject({ subject: 'customer-idp' });
});

it('answers an unreachable provider as an outage (KeysUnavailableError), not a bad token', async () => {
  const verifier = createVerifier({
    ...DEV_AUTH_CONFIG,
    AUTH_JWKS_URL: `http://127.0.0.1:${await freePort()}/jwks`,
  });
  await expect(verifier.verify(tokenOf(first))).rejects.toBeInstanceOf(KeysUnavailableError);
});
