/**
 * The web app in Debian's headless Chromium (playwright-core) against a whole stack: sign-in as a
 * demo person, a showtime that has not started, seat buttons by their accessible names, and
 * screenshots in test-artifacts/web/ (the README's pictures in docs/images/ are copies of these).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchChromium } from '../int/web-ui/browser';
import { eventually, type Stack } from './stack';

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

/** Seeded showtimes (tomorrow and later) once the read model has them, earliest first. */
export async function upcomingShowtimes(stack: Stack, atLeast: number): Promise<ShowtimeJson[]> {
  return eventually(async () => {
    const res = await fetch(`${stack.gateway}/api/showtimes`);
    if (res.status !== 200) return undefined;
    const list = ((await res.json()) as ShowtimeJson[])
      .filter((s) => Date.parse(s.startsAt) > Date.now() + 3_600_000)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return list.length >= atLeast ? list : undefined;
  }, 500);
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
