/**
 * The whole stack as real child processes (tsx entry files), isolated for one test file: a fresh
 * migrated and seeded write database, its own task queues, Kafka topic, consumer group, Mongo
 * database and free ports. Each child runs in its own process group so tsx's grandchild dies too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { codecPlugin } from '../../codec/data-converter';
import { loadConfig, type Config } from '../../config';
import { migrate, openDatabase, REPORTING_MIGRATIONS, seedDemoData, WRITE_MIGRATIONS } from '../../db';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { freePort } from '../support/ports';
import { uniqueName } from '../support/unique';

const ROOT = join(__dirname, '../..');

export interface Stack {
  readonly gateway: string;
  readonly env: NodeJS.ProcessEnv;
  readonly children: Map<string, ChildProcess>;
  readonly output: Map<string, string>;
  stop(name: string): Promise<void>;
  shutdown(): Promise<void>;
}

/** `overrides` are settings of this file's stack (every child gets them), e.g. a longer purchase wait. */
export async function startStack(prefix: string, overrides: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const config = loadConfig();
  const write: TestDatabase = await createTestDatabase(`${prefix}_w`);
  const reporting: TestDatabase = await createTestDatabase(`${prefix}_r`);
  for (const [db, set] of [
    [write, WRITE_MIGRATIONS],
    [reporting, REPORTING_MIGRATIONS],
  ] as const) {
    const conn = openDatabase(db.url);
    try {
      await migrate(conn, set);
      if (db === write) await seedDemoData(conn, { days: 2 });
    } finally {
      await conn.close();
    }
  }
  const [api1, api2, lb, gw, grpc] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const mongo = new URL(config.MONGO_URL);
  mongo.pathname = `/${uniqueName(`e2e_${prefix}`)}`;
  const name = uniqueName(`e2e-${prefix}`).replace(/_/g, '-');
  const cachePrefix = `${name}:`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    WRITE_DB_URL: write.url,
    REPORTING_DB_URL: reporting.url,
    SAGA_TASK_QUEUE: `${name}-saga`,
    RELAY_TASK_QUEUE: `${name}-relay`,
    RELAY_WORKFLOW_ID_PREFIX: `${name}-relay`,
    KAFKA_TOPIC: `${name}.events`,
    KAFKA_TOPIC_PARTITIONS: '3',
    READ_CONSUMER_GROUP: `${name}-read`,
    READ_DLQ_TOPIC: `${name}.dlq`,
    MONGO_URL: mongo.href,
    // Seeded showtime ids are the same in every stack: a key prefix of its own keeps this stack's
    // cached views apart from a dev stack's and from another test file's.
    READ_CACHE_KEY_PREFIX: cachePrefix,
    READ_GRPC_PORT: String(grpc),
    READ_SERVICE_ADDRESS: `127.0.0.1:${grpc}`,
    API_UPSTREAMS: `127.0.0.1:${api1},127.0.0.1:${api2}`,
    LB_PORT: String(lb),
    LB_ADDRESS: `127.0.0.1:${lb}`,
    LB_HEALTH_INTERVAL_MS: '200',
    GATEWAY_PORT: String(gw),
    // The gateway authenticates to the read service, as in production.
    READ_SERVICE_TOKEN: randomBytes(32).toString('base64url'),
    ...overrides,
  };
  const children = new Map<string, ChildProcess>();
  const output = new Map<string, string>();
  const run = (label: string, entry: string, extra: NodeJS.ProcessEnv = {}) => {
    // STACK_CPU_PROF_DIR: every child writes a V8 CPU profile there when it stops (bench:purchase).
    const profile = process.env.STACK_CPU_PROF_DIR;
    const args = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [...args, entry], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, ...extra },
    });
    output.set(label, '');
    const keep = (c: Buffer) => output.set(label, (output.get(label)! + c.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // STACK_LOG_DIR: each child's whole output also goes to <dir>/<label>.log (a benchmark to look into).
    const logDir = process.env.STACK_LOG_DIR;
    if (logDir) {
      const file = createWriteStream(join(logDir, `${label}.log`));
      child.stdout?.pipe(file, { end: false });
      child.stderr?.pipe(file, { end: false });
      // 'close', not 'exit': output can still arrive after the exit, and a write after end() throws.
      child.once('close', () => file.end());
    }
    children.set(label, child);
  };
  run('saga', 'workers/saga-worker.ts');
  run('relay', 'workers/relay-worker.ts');
  run('read', 'read-service/server.ts');
  run('api1', 'api/server.ts', { API_PORT: String(api1) });
  run('api2', 'api/server.ts', { API_PORT: String(api2) });
  run('lb', 'api/lb/server.ts');
  run('gateway', 'api/gateway/server.ts');

  const stop = async (label: string) => {
    const child = children.get(label);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    // A graceful stop waits for open connections (a keep-alive client can hold one): not forever.
    const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(kill);
  };
  return {
    gateway: `http://127.0.0.1:${gw}`,
    env,
    children,
    output,
    stop,
    shutdown: async () => {
      shuttingDown = true;
      await Promise.all([...children.keys()].map(stop));
      const client = new MongoClient(mongo.href);
      await Promise.allSettled([
        terminateLeftovers(config, [env.RELAY_TASK_QUEUE!, env.SAGA_TASK_QUEUE!]),
        write.drop(),
        reporting.drop(),
        client
          .connect()
          .then((c) => c.db().dropDatabase())
          .finally(() => client.close()),
        dropCache(config.REDIS_URL, cachePrefix),
      ]);
    },
  };
}

const STOP_GRACE_MS = 10_000;

/**
 * Ends the workflows the stack's workers leave running: the relay's, which never end by design,
 * and a saga stopped mid-flight. The dev server keeps them otherwise, and every stack a test or a
 * benchmark started would stay listed as Running in the Web UI, waiting for a worker that is gone.
 */
async function terminateLeftovers(config: Config, taskQueues: readonly string[]): Promise<void> {
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    plugins: [codecPlugin(config)],
  });
  try {
    const client = new Client({ connection });
    const queues = taskQueues.map((q) => `TaskQueue = "${q}"`).join(' OR ');
    for await (const run of client.workflow.list({ query: `ExecutionStatus = "Running" AND (${queues})` })) {
      await client.workflow
        .getHandle(run.workflowId, run.runId)
        .terminate('test stack shut down')
        .catch(() => undefined); // ended meanwhile
    }
  } finally {
    await connection.close();
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function dropCache(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

/** Set by a shutdown: polls still running (a test that timed out) stop instead of spinning on. */
let shuttingDown = false;

/** Polls until `probe` returns a value; the jest timeout bounds it, not a timed assertion. */
export async function eventually<T>(probe: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
  for (;;) {
    if (shuttingDown) throw new Error('the stack was shut down while waiting');
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
