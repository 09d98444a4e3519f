/**
 * Smoke test of the local infrastructure: one real round trip through each service the system
 * uses, with the same drivers the application uses. Each part has its own database, topic, key
 * prefix or task queue, and removes it afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { loadConfig } from '../../config';
import { SagaStatus } from '../../workflows/search-attributes';
import { createTestTopic, testKafka, type TestTopic } from '../support/kafka';
import { createTestMongo, type TestMongo } from '../support/mongo';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { createTestRedis, type TestRedis } from '../support/redis';
import { connectTestTemporal, uniqueTaskQueue } from '../support/temporal';
import { uniqueName } from '../support/unique';
import { smokeActivities } from './smoke.activities';
import { smokeGreeting } from './smoke.workflows';

const config = loadConfig();

describe('PostgreSQL', () => {
  let database: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase('smoke');
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('writes a row and reads it back', async () => {
    await client.query('CREATE TABLE smoke (id uuid PRIMARY KEY, title text NOT NULL)');
    const id = randomUUID();
    await client.query('INSERT INTO smoke (id, title) VALUES ($1, $2)', [id, 'Metropolis']);

    const { rows } = await client.query<{ title: string }>('SELECT title FROM smoke WHERE id = $1', [id]);

    expect(rows).toEqual([{ title: 'Metropolis' }]);
  });
});

describe('Kafka', () => {
  const kafka = testKafka('smoke-test');
  const groupId = uniqueName('it-smoke-group');
  let topic: TestTopic;
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    topic = await createTestTopic(kafka, 'smoke');
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    consumer = kafka.consumer({ groupId });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([producer?.disconnect(), consumer?.disconnect()]);
    await topic?.remove([groupId]);
  });

  it('produces a keyed message with headers and consumes it', async () => {
    await consumer.subscribe({ topic: topic.topic, fromBeginning: true });
    const received = new Promise<KafkaMessage>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message) });
    });
    const eventId = randomUUID();

    await producer.send({
      topic: topic.topic,
      messages: [{ key: 'showtime-1', value: JSON.stringify({ seats: 2 }), headers: { eventId } }],
    });
    const message = await received;

    expect(message.key?.toString()).toBe('showtime-1');
    expect(JSON.parse(message.value?.toString() ?? 'null')).toEqual({ seats: 2 });
    expect(message.headers?.eventId?.toString()).toBe(eventId);
  });
});

describe('MongoDB wire protocol (FerretDB locally)', () => {
  let mongo: TestMongo;

  beforeAll(async () => {
    mongo = await createTestMongo('smoke');
  });

  afterAll(async () => {
    await mongo?.close();
  });

  it('inserts a document and finds it', async () => {
    const showtimes = mongo.db.collection<{ _id: string; film: string; seatsLeft: number }>('showtimes');
    await showtimes.insertOne({ _id: 'st-1', film: 'Nosferatu', seatsLeft: 120 });

    const found = await showtimes.findOne({ _id: 'st-1' });

    expect(found).toEqual({ _id: 'st-1', film: 'Nosferatu', seatsLeft: 120 });
  });
});

describe('Redis', () => {
  let redis: TestRedis;

  beforeAll(() => {
    redis = createTestRedis('smoke');
  });

  afterAll(async () => {
    await redis?.close();
  });

  it('sets a key with a TTL and gets it back', async () => {
    await redis.client.set('showtime:st-1', '{"seatsLeft":120}', 'EX', 60);

    expect(await redis.client.get('showtime:st-1')).toBe('{"seatsLeft":120}');
    expect(await redis.client.ttl('showtime:st-1')).toBeGreaterThan(0);
  });
});

describe('Temporal', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await connectTestTemporal();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow and its activity on a real worker, with a custom search attribute', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      workflowsPath: require.resolve('./smoke.workflows'),
      activities: smokeActivities,
    });

    const describeRun = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(smokeGreeting, {
        taskQueue,
        workflowId: uniqueName('smoke-greeting'),
        args: ['cinema'],
        // Registered by infra:up from workflows/search-attributes.ts; the start fails if it is not.
        typedSearchAttributes: [{ key: SagaStatus, value: 'SMOKE' }],
      });
      return { result: await handle.result(), description: await handle.describe() };
    });

    expect(describeRun.result).toBe('hello, CINEMA');
    expect(describeRun.description.status.name).toBe('COMPLETED');
    expect(describeRun.description.typedSearchAttributes.get(SagaStatus)).toBe('SMOKE');
  });
});
