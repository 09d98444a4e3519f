/**
 * The read service's dependency health (grpc.health.v1 `dependency.<name>`), on a private Redis
 * and a private FerretDB that are killed and restarted for real: each outage shows on its own
 * name only, is logged at warn once (not once per probe) with the dependency, and clears by itself
 * when it is back.
 * Kafka's outage is in health-kafka.int.test.ts (a private broker is slow to start).
 */
import { LogCapture } from '../api/log-capture';
import type { ReadClient } from '../../../read-service/client';
import { READ_DEPENDENCIES, type ReadDependency } from '../../../read-service/health';
import { createHarness, eventually, type Harness } from './harness';
import { PrivateFerretDb } from './private-ferretdb';
import { PrivateRedis } from './private-redis';

let h: Harness;
let redis: PrivateRedis;
let mongo: PrivateFerretDb;
let client: ReadClient;
const logs = new LogCapture();

beforeAll(async () => {
  h = await createHarness('health', 1);
  [redis, mongo] = await Promise.all([PrivateRedis.start(), PrivateFerretDb.start()]);
  ({ client } = await h.start({
    redisUrl: redis.url,
    mongoUrl: mongo.url,
    mongoDb: 'read_health',
    mongoTimeoutMs: 1000,
    dependencyProbeMs: 100,
    logger: logs.pino({ service: 'read-service' }),
  }));
});

afterAll(async () => {
  await h?.close();
  await redis?.stop();
  await mongo?.remove();
});

const serving = (name: ReadDependency) =>
  client.dependency(name).then(
    () => true,
    () => false,
  );
const states = async () =>
  Object.fromEntries(await Promise.all(READ_DEPENDENCIES.map(async (d) => [d, await serving(d)])));

/** Waits until the monitor has published `expected`, then returns every dependency's state. */
async function whenServing(name: ReadDependency, expected: boolean) {
  await eventually(async () => {
    if ((await serving(name)) !== expected) throw new Error(`${name} not yet ${expected}`);
  });
  return states();
}

const warnings = (dependency: ReadDependency) =>
  logs.lines
    .map((line) => JSON.parse(line) as { level: number; dependency?: string; msg: string })
    .filter((l) => l.level === 40 && l.dependency === dependency && l.msg === 'health check failed');

test('every dependency SERVING on live services, from the first call', async () => {
  expect(await states()).toEqual({ kafka: true, redis: true, mongo: true });
  await expect(client.serving()).resolves.toBe(true);
  // Not even a connection still being made at start counts as an outage.
  expect(READ_DEPENDENCIES.flatMap(warnings)).toEqual([]);
});

test('Redis killed: only dependency.redis NOT_SERVING, logged at warn; restarted: SERVING again', async () => {
  await redis.stop();
  expect(await whenServing('redis', false)).toEqual({ kafka: true, redis: false, mongo: true });
  expect(warnings('redis')).toHaveLength(1);

  await redis.start();
  expect(await whenServing('redis', true)).toEqual({ kafka: true, redis: true, mongo: true });
});

test('MongoDB killed: only dependency.mongo NOT_SERVING, logged at warn; restarted: SERVING again', async () => {
  await mongo.stop();
  expect(await whenServing('mongo', false)).toEqual({ kafka: true, redis: true, mongo: false });
  // The service itself still answers (cached reads go on): "" stays SERVING.
  await expect(client.serving()).resolves.toBe(true);
  expect(warnings('mongo')).toHaveLength(1);

  await mongo.start();
  expect(await whenServing('mongo', true)).toEqual({ kafka: true, redis: true, mongo: true });
});
