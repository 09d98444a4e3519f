/**
 * A seat hold's countdown running out, on a stack whose holds last seconds (SEAT_HOLD_SECONDS):
 * a customer on a phone-sized screen picks two seats and holds them with the keyboard only, sees
 * the countdown, and when it runs out the seats come back, on her map and on another customer's,
 * pushed by the read side when the hold workflow releases them. Screenshots: test-artifacts/web/.
 */
import type { Browser } from 'playwright-core';
import { withDeadline } from '../../lib/deadline';
import { startStack, type Stack } from './stack';
import {
  gatewayHealthy,
  launchChromium,
  openShowtime,
  personPage,
  PHONE,
  seat,
  shot,
  signIn,
  upcomingShowtimes,
} from './web-support';

/** Long enough to see the countdown and the other map turn, short enough to wait out. */
const HOLD_SECONDS = 12;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack('webhold', { SEAT_HOLD_SECONDS: String(HOLD_SECONDS) });
  await gatewayHealthy(stack);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  // A wedged Chromium must not keep the stack (and so jest) alive: the stack goes down regardless.
  await withDeadline(browser?.close() ?? Promise.resolve(), 30_000, 'closing Chromium').finally(() =>
    stack?.shutdown(),
  );
});

it("a hold's countdown runs out and the seats come back, on every open map", async () => {
  const [s] = await upcomingShowtimes(stack, 1);
  const ada = await personPage(browser, PHONE);
  const grace = await personPage(browser);
  try {
    await signIn(ada.page, stack.gateway, 'Ada Lovelace');
    await signIn(grace.page, stack.gateway, 'Grace Hopper');
    await openShowtime(ada.page, stack.gateway, s!);
    await openShowtime(grace.page, stack.gateway, s!);

    // Keyboard only: the page's heading has focus; Tab enters the map at its first seat.
    const keys = ada.page.keyboard;
    await keys.press('Tab');
    await expectFocused(ada.page, 'Row 1, Seat 1, available');
    await keys.press('ArrowDown');
    await keys.press('ArrowRight');
    await expectFocused(ada.page, 'Row 2, Seat 2, available');
    await keys.press('Space');
    await keys.press('ArrowRight');
    await keys.press('Enter');
    await keys.press('Tab');
    await expectFocused(ada.page, 'Hold 2 seats');
    await keys.press('Enter');

    const timer = ada.page.getByRole('timer');
    await timer.waitFor();
    await seat(grace.page, 2, 2, 'held').waitFor();
    await seat(grace.page, 2, 3, 'held').waitFor();
    await seat(ada.page, 2, 2, 'held for you').waitFor();
    expect(await timer.textContent()).toMatch(/^0:\d\d$/);
    await shot(ada.page, 'web-hold-countdown.png');

    // The countdown runs out on the page after HOLD_SECONDS; the release is pushed some time later.
    await ada.page
      .getByText('Your hold ran out and the seats were released.')
      .waitFor({ timeout: (HOLD_SECONDS + 60) * 1000 });
    await seat(ada.page, 2, 2, 'available').waitFor();
    await seat(ada.page, 2, 3, 'available').waitFor();
    await seat(grace.page, 2, 2, 'available').waitFor();
    await seat(grace.page, 2, 3, 'available').waitFor();
    await shot(ada.page, 'web-hold-expired.png');
  } finally {
    await ada.context.close();
    await grace.context.close();
  }
});

async function expectFocused(page: import('playwright-core').Page, name: string): Promise<void> {
  // page.evaluate has no timeout of its own: a renderer stalled under load would wait for ever.
  const focused = await withDeadline(
    page.evaluate(() => {
      const el = (
        globalThis as unknown as {
          document: {
            activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null;
          };
        }
      ).document.activeElement;
      return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? null;
    }),
    30_000,
    `reading which element has focus (expected "${name}")`,
  );
  expect(focused).toBe(name);
}
