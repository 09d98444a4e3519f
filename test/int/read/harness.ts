/**
 * One read service per test file on its own topic, MongoDB database, Redis key prefix and port,
 * plus helpers to publish envelopes the way the outbox relay does (activities/relay/encode.ts).
 */
import { randomUUID } from 'node:crypto';

import type { Kafka, Producer } from 'kafkajs';
import Redis from 'ioredis';

import { loadConfig } from '../../../config';
import type { DomainEventType } from '../../../domain/events';
import { EVENT_CATALOGUE } from '../../../domain/events';
import type { EventEnvelope } from '../../../domain/shared/events';
import { ReadClient } from '../../../read-service/client';
import {
  readServiceOptions,
  startReadService,
  type ReadService,
  type ReadServiceOptions,
} from '../../../read-service/service';
import { createTestTopic, testKafka, type TestTopic } from '../../support/kafka';
import { createTestMongo, type TestMongo } from '../../support/mongo';
import { uniqueName } from '../../support/unique';

export interface Harness {
  readonly kafka: Kafka;
  readonly topic: TestTopic;
  readonly dlqTopic: string;
  readonly mongo: TestMongo;
  readonly groupId: string;
  readonly keyPrefix: string;
  readonly producer: Producer;
  /** A client on the harness Redis with the service's key prefix, to inspect the cache. */
  readonly redis: Redis;
  options(overrides?: Partial<ReadServiceOptions>): ReadServiceOptions;
  start(overrides?: Partial<ReadServiceOptions>): Promise<{ service: ReadService; client: ReadClient }>;
  publish(...events: EventEnvelope[]): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(name: string, partitions = 3): Promise<Harness> {
  const config = loadConfig();
  const kafka = testKafka(`it-read-${name}`);
  const topic = await createTestTopic(kafka, `read.${name}`, partitions);
  const dlqTopic = `${topic.topic}.dlq`;
  const mongo = await createTestMongo(`read_${name}`);
  const groupId = uniqueName(`it-read-${name}`);
  const keyPrefix = `${uniqueName(`it:read:${name}`)}:`;
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const redis = new Redis(config.REDIS_URL, { keyPrefix, maxRetriesPerRequest: 2 });
  const started: { service: ReadService; client: ReadClient }[] = [];

  const options = (overrides: Partial<ReadServiceOptions> = {}) =>
    readServiceOptions(config, {
      topic: topic.topic,
      topicPartitions: partitions,
      groupId,
      dlqTopic,
      mongoDb: mongo.db.databaseName,
      redisKeyPrefix: keyPrefix,
      grpcPort: 0,
      grpcHost: '127.0.0.1',
      // The read model's own tests ask as a trusted caller; the access checks have their own
      // test (test/int/read/access.int.test.ts).
      access: {},
      generationPollMs: 200,
      ...overrides,
    });

  return {
    kafka,
    topic,
    dlqTopic,
    mongo,
    groupId,
    keyPrefix,
    producer,
    redis,
    options,
    start: async (overrides) => {
      const service = await startReadService(options(overrides));
      const client = new ReadClient(`127.0.0.1:${service.grpc.port}`, { deadlineMs: 5000 });
      const s = { service, client };
      started.push(s);
      return s;
    },
    publish: async (...events) => {
      await producer.send({
        topic: topic.topic,
        messages: events.map((e) => ({
          key: e.aggregateId,
          value: JSON.stringify(e),
          headers: {
            eventId: e.eventId,
            eventType: e.eventType,
            occurredAt: e.occurredAt,
            schemaVersion: String(e.schemaVersion),
          },
        })),
      });
    },
    close: async () => {
      for (const s of started) {
        s.client.close();
        await s.service.stop().catch(() => undefined);
      }
      await producer.disconnect();
      for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
        const names = (keys as string[]).map((k) => k.slice(keyPrefix.length));
        if (names.length > 0) await redis.del(...names);
      }
      redis.disconnect();
      await topic.remove([groupId]).catch(() => undefined);
      await mongo.close();
    },
  };
}

/** An envelope as the outbox writes it. */
export function envelope(
  eventType: DomainEventType,
  aggregateId: string,
  aggregateVersion: number,
  payload: Record<string, unknown>,
  correlationId: string | null = null,
): EventEnvelope {
  return {
    eventId: randomUUID(),
    eventType,
    aggregateType: EVENT_CATALOGUE[eventType],
    aggregateId,
    aggregateVersion,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    correlationId,
    payload,
  };
}

