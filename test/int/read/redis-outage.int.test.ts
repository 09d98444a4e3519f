/**
 * Degraded mode on a private Redis: stopped -> every query is still answered from MongoDB, and
 * views keep changing; restarted -> the cache is used again on its own.
 */
import Redis from 'ioredis';

import type { ReadClient } from '../../../read-service/client';
import type { ReadService } from '../../../read-service/service';
import { createHarness, eventually, purchaseStory, type Harness } from './harness';
import { PrivateRedis } from './private-redis';

let h: Harness;
let redisServer: PrivateRedis;
let inspect: Redis;
let client: ReadClient;
let service: ReadService;

beforeAll(async () => {
  h = await createHarness('redis_outage');
  redisServer = await PrivateRedis.start();
  inspect = new Redis(redisServer.url, { keyPrefix: h.keyPrefix, maxRetriesPerRequest: 1 });
  inspect.on('error', () => undefined);
  ({ client, service } = await h.start({ redisUrl: redisServer.url }));
});

afterAll(async () => {
  inspect?.disconnect();
  await h?.close();
  await redisServer?.stop();
});

test('Redis stopped: queries answered from MongoDB; restarted: cache used again', async () => {
  const s = purchaseStory();
  await h.publish(s.ticketIssued);
  // Cached under the generation the projection's invalidation left (see cache.int.test.ts).
  await eventually(async () => {
    await client.getTicket({ ticketId: s.ids.ticketId });
    if ((await inspect.exists(`g1:pb:ticket:${s.ids.ticketId}@1`)) !== 1) throw new Error('not cached');
  });

  await redisServer.stop();
  const errorsBefore = service.cache.stats.errors;
  await expect(client.getTicket({ ticketId: s.ids.ticketId })).resolves.toMatchObject({ status: 'Issued' });
  await expect(client.getTicketByNumber({ ticketNumber: s.ids.ticketNumber })).resolves.toMatchObject({
    id: s.ids.ticketId,
  });
  expect(service.cache.stats.errors).toBeGreaterThan(errorsBefore);

  // The view keeps changing while Redis is down, and queries see the change.
  await h.publish(s.ticketUsed);
  await eventually(async () => {
    const t = await client.getTicket({ ticketId: s.ids.ticketId });
    if (t.status !== 'Used') throw new Error(t.status);
  });
  // The invalidation is owed to Redis (it follows the batch's last write, a moment after the view).
  await eventually(async () => {
    if (service.cache.trusted) throw new Error('invalidation not attempted yet');
  });

  await redisServer.start();
  // The owed invalidation lands and the cache is trusted and used again, without a restart.
  await eventually(async () => {
    if (!service.cache.trusted) throw new Error('invalidation still pending');
    await client.getTicket({ ticketId: s.ids.ticketId });
    if ((await inspect.exists(`g1:pb:ticket:${s.ids.ticketId}@1`)) !== 1) throw new Error('not cached yet');
  }, 100);
  const hitsBefore = service.cache.stats.hits;
  await expect(client.getTicket({ ticketId: s.ids.ticketId })).resolves.toMatchObject({ status: 'Used' });
  expect(service.cache.stats.hits).toBe(hitsBefore + 1);
});
