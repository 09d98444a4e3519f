/**
 * One request id followed end to end, on real services: requests with a chosen X-Request-Id enter
 * through the gateway, reach an API node, start workflows (purchase, a declined purchase that
 * compensates, a refund, a seat hold) run by the real saga worker; the real relay publishes their
 * outbox rows to a private topic, which the real read service projects. The id must be on each
 * workflow (search attribute and memo), on every Kafka message it caused (header and envelope),
 * and on the log lines of the gateway, the API node, the activities and the read service.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';

import { createGatewayApp } from '../../../api/gateway/app';
import { loadConfig } from '../../../config';
import { OutboxStore, REPORTING_MIGRATIONS, sql } from '../../../db';
import * as read from '../../../db/row';
import { RequestId } from '../../../workflows/search-attributes';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { LogCapture } from '../api/log-capture';
import { CARDS, purchaseBody } from '../api/purchase-flow';
import { availableDialects, createTestDatabase, type TestDatabase } from '../db/helpers';
import { scheduleShowtime, type ScheduledShowtime } from '../db/fixtures';
import { createHarness as createReadHarness, type Harness as ReadHarness } from '../read/harness';
import { startInProcessRelay, type InProcessRelay } from '../relay/support/in-process-relay';
import { readTopic, type Received, type TopicReader } from '../relay/support/kafka-reader';
import { uniqueTaskQueue } from '../../support/temporal';
import { waitFor } from '../relay/support/wait';
import { asAdmin, asCaller, asCustomer, bearer, DEV_AUTH_CONFIG } from '../../support/auth';

jest.setTimeout(300_000);

/** One request through the gateway and the workflow it started (its id is the events' correlationId). */
interface Traced {
  readonly requestId: string;
  readonly workflowId: string;
}

type LogLine = Record<string, unknown>;

let api: ApiHarness;
let reporting: TestDatabase;
let readSide: ReadHarness;
let relay: InProcessRelay;
let reader: TopicReader;
let gateway: Server;
let gatewayUrl: string;
let scheduled: ScheduledShowtime;
const gatewayLogs = new LogCapture();
const readLogs = new LogCapture();

const newRequestId = (what: string) => `it-${what}-${randomUUID()}`;

/** The JSON lines of a capture (the Temporal Runtime's lines nest their fields under `meta`). */
const parsed = (logs: LogCapture): LogLine[] =>
  logs.lines.map((line) => {
    const json = JSON.parse(line) as LogLine;
    return typeof json.meta === 'object' && json.meta !== null ? { ...json, ...json.meta } : json;
  });
const linesOf = (logs: LogCapture, requestId: string) =>
  parsed(logs).filter((line) => line.requestId === requestId);

/** Outbox rows a workflow's activities wrote, by event id. */
async function outboxIdsOf(workflowId: string): Promise<string[]> {
  const { rows } = await api.db.query(
    sql`SELECT id FROM outbox_messages WHERE correlation_id = ${workflowId} ORDER BY sequence`,
  );
  return rows.map((r) => read.uuid(r.id, 'id'));
}

const messagesOf = (workflowId: string): Received[] =>
  reader.messages.filter((m) => m.envelope.correlationId === workflowId);

beforeAll(async () => {
  api = await startApiHarness({ name: 'request_id', sagaWorker: true });
  scheduled = await scheduleShowtime(api.uow, api.ctx, { rows: 4, seatsPerRow: 10, priceMinor: 1000 });

  const [postgres] = availableDialects().targets.filter((t) => t.dialect === 'postgres');
  if (!postgres) throw new Error('this test needs PostgreSQL');
  reporting = await createTestDatabase(postgres, {
    prefix: 'request_id_rep',
    migrations: REPORTING_MIGRATIONS,
    poolMax: 3,
  });
  readSide = await createReadHarness('request-id');
  const { client: readClient } = await readSide.start({ logger: readLogs.pino({ service: 'read-service' }) });

  const relayQueue = uniqueTaskQueue('request-id-relay');
  relay = await startInProcessRelay(api.env, {
    config: loadConfig({
      ...process.env,
      LOG_LEVEL: 'fatal',
      WRITE_DB_URL: api.dbUrl,
      REPORTING_DB_URL: reporting.url,
      KAFKA_TOPIC: readSide.topic.topic,
      RELAY_TASK_QUEUE: relayQueue,
      RELAY_WORKFLOW_ID_PREFIX: relayQueue,
      RELAY_SHARDS: '1',
      RELAY_METRICS_INTERVAL_MS: '0',
      DB_POOL_MAX: '3',
    }),
  });
  reader = await readTopic(readSide.kafka, readSide.topic.topic);

  const apiPort = new URL(api.url).port;
  gateway = createServer(
    createGatewayApp({
      auth: DEV_AUTH_CONFIG,
      read: readClient,
      lbAddress: `127.0.0.1:${apiPort}`,
      logger: gatewayLogs.pino({ service: 'gateway' }),
    }),
  );
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await reader?.stop();
  if (reader) await deleteGroup(readSide.kafka, reader.groupId);
  await relay?.terminate();
  await relay?.stop();
  if (gateway) {
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
  }
  await readSide?.close();
  await reporting?.drop();
  await api?.close();
});

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]);
  } finally {
    await admin.disconnect();
  }
}

