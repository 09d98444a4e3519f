/**
 * Where a bought ticket's read-model lag goes, stage by stage (bench:purchase on its private
 * stack: it reads that stack's write database). For each watched ticket, from its TicketIssued
 * outbox row:
 *
 * - commit -> relayed: the IssueTicket transaction's start (the row's created_at; the transaction
 *   takes a few ms) to the row marked processed (processed_at: the relay projected it for
 *   reporting and Kafka acknowledged it);
 * - relayed -> readable: processed_at to the first 200 of GET /api/tickets/{id} through the
 *   gateway (the read service fetching it from Kafka, its view writes, and the watcher's poll
 *   interval and request);
 * - commit -> answered: the same start to the purchase's own HTTP 200, from which the benchmark
 *   counts the lag (the purchase answers after its workflow completes, so this is subtracted);
 * - the GET that found it: that first 200's own round trip, from the watcher sending it to its
 *   answer. Part of the lag as measured (the ticket was readable when the read service looked,
 *   somewhere inside it), so a busy gateway and read service show up here, not in the pipeline.
 *
 * The database and this process share the machine's clock.
 */
import { openDatabase } from '../db/connect';
import * as read from '../db/row';
import { join, sql } from '../db/sql';
import { fmt, summarize } from './stats';

export interface WatchedTicket {
  readonly ticketId: string;
  /** Epoch ms of the purchase's 200 answer, and of the first GET of the ticket that got 200: sent, answered. */
  readonly answeredAt: number;
  readonly foundSentAt: number;
  readonly readableAt: number;
}

interface Split {
  readonly relayed: number;
  readonly readable: number;
  readonly answered: number;
  readonly total: number;
  readonly foundGet: number;
}

/** Markdown lines: the stages' p50 and p99, and their mean over the slowest twentieth. */
export async function readLagStages(
  writeDbUrl: string,
  watched: readonly WatchedTicket[],
  phase: string,
): Promise<string[]> {
  if (watched.length === 0) return [];
  const db = openDatabase(writeDbUrl, { poolMax: 1 });
  try {
    const { rows } = await db.query(sql`
      SELECT aggregate_id, created_at, processed_at FROM outbox_messages
      WHERE aggregate_type = 'Ticket' AND event_type = 'TicketIssued'
        AND aggregate_id IN (${join(watched.map((w) => w.ticketId))})`);
    const rowOf = new Map(rows.map((r) => [read.str(r.aggregate_id, 'aggregate_id'), r]));
    const splits: Split[] = [];
    for (const w of watched) {
      const row = rowOf.get(w.ticketId);
      if (!row || row.processed_at === null) continue;
      const committed = read.instant(row.created_at, 'created_at').getTime();
      const relayedAt = read.instant(row.processed_at, 'processed_at').getTime();
      splits.push({
        relayed: relayedAt - committed,
        readable: w.readableAt - relayedAt,
        answered: w.answeredAt - committed,
        total: w.readableAt - w.answeredAt,
        foundGet: w.readableAt - w.foundSentAt,
      });
    }
    const slowest = [...splits]
      .sort((a, b) => b.total - a.total)
      .slice(0, Math.max(1, Math.ceil(splits.length / 20)));
    const line = (label: string, pick: (s: Split) => number) => {
      const all = summarize(splits.map(pick));
      const tail = slowest.reduce((sum, s) => sum + pick(s), 0) / slowest.length;
      return `| ${label} | ${fmt(all.p50)} | ${fmt(all.p99)} | ${fmt(tail)} |`;
    };
    return [
      `\nread-model lag by stage, ${phase} (${splits.length} tickets; ms; the slowest ${slowest.length} by lag):\n`,
      '| stage | p50 | p99 | mean, slowest |',
      '| --- | ---: | ---: | ---: |',
      line('commit -> relayed (relay: reporting projection, Kafka acknowledged)', (s) => s.relayed),
      line('relayed -> readable (read service: Kafka fetch, view writes; poll, GET)', (s) => s.readable),
      line('commit -> purchase answered (subtracted: the lag counts from the answer)', (s) => s.answered),
      line('= lag: purchase answered -> readable', (s) => s.total),
      line('of which the GET that found it, sent -> answered (the poll itself)', (s) => s.foundGet),
    ];
  } finally {
    await db.close();
  }
}
