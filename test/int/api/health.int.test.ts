/**
 * GET /health of an API node on real services: the write database (a private PostgreSQL database),
 * the Temporal dev server, and a read service (on a private Redis) for the kafka, redis and mongo
 * checks. A node needs the database and Temporal: either refused or hanging answers 503 with that
 * check Unhealthy. It reports the read side but does not need it: Redis killed, or no read service
 * at all, still answers 200.
 */
import request from 'supertest';

import { loadConfig } from '../../../config';
import { openDatabase } from '../../../db/connect';
import type { Database } from '../../../db/database';
import { HEALTH_CHECK_TIMEOUT_MS } from '../../../health/checks';
import { ReadClient } from '../../../read-service/client';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { createHarness, eventually, type Harness } from '../read/harness';
import { PrivateRedis } from '../read/private-redis';
import {
  ALL_HEALTHY,
  deadAddress,
  healthWarnings,
  silentServer,
  startNode,
  TcpLink,
  temporalClient,
  type Listening,
  type NodeDeps,
} from './health-fixtures';
import { LogCapture } from './log-capture';

let testDb: TestDatabase;
let db: Database;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let readHarness: Harness;
let redis: PrivateRedis;
let read: ReadClient;
const cleanups: Array<() => Promise<unknown> | void> = [];

beforeAll(async () => {
  testDb = await createTestDatabase('api_health');
  db = openDatabase(testDb.url, { poolMax: 2 });
  temporal = await temporalClient();
  redis = await PrivateRedis.start();
  readHarness = await createHarness('api_health', 1);
  ({ client: read } = await readHarness.start({ redisUrl: redis.url, dependencyProbeMs: 100 }));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await readHarness?.close();
  await redis?.stop();
  await temporal?.close();
  await db?.close();
  await testDb?.drop();
});

/** A node on the working dependencies, with `overrides` swapped in. */
async function node(overrides: Partial<NodeDeps> = {}, logs = new LogCapture()): Promise<Listening> {
  const started = await startNode(
    { db, temporal: temporal.client, readService: read, ...overrides },
    logs,
    'api-health',
  );
  cleanups.push(() => started.close());
  return started;
}

it('answers 200 with all five checks Healthy on live services', async () => {
  const n = await node();

  const res = await request(n.url).get('/health');

  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('answers 503 with draining: true while the node shuts down, whatever its checks say', async () => {
  const shutdown = new AbortController();
  const n = await node({ shutdown: shutdown.signal });
  expect((await request(n.url).get('/health')).status).toBe(200);

  shutdown.abort();
  const res = await request(n.url).get('/health');

  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'Unhealthy', checks: ALL_HEALTHY, draining: true });
});

it('answers 503 with database Unhealthy when the database refuses connections, and warns', async () => {
  const deadDb = openDatabase(`postgres://cinema@${await deadAddress()}/cinema`);
  cleanups.push(() => deadDb.close());
  const logs = new LogCapture();
  const n = await node({ db: deadDb }, logs);

  const res = await request(n.url).get('/health');

  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'Unhealthy', checks: { ...ALL_HEALTHY, database: 'Unhealthy' } });
  expect(healthWarnings(logs)).toEqual([
    expect.objectContaining({
      dependency: 'database',
      needed: true,
      reason: expect.stringContaining('ECONNREFUSED'),
    }),
  ]);
});

it('answers 503 with database Unhealthy when the database hangs (the check gives up)', async () => {
  const hanging = await silentServer();
  const hangingDb = openDatabase(`postgres://cinema@${hanging.address}/cinema`);
  cleanups.push(async () => {
    await hanging.close();
    await hangingDb.close().catch(() => undefined);
  });
  const logs = new LogCapture();
  const n = await node({ db: hangingDb }, logs);

  const res = await request(n.url).get('/health');

  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'Unhealthy', checks: { ...ALL_HEALTHY, database: 'Unhealthy' } });
  expect(healthWarnings(logs)).toEqual([
    expect.objectContaining({ dependency: 'database', reason: expect.stringMatching(/^no answer within/) }),
  ]);
});

