/**
 * The service stopped mid-stream and started again (same consumer group): every event is applied.
 * Each ticket went through two versions; its document holds each version's state once, and is
 * exactly what one uninterrupted pass produces (a redelivered batch changes nothing).
 */
import { createHarness, eventually, purchaseStory, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('restart', 3);
});

afterAll(async () => {
  await h?.close();
});

test('no event lost or applied twice across a restart', async () => {
  const stories = Array.from({ length: 60 }, () => purchaseStory());
  for (const s of stories) await h.publish(s.ticketIssued, s.ticketUsed);
  let applied = 0;
  const first = await h.start({ onProjected: (o) => (o === 'applied' ? applied++ : undefined) });
  // Stop while the backlog of 120 records is being worked through.
  await eventually(async () => {
    if (applied < 30) throw new Error(`${applied} applied`);
  }, 5);
  await first.service.stop();
  first.client.close();
  const appliedByFirst = applied;

  const second = await h.start();
  const tickets = h.mongo.db.collection('tickets_g1');
  await eventually(async () => {
    const done = await tickets.countDocuments({ 'states.v2.status': 'Used' });
    if (done < stories.length) throw new Error(`${done} used`);
  }, 100);

  expect(appliedByFirst).toBeGreaterThanOrEqual(30);
  process.stdout.write(`first instance applied ${appliedByFirst} of ${stories.length * 2}\n`);
  const docs = await tickets.find({}).toArray();
  expect(docs).toHaveLength(stories.length);
  for (const doc of docs) {
    expect(doc.states).toEqual({ v1: { status: 'Issued' }, v2: { status: 'Used' } });
  }
  const sample = stories[59]!;
  await expect(second.client.getTicket({ ticketId: sample.ids.ticketId })).resolves.toMatchObject({
    status: 'Used',
    qrCode: `QR:${sample.ids.ticketId}:${sample.ids.ticketNumber}`,
  });
});
