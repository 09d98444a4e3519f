/**
 * The one place that reads the process environment. Every process (API node, workers, read
 * service, scripts, tests) calls `loadConfig()` and receives a validated, typed, frozen object;
 * an invalid variable stops the process at start-up with every problem listed at once.
 */
import { z } from 'zod';

/** Defaults point at the local infrastructure that `npm run infra:up` provisions on 127.0.0.1. */
export const LOCAL_DEFAULTS = {
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
  KAFKA_BROKERS: '127.0.0.1:9092',
  WRITE_DB_URL: 'postgres://postgres@127.0.0.1:5432/cinema',
  REPORTING_DB_URL: 'postgres://postgres@127.0.0.1:5432/cinema_reporting',
  MONGO_URL: 'mongodb://127.0.0.1:27017/cinema_read',
  REDIS_URL: 'redis://127.0.0.1:6379',
} as const;

/** The connection variables; setting one tells provisioning that the service lives elsewhere. */
export type ConnectionVariable = keyof typeof LOCAL_DEFAULTS;

/**
 * DEVELOPMENT ONLY, public in git: the payload encryption key and codec-server token that a local
 * run uses when TEMPORAL_CODEC_KEYS / CODEC_TOKEN are unset. Anything that holds real customer
 * data must set its own (`openssl rand -base64 32`). Kept apart from LOCAL_DEFAULTS, whose keys
 * are connection variables.
 */
export const DEV_ONLY_CODEC_SECRETS = {
  TEMPORAL_CODEC_KEYS: 'local-dev-1:Q0He366uBJIphQkZGQG+K+kL8MgeUkAuXbNWXL8qIwc=',
  TEMPORAL_CODEC_ACTIVE_KEY_ID: 'local-dev-1',
  CODEC_TOKEN: 'local-dev-codec-token-not-secret',
} as const;

const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'expected host:port');

/** Names a key in every encrypted payload's metadata (`encryption-key-id`). */
const codecKeyId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a key id of 1-64 of [A-Za-z0-9._-]');

