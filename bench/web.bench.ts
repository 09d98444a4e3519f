/**
 * `npm run bench:web` (not part of the tests): the web app on a whole stack as processes
 * (test/e2e/stack.ts), in Debian's headless Chromium.
 *
 * 1. Seat-map page load: from navigation start until the seat map is drawn (every seat button in
 *    place) and until its live stream is open, next to the app shell alone (the sign-in page,
 *    which calls no API) and the seat-layout JSON fetched from Node, in the same run.
 * 2. Commit-to-screen latency of a seat change: a seat is held through the API while the page is
 *    open; the page notes when that seat's button turns "held" (a MutationObserver, on the
 *    browser's epoch clock, the machine's). The commit is taken from the outbox row the hold's
 *    transaction wrote (occurred_at: stamped just before the commit, so the figure errs long) and,
 *    as a lower bound, from when the API's answer arrived (after the commit). Split into commit ->
 *    read side publishes (Redis) and publish -> screen, against the 1 s budget.
 */
import type { Page } from 'playwright-core';
import { openDatabase } from '../db';
import { sql } from '../db/sql';
import { eventually, startStack } from '../test/e2e/stack';
import { bearer } from '../test/support/auth';
import { launchChromium, personPage, signIn, upcomingShowtimes } from '../test/e2e/web-support';
import { fmt, summarize } from './stats';

const LOADS = Number(process.env.BENCH_LOADS ?? 20);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 60);
const BUDGET_MS = 1000;

interface Layout {
  rows: Array<{ row: number; seats: Array<{ number: number; state: string }> }>;
}

