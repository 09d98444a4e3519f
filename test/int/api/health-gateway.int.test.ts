/**
 * GET /health of the gateway on the real chain: gateway -> load balancer (api/lb, active health
 * checks) -> API nodes (real app on a private PostgreSQL database and the Temporal dev server),
 * and the read service (private Redis and FerretDB, killed and restarted for real).
 * Needed by the gateway: database, temporal, mongo (503 when one is down); reported only: redis
 * and kafka (200 with the check Unhealthy).
 */
import request from 'supertest';

import { createBalancer } from '../../../api/lb/balancer';
import { createGatewayApp } from '../../../api/gateway/app';
import { openDatabase } from '../../../db/connect';
import type { Database } from '../../../db/database';
import { ReadClient } from '../../../read-service/client';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createHarness, eventually, type Harness } from '../read/harness';
import { PrivateFerretDb } from '../read/private-ferretdb';
import { PrivateRedis } from '../read/private-redis';
import {
  ALL_HEALTHY,
  deadAddress,
  healthWarnings,
  listen,
  startNode,
  temporalClient,
  type Listening,
} from './health-fixtures';
import { LogCapture } from './log-capture';
import { DEV_AUTH_CONFIG } from '../../support/auth';

let testDb: TestDatabase;
let db: Database;
let deadDb: Database;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let readHarness: Harness;
let redis: PrivateRedis;
let mongo: PrivateFerretDb;
let read: ReadClient;
/** API nodes: one on working dependencies, one whose database refuses connections. */
let healthyNode: Listening;
let brokenNode: Listening;
const logs = new LogCapture();
const cleanups: Array<() => Promise<unknown> | void> = [];

beforeAll(async () => {
  testDb = await createTestDatabase('gw_health');
  db = openDatabase(testDb.url, { poolMax: 2 });
  deadDb = openDatabase(`postgres://cinema@${await deadAddress()}/cinema`);
  temporal = await temporalClient();
  [redis, mongo] = await Promise.all([PrivateRedis.start(), PrivateFerretDb.start()]);
  readHarness = await createHarness('gw_health', 1);
  ({ client: read } = await readHarness.start({
    redisUrl: redis.url,
    mongoUrl: mongo.url,
    mongoDb: 'gw_health',
    mongoTimeoutMs: 1000,
    dependencyProbeMs: 100,
  }));
  const nodeLogs = new LogCapture();
  healthyNode = await startNode({ db, temporal: temporal.client, readService: read }, nodeLogs, 'api-ok');
  brokenNode = await startNode(
    { db: deadDb, temporal: temporal.client, readService: read },
    nodeLogs,
    'api-nodb',
  );
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await healthyNode?.close();
  await brokenNode?.close();
  await readHarness?.close();
  await redis?.stop();
  await mongo?.remove();
  await temporal?.close();
  await deadDb?.close();
  await db?.close();
  await testDb?.drop();
});

/** A load balancer over `nodes` that has checked each of them at least once. */
async function balancer(...nodes: Listening[]): Promise<Listening> {
  const { server, pool } = createBalancer({
    upstreams: nodes.map((n) => n.address),
    healthIntervalMs: 100,
    logger: logs.pino({ service: 'lb' }),
  });
  const lb = await listen(server);
  cleanups.push(() => lb.close());
  await eventually(async () => {
    if (pool.upstreams.some((u) => u.lastHealth === null)) throw new Error('not every node checked yet');
  });
  return lb;
}

async function gateway(lbAddress: string, readClient: ReadClient = read): Promise<Listening> {
  const gw = await listen(
    createGatewayApp({
      auth: DEV_AUTH_CONFIG,
      read: readClient,
      lbAddress,
      logger: logs.pino({ service: 'gateway' }),
    }),
  );
  cleanups.push(() => gw.close());
  return gw;
}

/** GET /health until `ready` holds (an outage takes the read service one probe round to see). */
async function healthWhen(gw: Listening, ready: (checks: Record<string, string>) => boolean) {
  return eventually(async () => {
    const res = await request(gw.url).get('/health');
    if (!ready(res.body.checks ?? {})) throw new Error(`not yet: ${JSON.stringify(res.body)}`);
    return res;
  }, 100);
}

it('answers 200 with all five checks Healthy on live services', async () => {
  const gw = await gateway((await balancer(healthyNode)).address);

  const res = await request(gw.url).get('/health');

  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('answers 503 with database Unhealthy (and temporal Healthy) when no API node reaches the database', async () => {
  const gw = await gateway((await balancer(brokenNode)).address);

  const res = await request(gw.url).get('/health');

  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'Unhealthy', checks: { ...ALL_HEALTHY, database: 'Unhealthy' } });
  expect(healthWarnings(logs)).toContainEqual(
    expect.objectContaining({
      dependency: 'database',
      needed: true,
      reason: expect.stringContaining(brokenNode.address),
    }),
  );
});

it('answers 200 while one API node in rotation reaches the database', async () => {
  const gw = await gateway((await balancer(healthyNode, brokenNode)).address);

  const res = await request(gw.url).get('/health');

  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('answers 503 with database and temporal Unhealthy when the load balancer is unreachable', async () => {
  const gw = await gateway(await deadAddress());

  const res = await request(gw.url).get('/health');

  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    status: 'Unhealthy',
    checks: { ...ALL_HEALTHY, database: 'Unhealthy', temporal: 'Unhealthy' },
  });
});

it('answers 503 with kafka, redis and mongo Unhealthy when the read service is unreachable', async () => {
  const noReadService = new ReadClient(await deadAddress());
  cleanups.push(() => noReadService.close());
  const gw = await gateway((await balancer(healthyNode)).address, noReadService);

  const res = await request(gw.url).get('/health');

  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    status: 'Unhealthy',
    checks: {
      database: 'Healthy',
      kafka: 'Unhealthy',
      redis: 'Unhealthy',
      mongo: 'Unhealthy',
      temporal: 'Healthy',
    },
  });
});

it('stays 200 with redis Unhealthy while Redis is down (a cache: not needed)', async () => {
  const gw = await gateway((await balancer(healthyNode)).address);

  await redis.stop();
  try {
    const down = await healthWhen(gw, (c) => c.redis === 'Unhealthy');
    expect(down.status).toBe(200);
    expect(down.body).toEqual({ status: 'Healthy', checks: { ...ALL_HEALTHY, redis: 'Unhealthy' } });
    expect(healthWarnings(logs)).toContainEqual(
      expect.objectContaining({ dependency: 'redis', needed: false }),
    );
  } finally {
    await redis.start();
  }
  const back = await healthWhen(gw, (c) => c.redis === 'Healthy');
  expect(back.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('answers 503 with mongo Unhealthy while MongoDB is down, 200 once it is back', async () => {
  const gw = await gateway((await balancer(healthyNode)).address);

  await mongo.stop();
  try {
    const down = await healthWhen(gw, (c) => c.mongo === 'Unhealthy');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'Unhealthy', checks: { ...ALL_HEALTHY, mongo: 'Unhealthy' } });
  } finally {
    await mongo.start();
  }
  const back = await healthWhen(gw, (c) => c.mongo === 'Healthy');
  expect(back.status).toBe(200);
  expect(back.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});
