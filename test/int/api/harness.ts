/**
 * One API node under test, on real services: a fresh migrated PostgreSQL database, the running
 * Temporal dev server with a task queue of its own, the real express app listening on an
 * ephemeral port, and logs captured in memory. `close()` releases all of it (call it in afterAll).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../../config';
import type { Database } from '../../../db/database';
import { readRepositories, UnitOfWork, type Repositories } from '../../../db/unit-of-work';
import type { DomainContext } from '../../../domain/shared/context';
import { tokenizeCard } from '../../../providers/payment';
import { createApp } from '../../../api/app';
import type { ApiConfig } from '../../../api/deps';
import { connectTestTemporal, uniqueTaskQueue } from '../../support/temporal';
import { availableDialects, createTestDatabase, type TestDatabase } from '../db/helpers';
import { testContext } from '../db/fixtures';
import { LogCapture } from './log-capture';

export interface ApiHarnessOptions {
  /** Names the database and task queue (e.g. the test file). */
  readonly name: string;
  readonly responseWaitMs?: number;
  readonly holdSeconds?: number;
}

export interface ApiHarness {
  readonly url: string;
  readonly db: Database;
  readonly uow: UnitOfWork;
  readonly repos: Repositories;
  /** Real clock, for fixtures (showtimes must start in the future). */
  readonly ctx: DomainContext;
  readonly temporal: Client;
  readonly env: TestWorkflowEnvironment;
  readonly taskQueue: string;
  readonly config: ApiConfig;
  readonly appLogs: LogCapture;
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
  try {
    const database: TestDatabase = await createTestDatabase(postgres, { prefix: `api_${options.name}` });
    cleanups.push(() => database.drop());
    const env = await connectTestTemporal(base);
    cleanups.push(() => env.teardown());

    const taskQueue = uniqueTaskQueue(`api-${options.name}`);
    const config: ApiConfig = {
      SAGA_TASK_QUEUE: taskQueue,
      TEMPORAL_NAMESPACE: base.TEMPORAL_NAMESPACE,
      PURCHASE_RESPONSE_WAIT_MS: options.responseWaitMs ?? 30_000,
      SEAT_HOLD_SECONDS: options.holdSeconds ?? 600,
      nodeId: 'api-test',
    };
    const appLogs = new LogCapture();
    const uow = new UnitOfWork(database.db);
    const repos = readRepositories(database.db);
    const app = createApp({
      config,
      db: database.db,
      uow,
      repos,
      temporal: env.client,
      tokenizer: { tokenizeCard },
      logger: appLogs.pino({ service: 'api', node: 'api-test' }),
    });
    const server = await listen(createServer(app));
    cleanups.push(() => closeServer(server));
    const { port } = server.address() as AddressInfo;

    return {
      url: `http://127.0.0.1:${port}`,
      db: database.db,
      uow,
      repos,
      ctx: testContext(),
      temporal: env.client,
      env,
      taskQueue,
      config,
      appLogs,
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