/** What is wrong with one `id:base64key` entry of TEMPORAL_CODEC_KEYS, if anything. */
function codecKeyProblem(id: string, base64: string, seen: ReadonlyMap<string, Buffer>): string | undefined {
  if (!codecKeyId.safeParse(id).success || base64 === '') {
    return 'expected id:base64key with an id of 1-64 of [A-Za-z0-9._-]';
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return `key ${id} is not base64`;
  const bytes = Buffer.from(base64, 'base64').length;
  if (bytes !== 32) return `key ${id} is ${bytes} bytes; AES-256 needs 32`;
  if (seen.has(id)) return `key id ${id} is listed twice`;
  return undefined;
}

/**
 * `id:base64key,...` -> id -> 32-byte AES-256 key. A Map, so that a config object that ends up in
 * a log line serializes it as `{}`; messages name ids and lengths, never key material.
 */
function parseCodecKeys(text: string, ctx: z.RefinementCtx): ReadonlyMap<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of text.split(',').entries()) {
    const [id = '', base64 = ''] = entry.trim().split(/:(.*)/s);
    const problem = codecKeyProblem(id, base64, keys);
    if (problem) ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: ${problem}` });
    else keys.set(id, Buffer.from(base64, 'base64'));
  }
  return keys;
}

const dbUrl = z
  .string()
  .regex(/^(postgres(ql)?|mssql|sqlserver):\/\//, 'expected a postgres:// or mssql:// URL');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),

  TEMPORAL_ADDRESS: hostPort.default(LOCAL_DEFAULTS.TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: z.string().min(1).default(LOCAL_DEFAULTS.TEMPORAL_NAMESPACE),
  TEMPORAL_UI_URL: z.url().default(LOCAL_DEFAULTS.TEMPORAL_UI_URL),
  SAGA_TASK_QUEUE: z.string().min(1).default('ticket-purchase'),
  RELAY_TASK_QUEUE: z.string().min(1).default('outbox-relay'),

  /** Payload encryption (codec/): every listed key decrypts; the active one encrypts new payloads. */
  TEMPORAL_CODEC_KEYS: z
    .string()
    .default(DEV_ONLY_CODEC_SECRETS.TEMPORAL_CODEC_KEYS)
    .transform(parseCodecKeys),
  TEMPORAL_CODEC_ACTIVE_KEY_ID: codecKeyId.default(DEV_ONLY_CODEC_SECRETS.TEMPORAL_CODEC_ACTIVE_KEY_ID),
  /** Codec server (`npm run codec-server`) for the Web UI and `temporal --codec-endpoint`. */
  CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(8234),
  /** Bearer token, also accepted as the first path segment (the Web UI cannot send a header). */
  CODEC_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{16,256}$/, 'expected 16-256 URL-safe characters [A-Za-z0-9._~-]')
    .default(DEV_ONLY_CODEC_SECRETS.CODEC_TOKEN),
  /** Browser origins (the Web UI's) allowed to call the codec server. */
  CODEC_CORS_ORIGINS: z
    .string()
    .default('http://127.0.0.1:8233,http://localhost:8233')
    .transform((s) => s.split(',').map((o) => o.trim()))
    .pipe(z.array(z.url()).min(1))
    // A browser's Origin has no path or trailing slash: `http://localhost:8233/` must still match.
    .transform((origins) => origins.map((o) => new URL(o).origin)),

  KAFKA_BROKERS: z
    .string()
    .default(LOCAL_DEFAULTS.KAFKA_BROKERS)
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(hostPort).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).default('cinema-booking'),
  KAFKA_TOPIC: z.string().min(1).default('cinema.domain.events'),
  /** Partitions of KAFKA_TOPIC when the relay worker has to create it (key = aggregate id). */
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(12),
  /** Largest message value the relay publishes; a bigger event is quarantined (broker default ~1 MiB). */
  KAFKA_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(1_000_000),

  /** Outbox relay (workers/relay-worker.ts): one workflow `<prefix>-<shard>` per shard. */
  RELAY_WORKFLOW_ID_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/)
    .default('outbox-relay'),
  RELAY_SHARDS: z.coerce.number().int().min(1).max(1024).default(4),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Failed deliveries of one row before it is quarantined. */
  RELAY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  /** Claim lease; the relay activity's first retry waits longer than this, so it finds its rows free. */
  RELAY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  RELAY_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(2000).max(600_000).default(15_000),
  /** Idle relay: poll this often when no NOTIFY arrives (SQL Server: the only wake-up). */
  RELAY_IDLE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Idle relay: the waiting activity returns after this long without work (0 history events until then). */
  RELAY_IDLE_MAX_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
  /** Most batches one relay activity delivers back to back before it reports to its workflow. */
  RELAY_BATCHES_PER_ACTIVITY: z.coerce.number().int().min(1).max(100_000).default(1000),
  /**
   * How long one relay activity keeps delivering after its first batch, woken by the outbox's
   * notifications, before it reports to its workflow: each report is a Temporal round trip (100
   * to 300 ms on 2 cores) during which new rows wait, so a longer stretch means fewer slow events.
   */
  RELAY_BUSY_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  RELAY_BATCHES_PER_RUN: z.coerce.number().int().min(1).max(100_000).default(500),
  RELAY_RETENTION_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  RELAY_PURGE_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(900_000),
  /** Relay worker: structured metrics log line every this many ms (0: off). */
  RELAY_METRICS_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Relay worker: Prometheus text endpoint on this port when set. */
  RELAY_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),

  WRITE_DB_URL: dbUrl.default(LOCAL_DEFAULTS.WRITE_DB_URL),
  REPORTING_DB_URL: dbUrl.default(LOCAL_DEFAULTS.REPORTING_DB_URL),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** A SQL Server to run the db integration suite against as well (docker-compose provides one). */
  MSSQL_URL: z
    .string()
    .regex(/^(mssql|sqlserver):\/\//, 'expected an mssql:// or sqlserver:// URL')
    .optional(),

  /** HTTP port of an API node (the stack runs two, on 5001 and 5002). */
  API_PORT: z.coerce.number().int().min(0).max(65535).default(5001),
  /** Names this API node in logs; defaults to api-<port> at start-up when unset. */
  API_NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 of [A-Za-z0-9._-]')
    .optional(),
  /**
   * How long a stopping API node keeps serving while its /health answers 503, before it stops
   * listening: long enough for the load balancer's next check (LB_HEALTH_INTERVAL_MS plus the
   * probe) to take it out of rotation, so no request reaches a closing socket.
   */
  API_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /** Load balancer (api/lb/) in front of the API nodes: port, upstreams, active health checks. */
  LB_PORT: z.coerce.number().int().min(0).max(65535).default(5003),
  API_UPSTREAMS: z
    .string()
    .default('127.0.0.1:5001,127.0.0.1:5002')
    .transform((s) => s.split(',').map((u) => u.trim()))
    .pipe(z.array(hostPort).min(1)),
  LB_HEALTH_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Gateway (api/gateway/): the entry point; commands go to LB_ADDRESS, GETs to the read service. */
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(5005),
  LB_ADDRESS: hostPort.default('127.0.0.1:5003'),
  READ_SERVICE_ADDRESS: hostPort.default('127.0.0.1:50051'),
  /** How long POST /api/ticketpurchase (and a refund) waits for the saga before answering 202. */
  PURCHASE_RESPONSE_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(15_000),
  /** How long a purchase or a plain reservation holds seats waiting for payment (10 minutes). */
  SEAT_HOLD_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),

  /**
   * Abuse limits (api/http/abuse-limits.ts), shared by every API node through REDIS_URL: purchases
   * and plain holds started per customer (token subject) and per client address in each window,
   * and the seats one customer may hold unpaid at once. Over a limit: 429 with Retry-After.
   */
  RATE_LIMIT_PURCHASES_PER_CUSTOMER: z.coerce.number().int().min(1).max(1_000_000).default(60),
  RATE_LIMIT_PURCHASES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  RATE_LIMIT_HOLDS_PER_CUSTOMER: z.coerce.number().int().min(1).max(1_000_000).default(60),
  RATE_LIMIT_HOLDS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, "expected 1-64 characters of letters, digits, '.', '_', ':' or '-'")
    .default('ratelimit'),
  MAX_SEATS_HELD_PER_CUSTOMER: z.coerce.number().int().min(1).max(10_000).default(40),
  /**
   * Slow clients (gateway, load balancer, API nodes): the whole header block, and the whole
   * request, must arrive within these (Node's server.headersTimeout / requestTimeout).
   */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * Which hops' X-Forwarded-For an API node believes when it needs the client's address (express
   * `trust proxy`: 'loopback', 'loopback, uniquelocal', a CIDR list...). The gateway and the load
   * balancer append to it; an address outside this list is the client.
   */
  TRUST_PROXY: z.string().min(1).default('loopback'),
  /** Request bodies larger than this are refused with 413 (commands are a few hundred bytes). */
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(65_536),
  LB_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(65_536),
  /** Requests in flight beyond these are refused with 503 and Retry-After (back-pressure, not a queue). */
  GATEWAY_MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(1024),
  LB_MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(1024),
  /** Open live seat-map streams (server-sent events), counted apart: each stays open with its page. */
  GATEWAY_MAX_SEAT_STREAMS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** A customer may refund their own ticket until this long before the screening (an admin at any time). */
  REFUND_CUTOFF_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),

  /** Payment simulator (providers/payment): delay before each provider answer, e.g. to kill a worker mid-charge. */
  PAYMENT_SIM_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  /** Charge attempts of the transient test card that fail per idempotency key before one succeeds. */
  PAYMENT_SIM_TRANSIENT_FAILURES: z.coerce.number().int().min(0).max(100).default(2),
  /** How long the hanging test card hangs if nobody aborts the call (0: until aborted). */
  PAYMENT_SIM_HANG_MS: z.coerce.number().int().min(0).max(3_600_000).default(0),
  /** Where the simulator remembers charges: the write DB (survives a worker crash) or process memory. */
  PAYMENT_SIM_LEDGER: z.enum(['database', 'memory']).default('database'),

  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URL')
    .default(LOCAL_DEFAULTS.MONGO_URL),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .default(LOCAL_DEFAULTS.REDIS_URL),

  /**
   * Bearer tokens (api/auth/): every gateway and API node verifies issuer, audience, expiry and
   * signature. Keys: AUTH_JWKS_URL (an identity provider's key set, cached, rotation followed) or
   * AUTH_PUBLIC_KEY (one PEM or JWK public key); with neither, the committed development key.
   */
  /**
   * Signs ticket QR codes (providers/ticket-qr): an Ed25519 private key as a JWK (JSON text), and
   * the key id scanners look it up by. Unset: the committed development key.
   */
  TICKET_QR_SIGNING_KEY: z.string().min(1).optional(),
  TICKET_QR_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 of [A-Za-z0-9._-]')
    .default('ticket-qr-1'),
  AUTH_ISSUER: z.string().min(1).default('cinema-booking-dev'),
  AUTH_AUDIENCE: z.string().min(1).default('cinema-booking-api'),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_PUBLIC_KEY: z.string().min(1).optional(),
  /** Tolerated difference between the issuer's clock and ours, for exp/nbf/iat. */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),

  /**
   * NODE_ENV=production refuses development secrets and simulators (config/production-guards.ts);
   * each of these allows exactly one of them anyway.
   */
  ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION: z.stringbool().default(false),
  ALLOW_DEV_CODEC_KEY_IN_PRODUCTION: z.stringbool().default(false),
  ALLOW_DEV_CODEC_TOKEN_IN_PRODUCTION: z.stringbool().default(false),
  ALLOW_SIMULATED_PAYMENTS_IN_PRODUCTION: z.stringbool().default(false),
  ALLOW_UNAUTHENTICATED_READ_SERVICE_IN_PRODUCTION: z.stringbool().default(false),

  /** Read service (read-service/): gRPC port, Kafka consumer group, dead-letter topic, cache. */
  READ_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  /** Interface the read service's gRPC port listens on: loopback unless it must be reached from elsewhere. */
  READ_GRPC_HOST: z.string().min(1).default('127.0.0.1'),
  /** Serves cinema.read.v1.ReadDiagnostics (a no-work Echo, the gRPC benchmark's baseline) too. */
  READ_GRPC_DIAGNOSTICS: z.stringbool().default(false),
  /**
   * Shared secret the gateway presents to the read service (gRPC metadata); the read service
   * refuses calls without it when set. Production requires it (config/production-guards.ts).
   */
  READ_SERVICE_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~+/=-]{32,512}$/, 'expected 32-512 URL-safe characters (openssl rand -base64 32)')
    .optional(),
  READ_CONSUMER_GROUP: z.string().min(1).default('cinema-read-service'),
  READ_DLQ_TOPIC: z.string().min(1).default('cinema.domain.events.dlq'),
  READ_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Prefix of every Redis key the read service writes: two stacks can share one Redis (e2e tests). */
  READ_CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, "expected 1-64 characters of letters, digits, '.', '_', ':' or '-'")
    .default('read:'),
  /** Redis and MongoDB calls of a query give up after this long (degraded mode, not a hang). */
  READ_REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(250),
  READ_MONGO_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
});

