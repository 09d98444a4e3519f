/**
 * Where the time of one purchase goes (`npm run bench:profile`; not part of the test run). One
 * buyer at a time, the same purchase sent to each hop of the edge in turn (API node, load
 * balancer, gateway), then each saga's workflow history read back from Temporal. Every figure is a
 * median over the purchases:
 *
 * - the edge: what the load balancer and the gateway add, from the answer times of purchases sent
 *   straight to an API node, to the load balancer and to the gateway (alternating);
 * - the API node before the saga starts: HTTP request sent -> WorkflowExecutionStarted (validation,
 *   showtime precheck, card tokenization, the start call; plus the edge hops);
 * - inside Temporal: every step between two consecutive history events (workflow tasks queued and
 *   run, each activity queued and run, timers, search-attribute upserts), by the events'
 *   timestamps, so the stages add up to the saga's whole run;
 * - after the saga: WorkflowExecutionCompleted -> HTTP answer (the result long poll returning, the
 *   answer back through the edge).
 *
 * The server and this process share the machine's clock, so client and server timestamps compare.
 * Without --url it starts a private stack (test/e2e/stack.ts); with --url (a gateway) only the
 * gateway is driven and the edge hops are not split.
 *
 *   npm run bench:profile
 *   npm run bench:profile -- --purchases 30
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { Command, InvalidArgumentError } from 'commander';

import { loadConfig } from '../config';
import { eventually, startStack, type Stack } from '../test/e2e/stack';
import { token as devToken } from '../test/support/auth';
import { fmt, summarize } from './stats';

const int = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const opts = new Command('bench:profile')
  .option('--url <gateway>', 'profile purchases through this gateway instead of a private stack')
  .option('--token <jwt>', 'bearer token, its subject buys (default: $BENCH_TOKEN, else development tokens)')
  .option('--purchases <n>', 'purchases per hop', int, 20)
  .option('--warmup <n>', 'purchases before measuring', int, 5)
  .parse()
  .opts<{ url?: string; token?: string; purchases: number; warmup: number }>();

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const token = opts.token ?? process.env.BENCH_TOKEN;
const median = (values: readonly number[]) => summarize(values).p50;

interface Sent {
  readonly hop: string;
  readonly sagaId: string;
  readonly sentAt: number; // wall clock, ms
  readonly ms: number;
  readonly status: number;
}

interface Profile {
  readonly s: Sent;
  readonly events: HistoryEvent[];
  readonly before: number;
  readonly run: number;
  readonly after: number;
  readonly gaps: Array<{ label: string; ms: number }>;
}

let n = 0;
async function buy(
  base: string,
  hop: string,
  showtimeId: string,
  seat: { row: number; number: number },
): Promise<Sent> {
  const key = `profile-${randomUUID()}`;
  // A given token's subject buys; otherwise each buyer has a development token of its own.
  const customerId = token
    ? String(
        (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub?: string }).sub,
      )
    : `profile-customer-${n++}`;
  const bearer = token ?? devToken(customerId, 'customer');
  const sentAt = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${base}/api/ticketpurchase`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({
      showtimeId,
      customerId,
      seats: [seat],
      paymentMethod: 'CreditCard',
      cardNumber: '4111111111111111',
      cardHolderName: 'Profile Buyer',
    }),
  });
  await res.text();
  return { hop, sagaId: `purchase-${key}`, sentAt, ms: performance.now() - t0, status: res.status };
}

/** Labels each gap between consecutive history events, e.g. "activity reserveSeats: queued". */
function stages(events: HistoryEvent[]): Array<{ label: string; ms: number }> {
  const activityOf = new Map<string, string>();
  const name = (e: HistoryEvent) => EventType[e.eventType ?? 0]!.replace(/^EVENT_TYPE_/, '');
  const describe = (e: HistoryEvent): string => {
    const type = name(e);
    const s = e.activityTaskScheduledEventAttributes;
    if (s) activityOf.set(String(e.eventId), s.activityType?.name ?? '?');
    const sched =
      e.activityTaskStartedEventAttributes?.scheduledEventId ??
      e.activityTaskCompletedEventAttributes?.scheduledEventId;
    const activity = s ? s.activityType?.name : sched != null ? activityOf.get(String(sched)) : undefined;
    return activity ? `${type}(${activity})` : type;
  };
  const out: Array<{ label: string; ms: number }> = [];
  let prev: HistoryEvent | undefined;
  let prevLabel = '';
  for (const e of events) {
    const label = describe(e);
    if (prev)
      out.push({ label: `${prevLabel} -> ${label}`, ms: tsToMs(e.eventTime) - tsToMs(prev.eventTime) });
    prev = e;
    prevLabel = label;
  }
  return out;
}

