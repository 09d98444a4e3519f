/**
 * The saga worker: the ticket purchase, refund and reservation-hold workflows and their
 * activities, on SAGA_TASK_QUEUE. `npm run worker:saga`; SIGINT/SIGTERM stop it gracefully.
 */
import { Worker } from '@temporalio/worker';
import { createBookingActivities } from '../activities';
import { loadConfig } from '../config';
import { assertProductionReady } from '../config/production-guards';
import { openDatabase } from '../db/connect';
import { UnitOfWork } from '../db/unit-of-work';
import { createPaymentProvider } from '../providers/payment';
import { requestIdLogAttributes } from './request-id-log-attributes';
import { connectTemporal, createLogger, installRuntime } from './runtime';
import { TicketQrSigner } from '../providers/ticket-qr';

async function main(): Promise<void> {
  const config = loadConfig();
  assertProductionReady(config, ['codec-keys', 'payments']);
  const log = createLogger(config, 'saga-worker');
  installRuntime(config, log);
  const db = openDatabase(config.WRITE_DB_URL, { poolMax: config.DB_POOL_MAX });
  const connection = await connectTemporal(config);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.SAGA_TASK_QUEUE,
      workflowsPath: require.resolve('../workflows'),
      activities: createBookingActivities({
        db,
        uow: new UnitOfWork(db),
        provider: createPaymentProvider(config, db),
        clock: { now: () => new Date() },
        ticketQr: TicketQrSigner.fromConfig(config),
        log: log.child({ component: 'activities' }),
      }),
      interceptors: { activity: [requestIdLogAttributes] },
      shutdownGraceTime: '10 seconds',
    });
    log.info({ taskQueue: config.SAGA_TASK_QUEUE }, 'saga worker started');
    await worker.run();
    log.info('saga worker stopped');
  } finally {
    await connection.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
