import type { BatchReport } from '../../../activities/relay/types';
import {
  emptyTotals,
  eventsPerSecond,
  purgeDue,
  recordBatch,
  statusOf,
  THROUGHPUT_WINDOW,
} from '../../../workflows/outbox-relay-status';
import type { RelaySettings } from '../../../workflows/relay-contract';

const settings: RelaySettings = {
  batchSize: 500,
  maxAttempts: 5,
  leaseMs: 10_000,
  heartbeatTimeoutMs: 15_000,
  idlePollMs: 1000,
  idleMaxMs: 300_000,
  batchesPerRun: 500,
  retentionHours: 24,
  purgeIntervalMs: 900_000,
};

const report = (over: Partial<BatchReport> = {}): BatchReport => ({
  claimed: 100,
  delivered: 100,
  heldBack: 0,
  failures: [],
  startedAt: 0,
  finishedAt: 100,
  backlog: { pending: 5, quarantined: 0, oldestPendingAgeMs: 20, measuredAt: 100 },
  ...over,
});

describe('relay counters', () => {
  it('adds up batches, events, failures and quarantines, and keeps the last backlog', () => {
    let totals = recordBatch(emptyTotals(), report());
    totals = recordBatch(
      totals,
      report({
        delivered: 98,
        heldBack: 1,
        failures: [
          { id: 'x', error: 'e', attempts: 1, quarantined: false },
          { id: 'y', error: 'e', attempts: 5, quarantined: true },
        ],
        backlog: { pending: 0, quarantined: 1, oldestPendingAgeMs: null, measuredAt: 200 },
      }),
    );
    expect(totals).toMatchObject({ batches: 2, events: 198, rowFailures: 2, quarantined: 1, heldBack: 1 });
    expect(totals.backlog).toEqual({ pending: 0, quarantined: 1, oldestPendingAgeMs: null, measuredAt: 200 });
  });

  it('counts every batch of a result that delivered several', () => {
    const totals = recordBatch(
      recordBatch(emptyTotals(), report({ batches: 4, claimed: 400, delivered: 400 })),
      report(),
    );
    expect(totals).toMatchObject({ batches: 5, events: 500 });
  });

  it('counts an idle return as no batch but takes its backlog', () => {
    const idle = report({
      claimed: 0,
      delivered: 0,
      backlog: { pending: 0, quarantined: 0, oldestPendingAgeMs: null, measuredAt: 9 },
    });
    const totals = recordBatch(emptyTotals(), idle);
    expect(totals).toMatchObject({ batches: 0, events: 0, recent: [] });
    expect(totals.backlog?.measuredAt).toBe(9);
  });

  it('measures events per second over the last batches only', () => {
    let totals = emptyTotals();
    for (let i = 0; i < THROUGHPUT_WINDOW + 5; i++) {
      totals = recordBatch(
        totals,
        report({ startedAt: i * 1000, finishedAt: i * 1000 + 500, delivered: 100 }),
      );
    }
    expect(totals.recent).toHaveLength(THROUGHPUT_WINDOW);
    // 20 batches of 100 events from the window's first start (5 s) to its last end (24.5 s).
    expect(eventsPerSecond(totals.recent)).toBeCloseTo(2000 / 19.5, 1);
    expect(statusOf({ shard: 1, shardCount: 4 }, totals, 3, settings)).toMatchObject({
      shard: 1,
      shardCount: 4,
      runActivities: 3,
      events: 100 * (THROUGHPUT_WINDOW + 5),
      throughputWindowBatches: THROUGHPUT_WINDOW,
    });
  });

  it('is due to purge at first and then once per purge interval', () => {
    const never = emptyTotals();
    expect(purgeDue(never, settings, 0)).toBe(true);
    const purged = { ...never, lastPurgeAt: 1_000 };
    expect(purgeDue(purged, settings, 1_000 + settings.purgeIntervalMs - 1)).toBe(false);
    expect(purgeDue(purged, settings, 1_000 + settings.purgeIntervalMs)).toBe(true);
  });
});
