/** A poison record goes to the dead-letter topic with the reason; the consumer moves on. */
import type { ReadClient } from '../../../read-service/client';
import { createHarness, envelope, eventually, purchaseStory, type Harness } from './harness';

let h: Harness;
let client: ReadClient;

beforeAll(async () => {
  h = await createHarness('dlq', 1);
  ({ client } = await h.start());
});

afterAll(async () => {
  await h?.close();
  const admin = h?.kafka.admin();
  if (admin) {
    await admin.connect();
    await admin.deleteTopics({ topics: [h.dlqTopic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

test('poison records are dead-lettered with their reason and later records still apply', async () => {
  const s = purchaseStory();
  const unknownType = { ...envelope('TicketUsed', s.ids.ticketId, 1, {}), eventType: 'TicketTeleported' };
  const badPayload = envelope('TicketUsed', s.ids.ticketId, 2, { ticketId: s.ids.ticketId });
  await h.producer.send({
    topic: h.topic.topic,
    messages: [
      { key: 'garbage', value: 'not json at all', headers: { eventId: 'x1' } },
      { key: s.ids.ticketId, value: JSON.stringify(unknownType) },
      { key: s.ids.ticketId, value: JSON.stringify(badPayload) },
    ],
  });
  await h.publish(s.ticketIssued);
  await expect(eventually(() => client.getTicket({ ticketId: s.ids.ticketId }))).resolves.toMatchObject({
    status: 'Issued',
  });

  // The dead-letter topic comes into being with the first record parked, which may be after the
  // ticket above (other partition): subscribe once the broker serves it.
  const admin = h.kafka.admin();
  await admin.connect();
  await eventually(() => admin.fetchTopicMetadata({ topics: [h.dlqTopic] }), 200);
  await admin.disconnect();
  const consumer = h.kafka.consumer({ groupId: `${h.groupId}-dlq-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic: h.dlqTopic, fromBeginning: true });
  const parked: { value: string; headers: Record<string, string> }[] = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      parked.push({ value: message.value?.toString() ?? '', headers });
    },
  });
  await eventually(async () => {
    if (parked.length < 3) throw new Error(`${parked.length} parked`);
  });
  await consumer.disconnect();

  // Records with different keys may land on different DLQ partitions: compare by value, not order.
  expect(parked).toHaveLength(3);
  const reasons = Object.fromEntries(parked.map((p) => [p.value, p.headers['dlq-reason']]));
  expect(reasons).toEqual({
    'not json at all': 'message value is not JSON',
    [JSON.stringify(unknownType)]: 'unknown event type TicketTeleported',
    [JSON.stringify(badPayload)]: expect.stringContaining('payload.ticketNumber'),
  });
  const garbage = parked.find((p) => p.value === 'not json at all');
  expect(garbage?.headers).toMatchObject({
    eventId: 'x1',
    'dlq-source-topic': h.topic.topic,
    'dlq-source-offset': '0',
  });
});
