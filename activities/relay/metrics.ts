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
  readonly backlog: Readonly<Record<number, BacklogSnapshot>>;
}

export class RelayMetrics {
  private delivered = 0;
  private batches = 0;
  private failures = 0;
  private quarantined = 0;
  private heldBack = 0;
  private purged = 0;
  private readonly backlog = new Map<number, BacklogSnapshot>();

  recordBatch(shard: number, report: BatchReport): void {
    if (report.claimed > 0) this.batches += 1;
    this.delivered += report.delivered;
    this.heldBack += report.heldBack;
    this.failures += report.failures.length;
    this.quarantined += report.failures.filter((f) => f.quarantined).length;
    this.recordBacklog(shard, report.backlog);
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
      backlog: Object.fromEntries(this.backlog),
    };
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
