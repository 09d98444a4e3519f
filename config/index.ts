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

const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'expected host:port');

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

  KAFKA_BROKERS: z
    .string()
    .default(LOCAL_DEFAULTS.KAFKA_BROKERS)
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(hostPort).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).default('cinema-booking'),
  KAFKA_TOPIC: z.string().min(1).default('cinema.domain.events'),

  WRITE_DB_URL: dbUrl.default(LOCAL_DEFAULTS.WRITE_DB_URL),
  REPORTING_DB_URL: dbUrl.default(LOCAL_DEFAULTS.REPORTING_DB_URL),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** A SQL Server to run the db integration suite against as well (docker-compose provides one). */
  MSSQL_URL: z
    .string()
    .regex(/^(mssql|sqlserver):\/\//, 'expected an mssql:// or sqlserver:// URL')
    .optional(),

  /** HTTP port of an API node (the seed runs two, on 5001 and 5002). */
  API_PORT: z.coerce.number().int().min(0).max(65535).default(5001),
  /** Names this API node in logs; defaults to api-<port> at start-up when unset. */
  API_NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 of [A-Za-z0-9._-]')
    .optional(),
  /** How long POST /api/ticketpurchase (and a refund) waits for the saga before answering 202. */
  PURCHASE_RESPONSE_WAIT_MS: z.coerce.number().int().min(0).max(120_000).default(15_000),
  /** How long a purchase or a plain reservation holds seats waiting for payment (seed: 10 minutes). */
  SEAT_HOLD_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),

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
  const parsed = schema.safeParse(present);
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
