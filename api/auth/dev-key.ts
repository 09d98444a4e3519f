/**
 * DEVELOPMENT ONLY, public in git: the key pair that signs and verifies tokens when neither
 * AUTH_JWKS_URL nor AUTH_PUBLIC_KEY is set (`npm run token`, the gateway's development sign-in,
 * the tests). Anyone can mint any role with it; a production process refuses to start on it
 * (config/production-guards.ts).
 */
export const DEV_ONLY_AUTH_SIGNING_KEY = {
  kid: 'cinema-booking-dev-1',
  alg: 'EdDSA',
  /** Ed25519 private key as a JWK (`d` is the secret half). */
  privateJwk: {
    kty: 'OKP',
    crv: 'Ed25519',
    x: 'vYPbcE0bcoVzcd6aXmHrGQJoFh0goMzCH2dOpgd6ubE',
    d: '5IFoOS_7Yhe8fBfksZ3ISt7nGJjm9qDB8BSpheh-NG4',
  },
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'vYPbcE0bcoVzcd6aXmHrGQJoFh0goMzCH2dOpgd6ubE' },
} as const;
