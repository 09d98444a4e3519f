/**
 * Degraded mode on a private FerretDB: MongoDB killed -> cached answers are still served, misses
 * get UNAVAILABLE, events wait in Kafka; MongoDB back -> the waiting events are applied and
 * misses answered again, without restarting the service.
 */
import { GrpcStatus, isGrpcError, type ReadClient } from '../../../read-service/client';
import { createHarness, eventually, purchaseStory, type Harness } from './harness';
import { PrivateFerretDb } from './private-ferretdb';

let h: Harness;
let mongo: PrivateFerretDb;
let client: ReadClient;

beforeAll(async () => {
  h = await createHarness('mongo_outage', 1);
  mongo = await PrivateFerretDb.start();
  ({ client } = await h.start({ mongoUrl: mongo.url, mongoDb: 'read_outage', mongoTimeoutMs: 1000 }));
});

afterAll(async () => {
  await h?.close();
  await mongo?.remove();
});

test('MongoDB down: cached answers served, misses UNAVAILABLE; back: views catch up', async () => {
  const s = purchaseStory();
  await h.publish(s.ticketIssued, s.paymentCreated);
  await eventually(() => client.getTicket({ ticketId: s.ids.ticketId }));
  await eventually(() => client.getPayment({ paymentId: s.ids.paymentId }));
  await eventually(async () => {
    await client.getTicket({ ticketId: s.ids.ticketId });
    if ((await h.redis.exists(`g1:pb:ticket:${s.ids.ticketId}@1`)) !== 1) throw new Error('not cached');
  });

  await mongo.stop();
  await expect(client.getTicket({ ticketId: s.ids.ticketId })).resolves.toMatchObject({ status: 'Issued' });
  // Never asked before, so not cached: UNAVAILABLE, not NOT_FOUND (the service cannot know).
  const miss = await client.getTicketByNumber({ ticketNumber: s.ids.ticketNumber }).catch((e: unknown) => e);
  expect(isGrpcError(miss, GrpcStatus.UNAVAILABLE)).toBe(true);
  const unknown = await client
    .getReservation({ reservationId: 'no-such-reservation' })
    .catch((e: unknown) => e);
  expect(isGrpcError(unknown, GrpcStatus.UNAVAILABLE)).toBe(true);

  // An event arriving during the outage waits (its offset is not committed) ...
  await h.publish(s.ticketUsed);
  await expect(client.getTicket({ ticketId: s.ids.ticketId })).resolves.toMatchObject({ status: 'Issued' });

  // ... and is applied once MongoDB is back; the service recovers by itself.
  await mongo.start();
  await eventually(async () => {
    const t = await client.getTicket({ ticketId: s.ids.ticketId });
    if (t.status !== 'Used') throw new Error(t.status);
  }, 100);
  await expect(client.getTicketByNumber({ ticketNumber: s.ids.ticketNumber })).resolves.toMatchObject({
    status: 'Used',
  });
});