async function history(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

async function main(): Promise<void> {
  let stack: Stack | undefined;
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  try {
    const hops: Array<[string, string]> = [];
    if (opts.url) hops.push(['gateway', opts.url.replace(/\/$/, '')]);
    else {
      process.stderr.write('starting a private stack...\n');
      stack = await startStack('profile');
      await eventually(
        async () => ((await fetch(`${stack!.gateway}/health`)).status === 200 ? true : undefined),
        500,
      );
      const node = String(stack.env.API_UPSTREAMS).split(',')[0]!;
      hops.push(
        ['api node', `http://${node}`],
        ['load balancer', `http://${stack.env.LB_ADDRESS}`],
        ['gateway', stack.gateway],
      );
    }
    const gateway = hops[hops.length - 1]![1];
    const showtimes = await eventually(async () => {
      const r = await fetch(`${gateway}/api/showtimes`);
      const list = r.status === 200 ? ((await r.json()) as Array<{ id: string; startsAt: string }>) : [];
      const future = list.filter((s) => Date.parse(s.startsAt) > Date.now() + 3_600_000);
      return future.length > 0 ? future : undefined;
    }, 500);
    // Rows 1-5 x seats 1-8 exist in every seeded hall; a random showtime per purchase keeps a
    // second run on the same deployment off the seats of the first (a taken seat answers 400).
    let seq = Math.floor(Math.random() * 1000);
    const next = () => {
      const i = seq++;
      return {
        showtimeId: showtimes[i % showtimes.length]!.id,
        seat: {
          row: 1 + (Math.floor(i / showtimes.length) % 5),
          number: 1 + (Math.floor(i / showtimes.length / 5) % 8),
        },
      };
    };

    for (let i = 0; i < opts.warmup; i++)
      for (const [hop, base] of hops) {
        const b = next();
        await buy(base, hop, b.showtimeId, b.seat);
      }
    const sent: Sent[] = [];
    for (let i = 0; i < opts.purchases; i++) {
      for (const [hop, base] of hops) {
        const b = next();
        sent.push(await buy(base, hop, b.showtimeId, b.seat));
        process.stderr.write(`\r${sent.length}/${opts.purchases * hops.length} purchases`);
      }
    }
    process.stderr.write('\n');

    const lines: string[] = [];
    const ok = sent.filter((s) => s.status === 200);
    lines.push(`answers: ${ok.length} of ${sent.length} were 200`);
    lines.push(
      '',
      '| purchase sent to | n | p50 ms | added by this hop (p50 difference) |',
      '| --- | ---: | ---: | ---: |',
    );
    let prevP50: number | undefined;
    for (const [hop] of hops) {
      const p50 = median(ok.filter((s) => s.hop === hop).map((s) => s.ms));
      lines.push(
        `| ${hop} | ${ok.filter((s) => s.hop === hop).length} | ${fmt(p50)} | ${prevP50 === undefined ? '-' : fmt(p50 - prevP50)} |`,
      );
      prevP50 = p50;
    }

    // The saga's own stages, from the histories of the purchases sent through the gateway.
    const through = ok.filter((s) => s.hop === 'gateway');
    const profiles: Profile[] = [];
    for (const s of through) {
      const events = await history(client, s.sagaId);
      const started = tsToMs(events[0]!.eventTime);
      const closed = tsToMs(events[events.length - 1]!.eventTime);
      profiles.push({
        s,
        events,
        before: started - s.sentAt,
        run: closed - started,
        after: s.sentAt + s.ms - closed,
        gaps: stages(events),
      });
    }
    // Only runs of the most common shape line up event by event.
    const shapeOf = (p: Profile) => p.gaps.map((g) => g.label).join('|');
    const shapes = new Map<string, number>();
    for (const p of profiles) shapes.set(shapeOf(p), (shapes.get(shapeOf(p)) ?? 0) + 1);
    const [shape] = [...shapes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [''];
    const same = profiles.filter((p) => shapeOf(p) === shape);
    const total = median(same.map((p) => p.s.ms));
    lines.push(
      '',
      `one purchase through the gateway, p50 of ${same.length} runs of the same shape (${profiles[0]?.events.length ?? 0} history events): ${fmt(total)} ms`,
      '',
      '| # | stage | p50 ms | share |',
      '| ---: | --- | ---: | ---: |',
    );
    const row = (i: number | string, label: string, values: number[]) => {
      const m = median(values);
      lines.push(`| ${i} | ${label} | ${fmt(m, 1)} | ${fmt((100 * m) / total)}% |`);
    };
    row(
      '',
      'HTTP sent -> WorkflowExecutionStarted (gateway, lb, API node: validate, precheck, tokenize, start)',
      same.map((p) => p.before),
    );
    same[0]?.gaps.forEach((g, i) =>
      row(
        i + 1,
        g.label,
        same.map((p) => p.gaps[i]!.ms),
      ),
    );
    row(
      '',
      'WorkflowExecutionCompleted -> HTTP answer (result long poll, node, lb, gateway)',
      same.map((p) => p.after),
    );
    row(
      '',
      '= saga run (WorkflowExecutionStarted -> Completed)',
      same.map((p) => p.run),
    );
    // Totals by kind of gap, so the bulk is visible at a glance.
    const kinds = new Map<string, number[]>();
    for (const p of same) {
      const sums = new Map<string, number>();
      for (const g of p.gaps) {
        const [from, to] = g.label.split(' -> ').map((x) => x.replace(/\(.*\)/, '')) as [string, string];
        const kind =
          to === 'WORKFLOW_TASK_STARTED'
            ? 'workflow task queued (schedule -> pick-up)'
            : to === 'WORKFLOW_TASK_COMPLETED'
              ? 'workflow task run on the worker'
              : to === 'ACTIVITY_TASK_STARTED'
                ? 'activity queued (schedule -> pick-up)'
                : to === 'ACTIVITY_TASK_COMPLETED'
                  ? 'activity run'
                  : to === 'WORKFLOW_TASK_SCHEDULED'
                    ? 'completion -> next workflow task scheduled'
                    : `${from} -> ${to}`;
        sums.set(kind, (sums.get(kind) ?? 0) + g.ms);
      }
      for (const [k, v] of sums) kinds.set(k, [...(kinds.get(k) ?? []), v]);
    }
    lines.push('', '| kind of stage (summed per purchase) | p50 ms | share |', '| --- | ---: | ---: |');
    for (const [k, v] of [...kinds.entries()].sort((a, b) => median(b[1]) - median(a[1]))) {
      lines.push(`| ${k} | ${fmt(median(v), 1)} | ${fmt((100 * median(v)) / total)}% |`);
    }
    console.log(`\nbench:profile, ${new Date().toISOString()}\n\n${lines.join('\n')}`);
  } finally {
    await connection.close();
    await stack?.shutdown();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