it('answers 503 with database Unhealthy while the database is cut off, 200 once it is back', async () => {
  const link = await TcpLink.open(new URL(testDb.url).host);
  const url = new URL(testDb.url);
  url.host = link.address;
  const linkedDb = openDatabase(url.href, { poolMax: 2 });
  cleanups.push(async () => {
    await link.cut();
    await linkedDb.close().catch(() => undefined);
  });
  const n = await node({ db: linkedDb });
  expect((await request(n.url).get('/health')).status).toBe(200);

  await link.cut();
  const down = await request(n.url).get('/health');
  expect(down.status).toBe(503);
  expect(down.body).toEqual({ status: 'Unhealthy', checks: { ...ALL_HEALTHY, database: 'Unhealthy' } });

  await link.restore();
  const back = await eventually(async () => {
    const res = await request(n.url).get('/health');
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return res;
  }, 200);
  expect(back.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('answers 503 with temporal Unhealthy while Temporal is cut off, 200 once it is back', async () => {
  const link = await TcpLink.open(loadConfig().TEMPORAL_ADDRESS);
  const linked = await temporalClient(link.address);
  // A probe that failed keeps retrying inside the client's gRPC retry interceptor after the check
  // gave up: until its deadline (HEALTH_CHECK_TIMEOUT_MS) plus one backoff (at most 6 s). Closing
  // the connection before then makes that retry throw "Channel has been shut down".
  let retriesSettleAt = 0;
  const failedProbeJustNow = () => {
    retriesSettleAt = Date.now() + HEALTH_CHECK_TIMEOUT_MS + 6_000 + 500;
  };
  cleanups.push(async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, retriesSettleAt - Date.now())));
    await linked.close();
    await link.cut();
  });
  const logs = new LogCapture();
  const n = await node({ temporal: linked.client }, logs);
  expect((await request(n.url).get('/health')).status).toBe(200);

  await link.cut();
  failedProbeJustNow();
  const down = await request(n.url).get('/health');
  expect(down.status).toBe(503);
  expect(down.body).toEqual({ status: 'Unhealthy', checks: { ...ALL_HEALTHY, temporal: 'Unhealthy' } });
  expect(healthWarnings(logs)).toEqual([expect.objectContaining({ dependency: 'temporal', needed: true })]);

  // gRPC reconnects with backoff: the first answers after the link is back may still be 503.
  await link.restore();
  const back = await eventually(async () => {
    const res = await request(n.url).get('/health');
    if (res.status !== 200) {
      failedProbeJustNow();
      throw new Error(JSON.stringify(res.body));
    }
    return res;
  }, 200);
  expect(back.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('stays 200 with redis Unhealthy while the read service has lost Redis (not needed here)', async () => {
  const logs = new LogCapture();
  const n = await node({}, logs);

  await redis.stop();
  try {
    const down = await eventually(async () => {
      const res = await request(n.url).get('/health');
      if (res.body.checks?.redis !== 'Unhealthy') throw new Error('redis outage not seen yet');
      return res;
    });
    expect(down.status).toBe(200);
    expect(down.body).toEqual({ status: 'Healthy', checks: { ...ALL_HEALTHY, redis: 'Unhealthy' } });
    expect(healthWarnings(logs)).toContainEqual(
      expect.objectContaining({ dependency: 'redis', needed: false }),
    );
  } finally {
    await redis.start();
  }
  const back = await eventually(async () => {
    const res = await request(n.url).get('/health');
    if (res.body.checks?.redis !== 'Healthy') throw new Error('redis not back yet');
    return res;
  });
  expect(back.body).toEqual({ status: 'Healthy', checks: ALL_HEALTHY });
});

it('stays 200 with kafka, redis and mongo Unhealthy when the read service is unreachable', async () => {
  const noReadService = new ReadClient(await deadAddress());
  cleanups.push(() => noReadService.close());
  const n = await node({ readService: noReadService });

  const res = await request(n.url).get('/health');

  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    status: 'Healthy',
    checks: {
      database: 'Healthy',
      kafka: 'Unhealthy',
      redis: 'Unhealthy',
      mongo: 'Unhealthy',
      temporal: 'Healthy',
    },
  });
});