async function main(): Promise<void> {
  console.log('starting the stack (child processes) ...');
  const stack = await startStack('webbench');
  const browser = await launchChromium();
  const db = openDatabase(stack.env.WRITE_DB_URL!);
  try {
    await eventually(
      async () => ((await fetch(`${stack.gateway}/health`)).status === 200 ? true : undefined),
      500,
    );
    const [showtime] = await upcomingShowtimes(stack, 1);
    const s = showtime!;
    const { page } = await personPage(browser);
    await signIn(page, stack.gateway, 'Ada Lovelace');
    const url = `${stack.gateway}/showtimes/${encodeURIComponent(s.id)}`;
    // Warm-up: the gateway's layout cache, the read service's cache, the browser's asset cache.
    await loadSeatMap(page, url);

    // ---- 1. page load -------------------------------------------------------------------------
    const drawn: number[] = [];
    const live: number[] = [];
    const shell: number[] = [];
    const json: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const t = await loadSeatMap(page, url);
      drawn.push(t.drawn);
      live.push(t.live);
      await page.goto(`${stack.gateway}/sign-in`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      shell.push((await page.evaluate('performance.now()')) as number);
      const t0 = performance.now();
      const res = await fetch(`${stack.gateway}/api/showtimes/${encodeURIComponent(s.id)}/seat-layout`);
      await res.json();
      json.push(performance.now() - t0);
    }

    // ---- 2. commit-to-screen ------------------------------------------------------------------
    await loadSeatMap(page, url);
    const layout = (await (
      await fetch(`${stack.gateway}/api/showtimes/${encodeURIComponent(s.id)}/seat-layout`)
    ).json()) as Layout;
    const free = layout.rows.flatMap((r) =>
      r.seats.filter((x) => x.state === 'Available').map((x) => ({ row: r.row, number: x.number })),
    );
    const fromCommit: number[] = [];
    const fromAnswer: number[] = [];
    const toPublish: number[] = [];
    const publishToScreen: number[] = [];
    for (const [i, seat] of free.slice(0, CHANGES).entries()) {
      const label = `Row ${seat.row}, Seat ${seat.number}, held`;
      await watchFor(page, label, `/api/showtimes/${encodeURIComponent(s.id)}/seats/stream`);
      // One customer per hold: a customer may hold only MAX_SEATS_HELD_PER_CUSTOMER seats at once.
      const customerId = `customer-bench-${i}`;
      const res = await fetch(`${stack.gateway}/api/reservations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(customerId, 'customer') },
        body: JSON.stringify({ showtimeId: s.id, customerId, seats: [seat] }),
      });
      const answeredAt = Date.now();
      if (res.status !== 201) throw new Error(`hold answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      const seen = await seenAt(page, label);
      const { rows } = await db.query(
        sql`SELECT occurred_at FROM outbox_messages WHERE aggregate_id = ${id} AND event_type = 'ReservationCreated'`,
      );
      const committedAt = new Date(rows[0]!.occurred_at as string | Date).getTime();
      fromCommit.push(seen.at - committedAt);
      fromAnswer.push(seen.at - answeredAt);
      if (seen.publishedAt !== null) {
        toPublish.push(seen.publishedAt - committedAt);
        publishToScreen.push(seen.at - seen.publishedAt);
      }
    }

    // ---- report -------------------------------------------------------------------------------
    const row = (name: string, v: number[], base?: number[]) => {
      const a = summarize(v);
      const b = base ? summarize(base) : null;
      const ratio = b ? `${fmt(a.p50 / b.p50, 2)} / ${fmt(a.p99 / b.p99, 2)}` : '';
      console.log(
        `| ${name.padEnd(44)} | ${fmt(a.p50).padStart(6)} | ${fmt(a.p99).padStart(6)} | ${ratio.padStart(11)} |`,
      );
    };
    console.log(`\nseat-map page load (${LOADS} loads, ${s.auditoriumName}, ${s.capacity} seats), ms`);
    console.log('| measure                                      |    p50 |    p99 | vs shell    |');
    console.log('| -------------------------------------------- | -----: | -----: | ----------: |');
    row('seat map drawn (navigation start -> all seats)', drawn, shell);
    row('seat map live (event stream open)', live, shell);
    row('app shell only (sign-in page)', shell);
    row('seat-layout JSON from Node (no browser)', json);

    console.log(`\ncommit-to-screen of a seat change (${fromCommit.length} holds, one at a time), ms`);
    console.log('| measure                                      |    p50 |    p99 | / 1 s budget |');
    console.log('| -------------------------------------------- | -----: | -----: | -----------: |');
    const budget = (name: string, v: number[]) => {
      const a = summarize(v);
      console.log(
        `| ${name.padEnd(44)} | ${fmt(a.p50).padStart(6)} | ${fmt(a.p99).padStart(6)} | ${`${fmt(a.p50 / BUDGET_MS, 2)} / ${fmt(a.p99 / BUDGET_MS, 2)}`.padStart(12)} |`,
      );
    };
    budget('commit (outbox occurred_at) -> screen', fromCommit);
    budget('API answer received -> screen (lower bound)', fromAnswer);
    budget('commit -> read side publishes', toPublish);
    budget('read side publishes -> screen (SSE + render)', publishToScreen);
  } finally {
    await browser.close();
    await db.close();
    await stack.shutdown();
  }
}

/** Loads the seat map; times since navigation start, from the page's own clock. */
async function loadSeatMap(page: Page, url: string): Promise<{ drawn: number; live: number }> {
  await page.goto(url);
  await page.locator('[data-seat]').first().waitFor();
  const drawn = (await page.evaluate('performance.now()')) as number;
  await page.getByText('Live', { exact: true }).waitFor();
  const live = (await page.evaluate('performance.now()')) as number;
  return { drawn, live };
}

/*
 * Page-side code as source text: tsx compiles this file with esbuild's keepNames, whose `__name`
 * helper does not exist in the page, so functions handed to page.evaluate must not be compiled.
 */
const WATCH_FOR = `({ label, stream }) => {
  window.__seenAt = null;
  const observer = new MutationObserver(() => {
    if (window.__seenAt === null && document.querySelector('[aria-label="' + label + '"]')) {
      window.__seenAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-label'] });
  // A second stream of the same showtime, for the read side's publish time of each change.
  window.__lastPublishedAt = null;
  if (!window.__stream) {
    window.__stream = new EventSource(stream);
    window.__stream.addEventListener('seats', (e) => {
      const at = JSON.parse(e.data).publishedAt;
      if (at !== null) window.__lastPublishedAt = at;
    });
  }
}`;

const SEEN_AT = `async (label) => {
  for (let i = 0; i < 1000 && window.__seenAt === null; i++) await new Promise((r) => setTimeout(r, 10));
  if (window.__seenAt === null) throw new Error(label + ' never showed');
  return { at: window.__seenAt, publishedAt: window.__lastPublishedAt ?? null };
}`;

async function watchFor(page: Page, label: string, stream: string): Promise<void> {
  await page.evaluate(`(${WATCH_FOR})(${JSON.stringify({ label, stream })})`);
}

async function seenAt(page: Page, label: string): Promise<{ at: number; publishedAt: number | null }> {
  return (await page.evaluate(`(${SEEN_AT})(${JSON.stringify(label)})`)) as {
    at: number;
    publishedAt: number | null;
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