/** Retries `probe` until it returns without throwing; no wall-clock assertion, jest's timeout bounds it. */
export async function eventually<T>(probe: () => Promise<T>, pauseMs = 50): Promise<T> {
  for (;;) {
    try {
      return await probe();
    } catch {
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}

/** Sample events of one purchase: a showtime, a reservation, a payment and a ticket. */
export function purchaseStory(tag = randomUUID().slice(0, 8)) {
  const ids = {
    showtimeId: `st-${tag}`,
    movieId: `movie-${tag}`,
    reservationId: `res-${tag}`,
    paymentId: `pay-${tag}`,
    ticketId: `ticket-${tag}`,
    ticketNumber: `TKT-20250108123456-${tag}`,
    customerId: `customer-${tag}`,
    sagaId: `purchase-${tag}`,
  };
  const seats = [
    { row: 5, number: 10 },
    { row: 5, number: 11 },
  ];
  const showtime = envelope('ShowtimeCreated', ids.showtimeId, 1, {
    showtimeId: ids.showtimeId,
    movieId: ids.movieId,
    movieTitle: 'Inception',
    runningTimeMinutes: 148,
    auditoriumId: 'aud-1',
    auditoriumName: 'Hall 1',
    capacity: 100,
    startsAt: '2025-12-12T20:00:00.000Z',
    endsAt: '2025-12-12T22:28:00.000Z',
    priceAmountMinor: 1250,
    currency: 'USD',
  });
  const reservationCreated = envelope('ReservationCreated', ids.reservationId, 1, {
    reservationId: ids.reservationId,
    showtimeId: ids.showtimeId,
    customerId: ids.customerId,
    seats,
    totalAmountMinor: 2500,
    currency: 'USD',
    holdExpiresAt: '2025-01-08T12:10:00.000Z',
  });
  const reservationConfirmed = envelope('ReservationConfirmed', ids.reservationId, 2, {
    reservationId: ids.reservationId,
    showtimeId: ids.showtimeId,
    customerId: ids.customerId,
    seats,
    confirmedAt: '2025-01-08T12:00:03.000Z',
  });
  const paymentCreated = envelope('PaymentCreated', ids.paymentId, 1, {
    paymentId: ids.paymentId,
    reservationId: ids.reservationId,
    customerId: ids.customerId,
    amountMinor: 2500,
    currency: 'USD',
    method: 'CreditCard',
    cardBrand: 'Visa',
    cardLast4: '4242',
  });
  const paymentCompleted = envelope('PaymentCompleted', ids.paymentId, 2, {
    paymentId: ids.paymentId,
    reservationId: ids.reservationId,
    customerId: ids.customerId,
    amountMinor: 2500,
    currency: 'USD',
    method: 'CreditCard',
    transactionId: 'TXN-abc123',
    processedAt: '2025-01-08T12:00:02.000Z',
  });
  const ticketIssued = envelope('TicketIssued', ids.ticketId, 1, {
    ticketId: ids.ticketId,
    ticketNumber: ids.ticketNumber,
    reservationId: ids.reservationId,
    paymentId: ids.paymentId,
    showtimeId: ids.showtimeId,
    customerId: ids.customerId,
    movieTitle: 'Inception',
    screeningTime: '2025-12-12T20:00:00.000Z',
    auditoriumName: 'Hall 1',
    seats,
    totalAmountMinor: 2500,
    currency: 'USD',
    qrCode: `QR:${ids.ticketId}:${ids.ticketNumber}`,
    issuedAt: '2025-01-08T12:00:04.000Z',
  });
  const ticketUsed = envelope('TicketUsed', ids.ticketId, 2, {
    ticketId: ids.ticketId,
    ticketNumber: ids.ticketNumber,
    usedAt: '2025-12-12T19:55:00.000Z',
  });
  const sagaStarted = envelope(
    'SagaStarted',
    ids.sagaId,
    1,
    {
      sagaId: ids.sagaId,
      customerId: ids.customerId,
      showtimeId: ids.showtimeId,
      seats,
      startedAt: '2025-01-08T12:00:00.000Z',
    },
    ids.sagaId,
  );
  const stepCompleted = envelope(
    'StepCompleted',
    ids.sagaId,
    2,
    {
      sagaId: ids.sagaId,
      stepName: 'ReserveSeats',
      stepNumber: 1,
      message: 'Seats reserved',
      reservationId: ids.reservationId,
      paymentId: null,
      ticketId: null,
      ticketNumber: null,
    },
    ids.sagaId,
  );
  const sagaCompleted = envelope(
    'SagaCompleted',
    ids.sagaId,
    3,
    {
      sagaId: ids.sagaId,
      customerId: ids.customerId,
      showtimeId: ids.showtimeId,
      reservationId: ids.reservationId,
      paymentId: ids.paymentId,
      ticketId: ids.ticketId,
      ticketNumber: ids.ticketNumber,
      completedAt: '2025-01-08T12:00:05.000Z',
    },
    ids.sagaId,
  );
  return {
    ids,
    seats,
    showtime,
    reservationCreated,
    reservationConfirmed,
    paymentCreated,
    paymentCompleted,
    ticketIssued,
    ticketUsed,
    sagaStarted,
    stepCompleted,
    sagaCompleted,
    all: [
      showtime,
      sagaStarted,
      reservationCreated,
      stepCompleted,
      paymentCreated,
      paymentCompleted,
      reservationConfirmed,
      ticketIssued,
      sagaCompleted,
    ],
  };
}
