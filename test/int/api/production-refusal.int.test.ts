/**
 * NODE_ENV=production on the real entry points, as processes (`tsx <entry>`): on the development
 * signing key, the development codec key and token, the simulated payment provider or an
 * unauthenticated read service, each process exits non-zero before it listens or polls, naming
 * every variable that would fix it; with the ALLOW_* variable named for each of them set, the
 * same process gets past the guard and starts (its start-up log line).
 *
 * The started processes are isolated: free ports, a task queue and Kafka topic of their own; the
 * relay worker gets an unreachable Temporal address, so it stops after creating its topic and
 * never starts a relay workflow. Every child runs in its own process group and is killed after
 * its test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../support/ports';
import { testKafka } from '../../support/kafka';
import { uniqueName } from '../../support/unique';

const ROOT = join(__dirname, '../../..');
const running = new Set<ChildProcess>();
const topicsToDelete: string[] = [];

/** The machine's environment without any setting these guards look at. */
function productionEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(NODE_ENV|AUTH_|TEMPORAL_CODEC_|CODEC_TOKEN|READ_SERVICE_TOKEN|ALLOW_|LOG_LEVEL)/.test(key)) {
      env[key] = value;
    }
  }
  return { ...env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...extra };
}

interface Outcome {
  /** Exit code, or undefined while it still runs (it was stopped after `until` matched). */
  readonly code: number | null | undefined;
  readonly output: string;
}

/** Runs `entry` until it exits or its output matches `until` (then it is killed). */
function run(entry: string, env: NodeJS.ProcessEnv, until?: RegExp): Promise<Outcome> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [entry], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.test(output)) {
        resolve({ code: undefined, output });
        killGroup(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      running.delete(child);
      resolve({ code, output });
    });
  });
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

afterEach(() => {
  for (const child of running) killGroup(child);
  running.clear();
});

afterAll(async () => {
  if (topicsToDelete.length === 0) return;
  const admin = testKafka('production-refusal').admin();
  await admin.connect();
  try {
    // Only the relay worker creates its topic.
    const existing = new Set(await admin.listTopics());
    const topics = topicsToDelete.filter((topic) => existing.has(topic));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
});

const SIGNING_KEY = ['AUTH_JWKS_URL', 'ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION'];
const CODEC_KEY = ['TEMPORAL_CODEC_KEYS', 'ALLOW_DEV_CODEC_KEY_IN_PRODUCTION'];
const CODEC_TOKEN = ['CODEC_TOKEN', 'ALLOW_DEV_CODEC_TOKEN_IN_PRODUCTION'];
const PAYMENTS = ['ALLOW_SIMULATED_PAYMENTS_IN_PRODUCTION'];
const READ_TOKEN = ['READ_SERVICE_TOKEN', 'ALLOW_UNAUTHENTICATED_READ_SERVICE_IN_PRODUCTION'];

describe('NODE_ENV=production on development settings', () => {
  it.each([
    ['API node', 'api/server.ts', [...SIGNING_KEY, ...CODEC_KEY, ...PAYMENTS], /API node listening/],
    ['gateway', 'api/gateway/server.ts', [...SIGNING_KEY, ...READ_TOKEN], /gateway listening/],
    ['saga worker', 'workers/saga-worker.ts', [...CODEC_KEY, ...PAYMENTS], /saga worker started/],
    ['relay worker', 'workers/relay-worker.ts', CODEC_KEY, /created the events topic/],
    ['read service', 'read-service/server.ts', [...SIGNING_KEY, ...READ_TOKEN], /read service started/],
    ['codec server', 'codec/main.ts', [...CODEC_KEY, ...CODEC_TOKEN], /codec server on/],
  ])('the %s (%s) exits non-zero, naming %j', async (_name, entry, variables, started) => {
    const port = String(await freePort());
    const outcome = await run(
      entry,
      productionEnv({ API_PORT: port, GATEWAY_PORT: port, READ_GRPC_PORT: port, CODEC_PORT: port }),
      started,
    );

    expect(outcome.code).not.toBe(0);
    expect(outcome.code).toEqual(expect.any(Number)); // it exited on its own, nothing was listening
    expect(outcome.output).toContain('NODE_ENV=production');
    for (const variable of variables) expect(outcome.output).toContain(variable);
    expect(outcome.output).not.toMatch(started);
  });
});

describe('NODE_ENV=production with the ALLOW_* variables set', () => {
  it.each([
    [
      'API node',
      'api/server.ts',
      ['ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION', 'ALLOW_DEV_CODEC_KEY_IN_PRODUCTION', ...PAYMENTS],
      /"msg":"API node listening"/,
    ],
    [
      'gateway',
      'api/gateway/server.ts',
      ['ALLOW_DEV_SIGNING_KEY_IN_PRODUCTION', 'ALLOW_UNAUTHENTICATED_READ_SERVICE_IN_PRODUCTION'],
      /"msg":"gateway listening"/,
    ],
    [
      'saga worker',
      'workers/saga-worker.ts',
      ['ALLOW_DEV_CODEC_KEY_IN_PRODUCTION', ...PAYMENTS],
      /"msg":"saga worker started"/,
    ],
    [
      'relay worker',
      'workers/relay-worker.ts',
      ['ALLOW_DEV_CODEC_KEY_IN_PRODUCTION'],
      /"msg":"created the events topic"/,
    ],
  ])('the %s (%s) starts with %j', async (_name, entry, allows, started) => {
    const name = uniqueName('it-prod-guard').replace(/_/g, '-');
    const topic = `${name}.events`;
    topicsToDelete.push(topic);
    const port = String(await freePort());
    const outcome = await run(
      entry,
      productionEnv({
        ...Object.fromEntries(allows.map((variable) => [variable, 'true'])),
        API_PORT: port,
        GATEWAY_PORT: port,
        SAGA_TASK_QUEUE: `${name}-saga`,
        RELAY_TASK_QUEUE: `${name}-relay`,
        RELAY_WORKFLOW_ID_PREFIX: `${name}-relay`,
        RELAY_METRICS_PORT: port,
        KAFKA_TOPIC: topic,
        // The relay worker: past the guard it creates its topic, then finds no Temporal and stops,
        // so no relay workflow is left running.
        ...(entry.includes('relay') ? { TEMPORAL_ADDRESS: '127.0.0.1:1' } : {}),
      }),
      started,
    );

    expect(outcome.output).not.toContain('NODE_ENV=production:');
    expect(outcome.output).toMatch(started);
  });
});
