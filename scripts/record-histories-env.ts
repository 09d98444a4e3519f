/**
 * What `npm run histories:record` runs the workflows on: the Temporal dev server, the real saga
 * and relay workflows and activities on task queues of their own, and private databases and a
 * Kafka topic (dropped at the end), so recording touches nothing anyone else uses. The only
 * departure from production: confirmReservation and issueTicket refuse sagas tagged for it, the
 * way test/int/saga/step-failures.int.test.ts provokes those two failures (no test card can).
 */
import { randomUUID } from 'node:crypto';

import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';

import { createBookingActivities, type BookingActivities } from '../activities';
import { createRelayActivities } from '../activities/relay';
import { codecPlugin } from '../codec/data-converter';
import type { Config } from '../config';
import { UnitOfWork } from '../db/unit-of-work';
import { CardNumber, expectOk, type SeatRef } from '../domain';
import { createPaymentProvider, tokenizeCard } from '../providers/payment';
import { scheduleShowtime, testContext, type ScheduledShowtime } from '../test/int/db/fixtures';
import { createRelayTestEnv, type RelayTestEnv } from '../test/int/relay/support/relay-env';
import { refuseStepFor } from '../test/int/saga/refuse-step';
import { uniqueTaskQueue } from '../test/support/temporal';
import type { outboxRelay } from '../workflows/outbox-relay';
import type { PurchasePayment } from '../workflows/purchase-contract';
import { ensureRelays, relaySettingsFrom } from '../workers/relay/relays';
import { openRelayResources } from '../workers/relay/resources';
import { TicketQrSigner } from '../providers/ticket-qr';

/** Sagas whose id contains one of these have that step refused (a non-retryable business failure). */
export const REFUSE_TAG = { confirm: 'refuse-confirm', issue: 'refuse-issue' } as const;

export interface RecordingEnv {
  readonly config: Config;
  readonly client: Client;
  readonly sagaTaskQueue: string;
  readonly showtime: ScheduledShowtime;
  readonly relayEnv: RelayTestEnv;
  /** Tokenized at the edge, like the API does: the number goes no further. */
  payment(cardNumber: string): PurchasePayment;
  /** Starts the relay worker and its single shard's workflow (after the purchases wrote their events). */
  startRelay(): Promise<WorkflowHandleWithFirstExecutionRunId<typeof outboxRelay>>;
  close(): Promise<void>;
}

/** Clients and workers encrypt payloads like production's (the codec plugin on their connections). */
export async function openRecordingEnv(): Promise<RecordingEnv> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.error(e));
  };
  try {
    const relayEnv = await createRelayTestEnv('golden', {
      overrides: {
        RELAY_SHARDS: '1',
        // Continue as new after three batches; an idle batch waits a second, so that is soon.
        RELAY_BATCHES_PER_RUN: '3',
        RELAY_IDLE_MAX_MS: '1000',
        RELAY_IDLE_POLL_MS: '200',
        PAYMENT_SIM_LATENCY_MS: '0',
        PAYMENT_SIM_TRANSIENT_FAILURES: '2',
        PAYMENT_SIM_HANG_MS: '0',
        PAYMENT_SIM_LEDGER: 'database',
      },
    });
    cleanups.push(() => relayEnv.cleanup());
    const { config } = relayEnv;
    const plugins = [codecPlugin(config)];
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, plugins });
    cleanups.push(() => connection.close());
    const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, plugins });
    cleanups.push(() => clientConnection.close());
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    const logger = pino({ level: 'silent' });

    const db = relayEnv.write.db;
    const uow = new UnitOfWork(db);
    const real = createBookingActivities({
      db,
      uow,
      provider: createPaymentProvider(config, db),
      clock: { now: () => new Date() },
      ticketQr: TicketQrSigner.fromConfig(config),
      log: logger,
    });
    const sagaTaskQueue = uniqueTaskQueue('golden-saga');
    const sagaWorker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: sagaTaskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: {
        ...real,
        confirmReservation: refuseTagged(real, 'confirmReservation', REFUSE_TAG.confirm),
        issueTicket: refuseTagged(real, 'issueTicket', REFUSE_TAG.issue),
      },
    });
    const sagaRunning = sagaWorker.run();
    cleanups.push(async () => {
      sagaWorker.shutdown();
      await sagaRunning;
    });

    const showtime = await scheduleShowtime(uow, testContext(), { rows: 8, seatsPerRow: 12 });

    const startRelay = async () => {
      const resources = await openRelayResources(config, logger);
      cleanups.push(() => resources.close());
      const relayWorker = await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.RELAY_TASK_QUEUE,
        workflowsPath: require.resolve('../workflows/outbox-relay'),
        activities: createRelayActivities(resources.deps),
        shutdownGraceTime: '2 seconds',
      });
      const relayRunning = relayWorker.run();
      cleanups.push(async () => {
        relayWorker.shutdown();
        await relayRunning;
      });
      const fleet = {
        workflowIdPrefix: config.RELAY_WORKFLOW_ID_PREFIX,
        shardCount: config.RELAY_SHARDS,
        taskQueue: config.RELAY_TASK_QUEUE,
        settings: relaySettingsFrom(config),
      };
      const [handle] = await ensureRelays(client, fleet);
      // Registered after the worker's cleanup, so it runs first: the relay stops while polled.
      cleanups.push(() => handle!.terminate('histories recorded'));
      return handle!;
    };

    return {
      config,
      client,
      sagaTaskQueue,
      showtime,
      relayEnv,
      payment(cardNumber) {
        const card = tokenizeCard(expectOk(CardNumber.parse(cardNumber)));
        return {
          method: 'CreditCard',
          token: card.token,
          cardBrand: card.brand,
          cardLast4: card.last4,
          cardHolderName: 'Golden Buyer',
        };
      },
      startRelay,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A refusal like a business rule's, for sagas whose id carries `tag`; the real step otherwise. */
const refuseTagged = <K extends 'confirmReservation' | 'issueTicket'>(
  real: BookingActivities,
  name: K,
  tag: string,
): BookingActivities[K] =>
  refuseStepFor(real, name, tag, { message: `${name} refused for this recording`, type: 'RecordedRefusal' });

export const seat = (row: number, number: number): SeatRef => ({ row, number });
export const newId = (): string => randomUUID();