describe('a request id followed from the gateway to the read side', () => {
  const purchase: Traced = { requestId: newRequestId('purchase'), workflowId: `purchase-${randomUUID()}` };
  const declined: Traced = { requestId: newRequestId('declined'), workflowId: `purchase-${randomUUID()}` };
  let refund: Traced;
  let hold: Traced;
  let holdCancelRequestId: string;
  let sagaIds: Record<string, string[]>;

  beforeAll(async () => {
    const buy = (traced: Traced, seats: { row: number; number: number }[], card: string) =>
      asCustomer(gatewayUrl)
        .post('/api/ticketpurchase')
        .set('X-Request-Id', traced.requestId)
        .set('Idempotency-Key', traced.workflowId.slice('purchase-'.length))
        .send(purchaseBody(scheduled.showtime.id, seats, { cardNumber: card }));

    const bought = await buy(purchase, [{ row: 1, number: 1 }], CARDS.ok);
    expect(bought.status).toBe(200);
    expect(bought.headers['x-request-id']).toBe(purchase.requestId);
    expect((await buy(declined, [{ row: 1, number: 2 }], CARDS.declined)).status).toBe(400);

    refund = { requestId: newRequestId('refund'), workflowId: `refund-${bought.body.paymentId as string}` };
    const refunded = await asAdmin(gatewayUrl)
      .post(`/api/payments/${bought.body.paymentId as string}/refund`)
      .set('X-Request-Id', refund.requestId)
      .send({ reason: 'Customer request' });
    expect(refunded.status).toBe(200);

    const holdRequestId = newRequestId('hold');
    const holder = asCaller(bearer('customer-hold', 'customer'));
    const held = await holder(gatewayUrl)
      .post('/api/reservations')
      .set('X-Request-Id', holdRequestId)
      .send({
        showtimeId: scheduled.showtime.id,
        customerId: 'customer-hold',
        seats: [{ row: 2, number: 1 }],
      });
    expect(held.status).toBe(201);
    hold = { requestId: holdRequestId, workflowId: `reservation-${held.body.id as string}` };
    holdCancelRequestId = newRequestId('hold-cancel');
    const cancelled = await holder(gatewayUrl)
      .post(`/api/reservations/${held.body.id as string}/cancel`)
      .set('X-Request-Id', holdCancelRequestId)
      .send({ reason: 'changed my mind' });
    expect(cancelled.status).toBe(200);

    const store = new OutboxStore(api.db);
    await waitFor('the relay to drain the outbox', async () => (await store.backlog()).pending === 0, {
      timeoutMs: 120_000,
      detail: () => store.backlog(),
    });
    sagaIds = {};
    for (const t of [purchase, declined, refund, hold])
      sagaIds[t.workflowId] = await outboxIdsOf(t.workflowId);
    const expected = Object.values(sagaIds).flat();
    await waitFor(
      'every event of these workflows on Kafka',
      () => expected.every((id) => reader.ids().has(id)),
      {
        detail: () => ({ seen: reader.ids().size, expected: expected.length }),
      },
    );
    await waitFor('the read service to project every one of them', () => {
      const projected = new Set(parsed(readLogs).map((l) => l.eventId));
      return expected.every((id) => projected.has(id));
    });
  });

  it('starts each workflow with the request id as search attribute and memo', async () => {
    for (const t of [purchase, declined, refund, hold]) {
      const description = await api.temporal.workflow.getHandle(t.workflowId).describe();
      expect(description.typedSearchAttributes.get(RequestId)).toBe(t.requestId);
      expect(description.memo).toMatchObject({ requestId: t.requestId });
    }
  });

  it('puts the request id in the header and envelope of every Kafka message of each workflow', () => {
    const expectedTypes: Record<string, string[]> = {
      [purchase.workflowId]: [
        'SagaStarted',
        'ReservationCreated',
        'PaymentCompleted',
        'TicketIssued',
        'SagaCompleted',
      ],
      [declined.workflowId]: [
        'PaymentDeclined',
        'ReservationCancelled',
        'CompensationCompleted',
        'SagaCompensated',
      ],
      [refund.workflowId]: ['PaymentRefunded', 'TicketRefunded'],
      [hold.workflowId]: ['ReservationCreated', 'ReservationCancelled'],
    };
    for (const t of [purchase, declined, refund, hold]) {
      const messages = messagesOf(t.workflowId);
      expect(new Set(messages.map((m) => m.envelope.eventId))).toEqual(new Set(sagaIds[t.workflowId]));
      expect(messages.map((m) => m.envelope.eventType)).toEqual(
        expect.arrayContaining(expectedTypes[t.workflowId] ?? []),
      );
      for (const m of messages) {
        expect({
          type: m.envelope.eventType,
          header: m.headers.requestId,
          envelope: m.envelope.requestId,
        }).toEqual({ type: m.envelope.eventType, header: t.requestId, envelope: t.requestId });
      }
    }
    // The cancel of the hold is a later request: its events still belong to the hold's request.
    expect(reader.messages.some((m) => m.envelope.requestId === holdCancelRequestId)).toBe(false);
  });

  it('publishes nothing else but the showtime created before any request, with no request id', () => {
    const traced = new Set(Object.keys(sagaIds));
    const others = reader.messages.filter((m) => !traced.has(m.envelope.correlationId ?? ''));
    expect(others.map((m) => m.envelope.eventType)).toEqual(['ShowtimeCreated']);
    expect(others[0]?.headers).not.toHaveProperty('requestId');
    expect(others[0]?.envelope.requestId).toBeNull();
  });

  it('logs the request id on the gateway and API access lines and the API node saga line', () => {
    const access = (logs: LogCapture, t: Traced) =>
      linesOf(logs, t.requestId).filter((l) => l.msg === 'request completed');
    for (const t of [purchase, declined, refund, hold]) {
      expect(access(gatewayLogs, t)).toHaveLength(1);
      expect(access(api.appLogs, t)).toHaveLength(1);
    }
    expect(linesOf(api.appLogs, purchase.requestId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'purchase saga started', sagaId: purchase.workflowId }),
      ]),
    );
  });

  it('logs every activity line with its saga id and request id bound', () => {
    const activitiesOf = (t: Traced) =>
      new Set(
        linesOf(api.workerLogs, t.requestId)
          .filter((l) => [l.sagaId, l.workflowId, l.refundId].includes(t.workflowId))
          .map((l) => l.activity),
      );
    expect(activitiesOf(purchase)).toEqual(
      new Set(['reserveSeats', 'processPayment', 'confirmReservation', 'issueTicket']),
    );
    // A declined charge did not apply, so only ReleaseSeats compensates.
    expect(activitiesOf(declined)).toEqual(new Set(['reserveSeats', 'processPayment', 'releaseSeats']));
    expect(activitiesOf(refund)).toEqual(
      new Set(['refundCompletedPayment', 'markTicketRefunded', 'releaseSeats']),
    );
    expect(activitiesOf(hold)).toEqual(new Set(['reserveSeats', 'cancelReservation']));
    // No activity line goes without a request id.
    const activityLines = parsed(api.workerLogs).filter((l) => typeof l.activity === 'string');
    expect(activityLines.filter((l) => typeof l.requestId !== 'string')).toEqual([]);
  });

  it('logs the request id of every event the read service projects', () => {
    for (const t of [purchase, declined, refund, hold]) {
      const projected = linesOf(readLogs, t.requestId).filter((l) => l.msg === 'event projected');
      expect(new Set(projected.map((l) => l.eventId))).toEqual(new Set(sagaIds[t.workflowId]));
      expect(projected.every((l) => l.correlationId === t.workflowId)).toBe(true);
    }
  });
});
