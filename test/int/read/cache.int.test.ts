/**
 * Cache-aside proven by looking into Redis: a query stores its answer under the tag generation,
 * a second query is answered from Redis, and a view change moves the generation so the old entry
 * is never served again.
 */
import { Ticket } from '../../../proto/gen/cinema/read/v1/read';
import type { ReadClient } from '../../../read-service/client';
import type { ReadService } from '../../../read-service/service';
import { createHarness, eventually, purchaseStory, type Harness } from './harness';

let h: Harness;
let client: ReadClient;
let service: ReadService;

beforeAll(async () => {
  h = await createHarness('cache');
  ({ client, service } = await h.start());
});

afterAll(async () => {
  await h?.close();
});

test('miss stores, hit is served from Redis, a view change invalidates', async () => {
  const s = purchaseStory();
  await h.publish(s.ticketIssued);
  const tagKey = `g1:tag:ticket:${s.ids.ticketId}`;
  const entry = (gen: string) => `g1:pb:ticket:${s.ids.ticketId}@${gen}`;

  // The projection bumped the ticket's tag when it wrote the view.
  await eventually(async () => {
    if ((await h.redis.get(tagKey)) !== '1') throw new Error('tag not bumped yet');
  });
  expect(await h.redis.exists(entry('1'))).toBe(0);

  // Miss: answered from MongoDB and stored under the current tag generation.
  const missesBefore = service.cache.stats.misses;
  const first = await client.getTicket({ ticketId: s.ids.ticketId });
  expect(service.cache.stats.misses).toBe(missesBefore + 1);
  // Stored as the wire carries it: the encoded Ticket.
  const stored = await h.redis.getBuffer(entry('1'));
  expect(Ticket.decode(stored ?? Buffer.alloc(0))).toEqual(first);
  expect(await h.redis.ttl(entry('1'))).toBeGreaterThan(0);

  // Hit: a marker written into the entry comes back, so the answer came from Redis.
  await h.redis.set(
    entry('1'),
    Buffer.from(Ticket.encode({ ...first, movieTitle: 'FROM-REDIS' }).finish()),
    'KEEPTTL',
  );
  await expect(client.getTicket({ ticketId: s.ids.ticketId })).resolves.toMatchObject({
    movieTitle: 'FROM-REDIS',
  });

  // Invalidation: the next event moves the tag to 2; the marker under @1 is unreachable.
  await h.publish(s.ticketUsed);
  await eventually(async () => {
    if ((await h.redis.get(tagKey)) !== '2') throw new Error('tag not bumped yet');
  });
  const after = await client.getTicket({ ticketId: s.ids.ticketId });
  expect(after).toMatchObject({ status: 'Used', movieTitle: 'Inception' });
  expect(Ticket.decode((await h.redis.getBuffer(entry('2'))) ?? Buffer.alloc(0))).toEqual(after);

  // The by-number and customer-list entries share the ticket's change.
  await client.getTicketByNumber({ ticketNumber: s.ids.ticketNumber });
  await client.listCustomerTickets({ customerId: s.ids.customerId });
  expect(await h.redis.get(`g1:tag:ticketno:${s.ids.ticketNumber}`)).toBe('2');
  expect(
    await h.redis.exists(`g1:pb:ticketno:${s.ids.ticketNumber}@2`, `g1:pb:customer:${s.ids.customerId}@2`),
  ).toBe(2);
});

test('a reader that loaded before a change cannot store its stale answer', async () => {
  const s = purchaseStory();
  await h.publish(s.paymentCreated);
  const tag = `payment:${s.ids.paymentId}`;
  // Query until the answer is cached (the projector's invalidation may land just after the view
  // write, making an answer stored in between unreachable, which is the point of the design).
  await eventually(async () => {
    await client.getPayment({ paymentId: s.ids.paymentId });
    if (!(await service.cache.lookup(tag, `payment:${s.ids.paymentId}`)).hit) throw new Error('not cached');
  });

  // Simulate the race: a reader saw generation g, then the projector changed the view.
  const gen = await h.redis.get(`g1:tag:${tag}`);
  await h.publish(s.paymentCompleted);
  await eventually(async () => {
    if ((await h.redis.get(`g1:tag:${tag}`)) === gen) throw new Error('not invalidated yet');
  });
  await service.cache.store(tag, 'payment:stale-probe', gen ?? '0', Buffer.from('stale'));
  expect(await h.redis.exists(`g1:pb:payment:stale-probe@${gen}`)).toBe(0);
  await expect(client.getPayment({ paymentId: s.ids.paymentId })).resolves.toMatchObject({
    status: 'Completed',
  });
});

test('a reservation change invalidates its showtime, seat map and the lists', async () => {
  const s = purchaseStory();
  await h.publish(s.showtime);
  await eventually(() => client.getShowtime({ showtimeId: s.ids.showtimeId }));
  await expect(client.getSeatMap({ showtimeId: s.ids.showtimeId })).resolves.toMatchObject({
    availableSeats: 100,
  });
  await expect(client.listShowtimes({ movieId: s.ids.movieId })).resolves.toMatchObject({
    showtimes: [{ availableSeats: 100 }],
  });
  await h.publish(s.reservationCreated);
  await eventually(async () => {
    const map = await client.getSeatMap({ showtimeId: s.ids.showtimeId });
    if (map.availableSeats !== 98) throw new Error(String(map.availableSeats));
  });
  await expect(client.getShowtime({ showtimeId: s.ids.showtimeId })).resolves.toMatchObject({
    heldSeats: 2,
    availableSeats: 98,
  });
  await expect(client.listShowtimes({ movieId: s.ids.movieId })).resolves.toMatchObject({
    showtimes: [{ availableSeats: 98 }],
  });
});
