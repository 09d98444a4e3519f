/**
 * One API node under test, on real services: a fresh migrated PostgreSQL database, the running
 * Temporal dev server with a task queue of its own, the real express app listening on an
 * ephemeral port, and logs captured in memory. `close()` releases all of it (call it in afterAll).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createBookingActivities } from '../../../activities';
import { loadConfig } from '../../../config';
import type { Database } from '../../../db/database';
import { readRepositories, UnitOfWork, type Repositories } from '../../../db/unit-of-work';
import type { DomainContext } from '../../../domain/shared/context';
import { createPaymentProvider, tokenizeCard } from '../../../providers/payment';
import { createApp } from '../../../api/app';
import type { ApiConfig, ApiDeps } from '../../../api/deps';
import { connectTestTemporal, uniqueTaskQueue } from '../../support/temporal';
import { availableDialects, createTestDatabase, type TestDatabase } from '../db/helpers';
import { testContext } from '../db/fixtures';
import { LogCapture } from './log-capture';
import { DEV_AUTH_CONFIG } from '../../support/auth';
import { TicketQrSigner } from '../../../providers/ticket-qr';

export interface ApiHarnessOptions {
  /** Names the database and task queue (e.g. the test file). */
  readonly name: string;
  readonly responseWaitMs?: number;
  readonly holdSeconds?: number;
  readonly refundCutoffMinutes?: number;
  /** Runs the real saga worker (workflows + activities) in this process on the test's task queue. */
  readonly sagaWorker?: boolean;
}

export interface ApiHarness {
  readonly url: string;
  /** Starts another API node (e.g. one that never waits for a saga) and returns its base URL. */
  startApp(
    overrides?: Partial<ApiConfig>,
    deps?: Partial<Pick<ApiDeps, 'limits' | 'shutdown'>>,
  ): Promise<string>;
  readonly db: Database;
  /** The test database's URL, for another process or worker (e.g. a relay) on the same data. */
  readonly dbUrl: string;
  readonly uow: UnitOfWork;
  readonly repos: Repositories;
  /** Real clock, for fixtures (showtimes must start in the future). */
  readonly ctx: DomainContext;
  readonly temporal: Client;
  readonly env: TestWorkflowEnvironment;
  readonly taskQueue: string;
  readonly config: ApiConfig;
  readonly appLogs: LogCapture;
  /** Signs ticket QR codes in the saga worker (the development key). */
  readonly ticketQr: TicketQrSigner;
  /** What the saga worker, its activities and the Temporal SDK logged. */
  readonly workerLogs: LogCapture;
  /** Stops the in-process saga worker (when there is one) before close(); a second call does nothing. */
  stopSagaWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function startApiHarness(options: ApiHarnessOptions): Promise<ApiHarness> {
  const base = loadConfig();
  const postgres = availableDialects().targets.find((t) => t.dialect === 'postgres');
  if (!postgres) throw new Error('the API tests need PostgreSQL (WRITE_DB_URL)');

  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  const workerLogs = new LogCapture();
  const ticketQr = TicketQrSigner.fromConfig(base);
  // Before connectTestTemporal, whose own (quiet) Runtime then stays uninstalled: the SDK's logs,
  // workflow and activity logs included, are captured for the card-number search.
  installCapturingRuntime(workerLogs);
  try {
    const database: TestDatabase = await createTestDatabase(postgres, { prefix: `api_${options.name}` });
    cleanups.push(() => database.drop());
    const env = await connectTestTemporal(base);
    cleanups.push(() => env.teardown());

    const taskQueue = uniqueTaskQueue(`api-${options.name}`);
    const config: ApiConfig = {
      SAGA_TASK_QUEUE: taskQueue,
      TEMPORAL_NAMESPACE: base.TEMPORAL_NAMESPACE,
      TEMPORAL_UI_URL: base.TEMPORAL_UI_URL,
      PURCHASE_RESPONSE_WAIT_MS: options.responseWaitMs ?? 30_000,
      SEAT_HOLD_SECONDS: options.holdSeconds ?? 600,
      REFUND_CUTOFF_MINUTES: options.refundCutoffMinutes ?? 60,
      nodeId: 'api-test',
      ...DEV_AUTH_CONFIG,
    };
    let stopSagaWorker = async () => undefined;
    if (options.sagaWorker) {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        namespace: base.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowsPath: require.resolve('../../../workflows'),
        activities: createBookingActivities({
          db: database.db,
          uow: new UnitOfWork(database.db),
          provider: createPaymentProvider(
            {
              PAYMENT_SIM_LATENCY_MS: 0,
              PAYMENT_SIM_TRANSIENT_FAILURES: 2,
              PAYMENT_SIM_HANG_MS: 0,
              PAYMENT_SIM_LEDGER: 'database',
            },
            database.db,
          ),
          clock: { now: () => new Date() },
          ticketQr,
          log: workerLogs.pino({ service: 'saga-worker' }),
        }),
      });
      const running = worker.run();
      stopSagaWorker = async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      };
      cleanups.push(() => stopSagaWorker());
    }

    const appLogs = new LogCapture();
    const uow = new UnitOfWork(database.db);
    const repos = readRepositories(database.db);
    /** One more API node on the same database, queue and logs, with other settings. */
    const startApp = async (
      overrides: Partial<ApiConfig> = {},
      extraDeps: Partial<Pick<ApiDeps, 'limits' | 'shutdown'>> = {},
    ): Promise<string> => {
      const app = createApp({
        ...extraDeps,
        config: { ...config, ...overrides },
        db: database.db,
        uow,
        repos,
        temporal: env.client,
        tokenizer: { tokenizeCard },
        logger: appLogs.pino({ service: 'api', node: overrides.nodeId ?? config.nodeId }),
      });
      const server = await listen(createServer(app));
      cleanups.push(() => closeServer(server));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const url = await startApp();

    return {
      url,
      startApp,
      db: database.db,
      dbUrl: database.url,
      uow,
      repos,
      ctx: testContext(),
      temporal: env.client,
      env,
      taskQueue,
      config,
      appLogs,
      ticketQr,
      workerLogs,
      stopSagaWorker: () => stopSagaWorker(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function installCapturingRuntime(logs: LogCapture): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('INFO', (entry) =>
        logs.push(
          JSON.stringify(
            { level: entry.level, message: entry.message, meta: entry.meta ?? {} },
            (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
          ),
        ),
      ),
    });
  } catch {
    // A Runtime is process-wide; a second harness in the same file keeps the first one's logger.
  }
}
