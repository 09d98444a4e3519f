/**
 * The relay worker's own counters and the last backlog seen per shard, for the periodic metrics
 * log line and the optional Prometheus text endpoint. Per process: with several relay workers,
 * sum the counters; the backlog gauges are the same database seen from each.
 */
import type { BacklogSnapshot, BatchReport } from './types';

export interface MetricsSnapshot {
  readonly delivered: number;
  readonly batches: number;
  readonly failures: number;
  readonly quarantined: number;
  readonly heldBack: number;
  readonly purged: number;
  /** Batches failed because a sink was unavailable, per sink (never counted as row failures). */
  readonly outages: Readonly<Record<Sink, number>>;
  /** Sinks whose last use failed as unavailable (cleared by the next delivered batch). */
  readonly sinksDown: readonly Sink[];
  readonly backlog: Readonly<Record<number, BacklogSnapshot>>;
}

type Sink = 'reporting' | 'kafka' | 'outbox';
const SINKS: readonly Sink[] = ['reporting', 'kafka', 'outbox'];

export class RelayMetrics {
  private delivered = 0;
  private batches = 0;
  private failures = 0;
  private quarantined = 0;
  private heldBack = 0;
  private purged = 0;
  private readonly outages: Record<Sink, number> = { reporting: 0, kafka: 0, outbox: 0 };
  private readonly down = new Set<Sink>();
  private readonly backlog = new Map<number, BacklogSnapshot>();

  recordBatch(shard: number, report: BatchReport): void {
    this.batches += report.batches ?? (report.claimed > 0 ? 1 : 0);
    this.delivered += report.delivered;
    this.heldBack += report.heldBack;
    this.failures += report.failures.length;
    this.quarantined += report.failures.filter((f) => f.quarantined).length;
    this.recordBacklog(shard, report.backlog);
  }

  recordOutage(sink: Sink): void {
    this.outages[sink] += 1;
    this.down.add(sink);
  }

  /** A batch went through every sink. */
  recordSinksUp(): void {
    this.down.clear();
  }

  recordBacklog(shard: number, backlog: BacklogSnapshot): void {
    this.backlog.set(shard, backlog);
  }

  recordPurge(deleted: number): void {
    this.purged += deleted;
  }

  snapshot(): MetricsSnapshot {
    return {
      delivered: this.delivered,
      batches: this.batches,
      failures: this.failures,
      quarantined: this.quarantined,
      heldBack: this.heldBack,
      purged: this.purged,
      outages: { ...this.outages },
      sinksDown: [...this.down],
      backlog: Object.fromEntries(this.backlog),
    };
  }

  /**
   * The relay's own health in the shape of every /health (`{ status, checks }`): a sink whose last
   * use failed as unavailable is Unhealthy until a batch goes through again. An outage is retried,
   * not blamed on rows, so this (and the metrics) is where it shows.
   */
  health(): { status: 'Healthy' | 'Unhealthy'; checks: Record<Sink, 'Healthy' | 'Unhealthy'> } {
    const checks = Object.fromEntries(
      SINKS.map((sink) => [sink, this.down.has(sink) ? 'Unhealthy' : 'Healthy']),
    ) as Record<Sink, 'Healthy' | 'Unhealthy'>;
    return { status: this.down.size > 0 ? 'Unhealthy' : 'Healthy', checks };
  }

  /** Prometheus text exposition format, version 0.0.4. */
  toPrometheus(): string {
    const s = this.snapshot();
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('outbox_relay_events_delivered_total', 'counter', 'Events published, projected and marked', [
      ['', s.delivered],
    ]);
    metric('outbox_relay_batches_total', 'counter', 'Non-empty batches processed', [['', s.batches]]);
    metric('outbox_relay_row_failures_total', 'counter', 'Row-specific delivery failures recorded', [
      ['', s.failures],
    ]);
    metric('outbox_relay_quarantined_total', 'counter', 'Rows this process quarantined', [
      ['', s.quarantined],
    ]);
    metric('outbox_relay_purged_total', 'counter', 'Processed rows purged', [['', s.purged]]);
    metric(
      'outbox_relay_sink_outages_total',
      'counter',
      'Batches retried because a sink was unavailable',
      SINKS.map((sink) => [`{sink="${sink}"}`, s.outages[sink]]),
    );
    metric(
      'outbox_relay_sink_down',
      'gauge',
      '1 while the last use of the sink failed as unavailable',
      SINKS.map((sink) => [`{sink="${sink}"}`, s.sinksDown.includes(sink) ? 1 : 0]),
    );
    const shards = Object.entries(s.backlog);
    metric(
      'outbox_relay_backlog_pending',
      'gauge',
      'Unprocessed, unquarantined rows',
      shards.map(([shard, b]) => [`{shard="${shard}"}`, b.pending]),
    );
    metric(
      'outbox_relay_backlog_quarantined',
      'gauge',
      'Quarantined rows',
      shards.map(([shard, b]) => [`{shard="${shard}"}`, b.quarantined]),
    );
    metric(
      'outbox_relay_lag_seconds',
      'gauge',
      'Age of the oldest unprocessed row',
      shards.map(([shard, b]) => [`{shard="${shard}"}`, (b.oldestPendingAgeMs ?? 0) / 1000]),
    );
    return `${lines.join('\n')}\n`;
  }
}
