/**
 * With NODE_ENV=production a process refuses to start on anything that is only fit for a laptop:
 * the committed development signing key (anyone can mint an admin token with it), the public
 * development codec key or codec-server token, the simulated payment provider, or a read service
 * that anyone on the network could query. Each has a variable named for exactly that which allows
 * it anyway (a staging stack with fake money, say); nothing else does.
 */
import { ConfigError, DEV_ONLY_CODEC_SECRETS, type Config } from './index';

/** Where token verification keys come from; `development` is the committed key (api/auth/dev-key.ts). */
export type AuthKeySource = 'jwks' | 'public-key' | 'development';

export const authKeySource = (config: Pick<Config, 'AUTH_JWKS_URL' | 'AUTH_PUBLIC_KEY'>): AuthKeySource =>
  config.AUTH_JWKS_URL !== undefined
    ? 'jwks'
    : config.AUTH_PUBLIC_KEY !== undefined
      ? 'public-key'
      : 'development';

/** What a process relies on; each entry point lists its own. */
export type Guarded =
  | 'signing-key' // verifies bearer tokens (gateway, API node, read service)
  | 'codec-keys' // encrypts or decrypts Temporal payloads (API node, workers, codec server)
  | 'codec-token' // the codec server's bearer token
  | 'payments' // the payment provider (API node tokenizes, saga worker charges)
  | 'read-service-token'; // the gateway -> read service credential (gateway, read service)

interface Guard {
  readonly allowedBy: keyof Config;
  readonly problem: (config: Config) => string | undefined;
}

const DEV_CODEC_KEYS = new Set(
  DEV_ONLY_CODEC_SECRETS.TEMPORAL_CODEC_KEYS.split(',').map((entry) => entry.split(':')[1]),
);

const GUARDS: Readonly<Record<Guarded, Guard>> = {
  'signing-key': {
    allowedBy: 'ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION',
    problem: (c) =>
      authKeySource(c) === 'development'
        ? 'tokens would be verified with the public development key: set AUTH_JWKS_URL or AUTH_PUBLIC_KEY'
        : undefined,
  },
  'codec-keys': {
    allowedBy: 'ALLOW_DEV_CODEC_KEY_IN_PRODUCTION',
    problem: (c) =>
      [...c.TEMPORAL_CODEC_KEYS.values()].some((key) => DEV_CODEC_KEYS.has(key.toString('base64')))
        ? 'TEMPORAL_CODEC_KEYS holds the public development key: set your own (openssl rand -base64 32)'
        : undefined,
  },
  'codec-token': {
    allowedBy: 'ALLOW_DEV_CODEC_TOKEN_IN_PRODUCTION',
    problem: (c) =>
      c.CODEC_TOKEN === DEV_ONLY_CODEC_SECRETS.CODEC_TOKEN
        ? 'CODEC_TOKEN is the public development token: set your own'
        : undefined,
  },
  payments: {
    allowedBy: 'ALLOW_SIMULATED_PAYMENTS_IN_PRODUCTION',
    // providers/payment has only the simulator so far: every charge it "takes" is fake money.
    problem: () => 'the payment provider is the simulator (providers/payment): no real money moves',
  },
  'read-service-token': {
    allowedBy: 'ALLOW_UNAUTHENTICATED_READ_SERVICE_IN_PRODUCTION',
    problem: (c) =>
      c.READ_SERVICE_TOKEN === undefined
        ? 'READ_SERVICE_TOKEN is unset: the read service would answer any caller'
        : undefined,
  },
};

/** Every reason this process must not start in production (empty outside production). */
export function productionProblems(config: Config, uses: readonly Guarded[]): string[] {
  if (config.NODE_ENV !== 'production') return [];
  return uses.flatMap((name) => {
    const guard = GUARDS[name];
    const problem = guard.problem(config);
    return problem !== undefined && config[guard.allowedBy] !== true
      ? [`${problem} (or set ${String(guard.allowedBy)}=true)`]
      : [];
  });
}

/** Throws a ConfigError listing every problem; call at start-up, before anything listens. */
export function assertProductionReady(config: Config, uses: readonly Guarded[]): void {
  const problems = productionProblems(config, uses);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `NODE_ENV=production: ${p}`));
}
