/**
 * The relay's counters as pure functions over plain data, so the workflow stays a short loop and
 * the arithmetic is unit-tested without Temporal. Sandbox-safe.
 */
import type { BatchReport } from '../activities/relay/types';
import type { BatchSample, RelaySettings, RelayStatus, RelayTotals } from './relay-contract';

/** Batches the events/s figure is computed over. */
export const THROUGHPUT_WINDOW = 20;

export const emptyTotals = (): RelayTotals => ({
  runs: 0,
  batches: 0,
  events: 0,
  rowFailures: 0,
  quarantined: 0,
  heldBack: 0,
  lastPurgeAt: null,
  purged: 0,
  recent: [],
  backlog: null,
});

export function recordBatch(totals: RelayTotals, report: BatchReport): RelayTotals {
  const sample: BatchSample = {
    events: report.delivered,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
  };
  const busy = report.claimed > 0;
  return {
    ...totals,
    batches: totals.batches + (report.batches ?? (busy ? 1 : 0)),
    events: totals.events + report.delivered,
    rowFailures: totals.rowFailures + report.failures.length,
    quarantined: totals.quarantined + report.failures.filter((f) => f.quarantined).length,
    heldBack: totals.heldBack + report.heldBack,
    recent: busy ? [...totals.recent, sample].slice(-THROUGHPUT_WINDOW) : totals.recent,
    backlog: report.backlog,
  };
}

export function recordPurge(totals: RelayTotals, at: number, deleted: number): RelayTotals {
  return { ...totals, lastPurgeAt: at, purged: totals.purged + deleted };
}

export function purgeDue(totals: RelayTotals, settings: RelaySettings, now: number): boolean {
  return totals.lastPurgeAt === null || now - totals.lastPurgeAt >= settings.purgeIntervalMs;
}

/** Events over the wall time from the window's first batch start to its last batch end. */
export function eventsPerSecond(recent: readonly BatchSample[]): number {
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (!first || !last) return 0;
  const seconds = Math.max(1, last.finishedAt - first.startedAt) / 1000;
  const events = recent.reduce((sum, s) => sum + s.events, 0);
  return Math.round((events / seconds) * 10) / 10;
}

export function statusOf(
  scope: { shard: number; shardCount: number },
  totals: RelayTotals,
  runActivities: number,
  settings: RelaySettings,
): RelayStatus {
  return {
    shard: scope.shard,
    shardCount: scope.shardCount,
    runs: totals.runs,
    runActivities,
    batches: totals.batches,
    events: totals.events,
    eventsPerSecond: eventsPerSecond(totals.recent),
    throughputWindowBatches: totals.recent.length,
    rowFailures: totals.rowFailures,
    quarantinedByRelay: totals.quarantined,
    heldBack: totals.heldBack,
    lag: totals.backlog,
    lastPurgeAt: totals.lastPurgeAt,
    purged: totals.purged,
    settings,
  };
}