/** Rules across variables (a field's own check cannot see the others). */
const validated = schema.superRefine((c, ctx) => {
  if (!c.TEMPORAL_CODEC_KEYS.has(c.TEMPORAL_CODEC_ACTIVE_KEY_ID)) {
    const ids = [...c.TEMPORAL_CODEC_KEYS.keys()].join(', ');
    ctx.addIssue({
      code: 'custom',
      path: ['TEMPORAL_CODEC_ACTIVE_KEY_ID'],
      message: `${c.TEMPORAL_CODEC_ACTIVE_KEY_ID} is not one of TEMPORAL_CODEC_KEYS (${ids})`,
    });
  }
  if (c.AUTH_JWKS_URL !== undefined && c.AUTH_PUBLIC_KEY !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_PUBLIC_KEY'],
      message: 'set AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both',
    });
  }
});

export type Config = Readonly<z.output<typeof schema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Pass an explicit env in tests; never read process.env elsewhere. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (docker-compose and shells often export empty strings).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = validated.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return Object.freeze(parsed.data);
}

/** Connection variables the environment sets explicitly: provisioning leaves those services alone. */
export function externallyProvided(env: NodeJS.ProcessEnv = process.env): Set<ConnectionVariable> {
  const names = Object.keys(LOCAL_DEFAULTS) as ConnectionVariable[];
  return new Set(names.filter((n) => env[n] !== undefined && env[n] !== ''));
}

/** Every variable name the configuration reads (docker-compose is checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);
