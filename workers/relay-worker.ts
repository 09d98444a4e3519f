/**
 * The outbox relay worker: `npm run worker:relay`. Polls RELAY_TASK_QUEUE with the relay workflow
 * and its activities, makes sure one relay workflow per shard is running (idempotent: any number
 * of these workers may start), and reports relay metrics. SIGINT/SIGTERM shut it down gracefully.
 */
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';

import { createRelayActivities, ensureTopic, heartbeatIntervalMs } from '../activities/relay';
import { codecPlugin } from '../codec/data-converter';
import { loadConfig } from '../config';
import { assertProductionReady } from '../config/production-guards';
import { startMetricsReporting } from './relay/metrics-reporting';
import { ensureRelays, reconcileRelays, relaySettingsFrom, type RelayFleet } from './relay/relays';
import { openRelayResources } from './relay/resources';
import { connectTemporal, createLogger, installRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  assertProductionReady(config, ['codec-keys']);
  const logger = createLogger(config, 'relay-worker');
  installRuntime(config, logger);

  // The Runtime stops the worker on these signals; this also ends idle waits right away.
  const shutdown = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => shutdown.abort());

  const resources = await openRelayResources(config, logger, shutdown.signal);
  const topic = { topic: config.KAFKA_TOPIC, partitions: config.KAFKA_TOPIC_PARTITIONS };
  if (await ensureTopic(resources.kafka, topic)) logger.info(topic, 'created the events topic');

  const namespace = config.TEMPORAL_NAMESPACE;
  const connection = await connectTemporal(config);
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: config.RELAY_TASK_QUEUE,
    workflowsPath: require.resolve('../workflows/outbox-relay'),
    activities: createRelayActivities(resources.deps),
    // A batch in flight gets this long to finish; idle waits are cancelled and resume elsewhere.
    shutdownGraceTime: '10 seconds',
    // The SDK sends heartbeats at most every 0.8 heartbeat timeouts; that leaves a busy machine
    // too little slack before a live attempt is declared lost.
    maxHeartbeatThrottleInterval: heartbeatIntervalMs(config.RELAY_HEARTBEAT_TIMEOUT_MS),
  });
  const client = new Client({
    connection: await Connection.connect({
      address: config.TEMPORAL_ADDRESS,
      plugins: [codecPlugin(config)],
    }),
    namespace,
  });
  const fleet: RelayFleet = {
    workflowIdPrefix: config.RELAY_WORKFLOW_ID_PREFIX,
    shardCount: config.RELAY_SHARDS,
    taskQueue: config.RELAY_TASK_QUEUE,
    settings: relaySettingsFrom(config),
  };
  const reporting = startMetricsReporting({
    store: resources.store,
    metrics: resources.metrics,
    shardCount: fleet.shardCount,
    intervalMs: config.RELAY_METRICS_INTERVAL_MS,
    port: config.RELAY_METRICS_PORT,
    logger,
  });

  const running = worker.run();
  try {
    // After run(): reconciling queries the relays, which needs this worker polling.
    await reconcileRelays(await ensureRelays(client, fleet), fleet, logger);
    logger.info({ ...fleet, settings: undefined }, 'relay worker running');
  } catch (error) {
    logger.fatal({ err: error }, 'could not start the relays');
    process.exitCode = 1;
    worker.shutdown();
  }
  try {
    await running;
  } finally {
    await reporting.stop();
    await resources.close();
    await client.connection.close();
    await connection.close();
    logger.info('relay worker stopped');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
