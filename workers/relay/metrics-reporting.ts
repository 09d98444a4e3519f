/**
 * Relay metrics out of the worker: a structured log line every interval (backlog and lag per
 * shard, measured now, plus this process's delivery rate), and optionally a Prometheus text
 * endpoint (GET /metrics) beside the relay's health (GET /health: 503 while a sink is down).
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';

import type { OutboxStore } from '../../db';
import type { RelayMetrics } from '../../activities/relay';

export interface MetricsReportingOptions {
  readonly store: OutboxStore;
  readonly metrics: RelayMetrics;
  readonly shardCount: number;
  readonly intervalMs: number; // 0: no log line
  readonly port?: number;
  readonly logger: Logger;
}

export interface MetricsReporting {
  stop(): Promise<void>;
}

export function startMetricsReporting(options: MetricsReportingOptions): MetricsReporting {
  const { store, metrics, shardCount, logger } = options;
  let lastDelivered = metrics.snapshot().delivered;
  let lastAt = Date.now();

  const report = async () => {
    for (let shard = 0; shard < shardCount; shard++) {
      const backlog = await store.backlog({ shard, shardCount });
      metrics.recordBacklog(shard, { ...backlog, measuredAt: Date.now() });
    }
    const snapshot = metrics.snapshot();
    const now = Date.now();
    const shards = Object.values(snapshot.backlog);
    logger.info(
      {
        metric: 'outbox_relay',
        pending: shards.reduce((sum, b) => sum + b.pending, 0),
        quarantined: shards.reduce((sum, b) => sum + b.quarantined, 0),
        oldestPendingAgeMs: Math.max(0, ...shards.map((b) => b.oldestPendingAgeMs ?? 0)),
        eventsPerSecond: Math.round(((snapshot.delivered - lastDelivered) / (now - lastAt)) * 10_000) / 10,
        delivered: snapshot.delivered,
        batches: snapshot.batches,
        rowFailures: snapshot.failures,
        quarantinedByProcess: snapshot.quarantined,
        purged: snapshot.purged,
        sinkOutages: snapshot.outages,
        sinksDown: snapshot.sinksDown,
        shards: snapshot.backlog,
      },
      'relay metrics',
    );
    lastDelivered = snapshot.delivered;
    lastAt = now;
  };

  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          report().catch((error: unknown) => logger.warn({ err: error }, 'relay metrics not measured'));
        }, options.intervalMs)
      : undefined;
  timer?.unref();

  let server: Server | undefined;
  if (options.port !== undefined) {
    server = createServer((request, response) => {
      if (request.method === 'GET' && request.url === '/health') {
        const health = metrics.health();
        response
          .writeHead(health.status === 'Healthy' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(health));
        return;
      }
      if (request.method !== 'GET' || request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.toPrometheus());
    });
    server.listen(options.port, '0.0.0.0');
    server.on('error', (error) => logger.error({ err: error }, 'metrics endpoint failed'));
  }

  return {
    async stop() {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
