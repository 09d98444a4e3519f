/**
 * The web app in Debian's headless Chromium (playwright-core) against a whole stack: sign-in as a
 * demo person, a showtime that has not started, seat buttons by their accessible names, and
 * screenshots in test-artifacts/web/ (the README's pictures in docs/images/ are copies of these).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchChromium } from '../int/web-ui/browser';
import { withDeadline } from '../../lib/deadline';
import { sleep } from '../../scripts/infra/lib/wait';
import type { Stack } from './stack';

export { launchChromium };

export const SHOTS_DIR = resolve(ARTIFACTS_DIR, 'web');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/** A person in a browser context of their own (own sessionStorage: own sign-in). */
export async function personPage(
  browser: Browser,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // Two cores shared by many processes: the stack can be slow to answer.
  page.setDefaultTimeout(60_000);
  return { context, page };
}

export async function signIn(page: Page, gateway: string, name: string): Promise<void> {
  await page.goto(`${gateway}/sign-in`);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.getByText(`Signed in as ${name}`).waitFor();
}

export interface ShowtimeJson {
  id: string;
  movieTitle: string;
  auditoriumName: string;
  startsAt: string;
  seatsAvailable: number;
  capacity: number;
}

/** How long a stack on a loaded machine may take to serve what a test waits for (health, the seeded read model). */
export const STACK_READY_MS = 180_000;

/**
 * Polls `probe` until it gives a value, and fails with `what` (and the last thing seen) once `ms`
 * have passed: a probe that never settles (a frozen server accepts the connection and never
 * answers) is cut off too, so a wait can't outlive its test and keep jest from exiting.
 */
export async function within<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined>,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = 'no answer yet';
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${what}: not within ${ms / 1000} s (last: ${last})`);
    try {
      const value = await withDeadline(probe(), left, what);
      if (value !== undefined) return value;
      last = 'not ready';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(everyMs);
  }
}

/** GET with its own deadline: one request that never answers must not stall the poll around it. */
export const getJson = (url: string): Promise<Response> =>
  fetch(url, { signal: AbortSignal.timeout(10_000) });

/** The gateway answers 200 on /health (all its dependencies are up). */
export const gatewayHealthy = (stack: Stack): Promise<true> =>
  within(`gateway ${stack.gateway}/health answering 200`, STACK_READY_MS, async () =>
    (await getJson(`${stack.gateway}/health`)).status === 200 ? true : undefined,
  );

/** Seeded showtimes (tomorrow and later) once the read model has them, earliest first. */
export async function upcomingShowtimes(stack: Stack, atLeast: number): Promise<ShowtimeJson[]> {
  return within(
    `${atLeast} seeded showtimes in the read model (GET /api/showtimes)`,
    STACK_READY_MS,
    async () => {
      const res = await getJson(`${stack.gateway}/api/showtimes`);
      if (res.status !== 200) return undefined;
      const list = ((await res.json()) as ShowtimeJson[])
        .filter((s) => Date.parse(s.startsAt) > Date.now() + 3_600_000)
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      return list.length >= atLeast ? list : undefined;
    },
  );
}

export const hhmm = (iso: string): string => iso.slice(11, 16);

/** The seat button, by its exact accessible name. */
export const seat = (page: Page, row: number, number: number, state: string) =>
  page.getByRole('button', { name: `Row ${row}, Seat ${number}, ${state}`, exact: true });

/** Opens a showtime the way a customer does: the day's list, then the link named with its start time. */
export async function openShowtime(page: Page, gateway: string, s: ShowtimeJson): Promise<void> {
  await page.goto(`${gateway}/showtimes?date=${s.startsAt.slice(0, 10)}`);
  await page
    .getByRole('link', { name: `${s.movieTitle} at ${hhmm(s.startsAt)}, ${s.auditoriumName}` })
    .click();
  await page.getByText('Live', { exact: true }).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: resolve(SHOTS_DIR, name), fullPage: true });
}
