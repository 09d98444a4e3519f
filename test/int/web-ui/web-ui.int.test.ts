/**
 * Watching a purchase in the Temporal Web UI, in Debian's headless Chromium (playwright-core).
 *
 * A real purchase goes through the API harness with the saga worker on this file's task queue;
 * then the workflow's page on the running dev server's UI must show its id, type and status, its
 * activities in the timeline and the event history, and the saga's custom search attributes with
 * their values. Screenshots land in test-artifacts/ (web-ui-purchase.png shows the purchase).
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { loadConfig } from '../../../config';
import { ALL_SEARCH_ATTRIBUTES, CurrentStep } from '../../../workflows/search-attributes';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { buy, purchaseBody } from '../api/purchase-flow';
import { scheduleShowtime } from '../db/fixtures';
import { launchChromium, saveFullPageScreenshot, waitForWebUi } from './browser';

const config = loadConfig();
const uiUrl = config.TEMPORAL_UI_URL.replace(/\/+$/, '');
/** The saga's forward steps, then the activity that writes its closing events. */
const PURCHASE_ACTIVITIES = [
  'reserveSeats',
  'processPayment',
  'confirmReservation',
  'issueTicket',
  'recordSagaEvents',
];

// Unique per run: the dev server keeps every earlier run's workflows.
const suffix = randomUUID().slice(0, 8);
const customerId = `webui-customer-${suffix}`;
const requestId = `webui-request-${suffix}`;
const cardHolderName = `Grace Webui ${suffix}`;

interface Purchase {
  sagaId: string;
  ticketId: string;
  ticketNumber: string;
}

let h: ApiHarness;
let browser: Browser | undefined;
let page: Page;
let showtimeId: string;
let purchase: Purchase;
let runId: string;

beforeAll(async () => {
  h = await startApiHarness({ name: 'webui', sagaWorker: true });
  const scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 2, seatsPerRow: 4 });
  showtimeId = scheduled.showtime.id;
  const res = await buy(
    h.url,
    purchaseBody(showtimeId, [{ row: 1, number: 3 }], { customerId, cardHolderName }),
  ).set('X-Request-Id', requestId);
  if (res.status !== 200) throw new Error(`the purchase answered ${res.status}: ${JSON.stringify(res.body)}`);
  purchase = res.body as Purchase;
  runId = (await h.temporal.workflow.getHandle(purchase.sagaId).describe()).runId;

  await waitForWebUi(uiUrl);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Two cores shared with other test runs: the SvelteKit app can take a while to render.
  page.setDefaultTimeout(60_000);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** Opens the workflow's page on the History tab and waits until the app has rendered it. */
async function openWorkflow(): Promise<void> {
  const namespace = encodeURIComponent(config.TEMPORAL_NAMESPACE);
  await page.goto(
    `${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(purchase.sagaId)}/${runId}/history`,
  );
  await heading().waitFor();
}

const heading = () => page.getByTestId('workflow-id-heading').filter({ hasText: purchase.sagaId });

/** The text of a locator once it is visible (waiting for it, as the app renders asynchronously). */
async function shownText(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).trim();
}

/** The JSON document a code panel shows (innerText keeps the editor's line breaks). */
async function shownJson<T>(panel: Locator): Promise<T> {
  await panel.waitFor();
  return JSON.parse(await panel.innerText()) as T;
}

describe('the Web UI page of a completed purchase', () => {
  it('shows the workflow id, its type and the Completed status', async () => {
    await openWorkflow();

    expect(await shownText(heading())).toBe(purchase.sagaId);
    expect(await shownText(page.getByRole('link', { name: 'ticketPurchase', exact: true }))).toBe(
      'ticketPurchase',
    );
    const status = page.getByText('Completed', { exact: true });
    expect(await shownText(status)).toBe('Completed');
    expect(await status.count()).toBe(1);
  });

  it('shows every activity the saga ran, in order, in the event history and the timeline', async () => {
    const history = await h.temporal.workflow.getHandle(purchase.sagaId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [{ eventId: Number(event.eventId), name }] : [];
    });
    expect(scheduled.map((s) => s.name)).toEqual(PURCHASE_ACTIVITIES);

    await openWorkflow();
    const rows = page.getByRole('row').filter({ hasText: 'Activity Task Scheduled' });
    await rows.nth(scheduled.length - 1).waitFor();
    const shown = (await rows.allInnerTexts())
      .map((text) => ({
        eventId: Number(/^\s*(\d+)/.exec(text)?.[1]),
        name: /Activity Type\s+(\S+)/.exec(text)?.[1],
      }))
      // The table's order (descending by default) is a display preference.
      .sort((a, b) => a.eventId - b.eventId);
    expect(shown).toEqual(scheduled);

    const timeline = page.locator('svg');
    for (const name of PURCHASE_ACTIVITIES) {
      const label = timeline.getByText(name, { exact: true });
      await label.waitFor();
      // textContent: the timeline's labels are SVG <text>, which has no innerText.
      expect(await label.textContent()).toBe(name);
    }
  });

  it('shows the saga search attributes with their values', async () => {
    const description = await h.temporal.workflow.getHandle(purchase.sagaId).describe();
    await openWorkflow();
    await page.getByRole('tab', { name: 'Search Attributes' }).click();

    const json = page.getByRole('textbox').filter({ hasText: 'indexedFields' });
    const shown = (await shownJson<{ indexedFields: Record<string, unknown> }>(json)).indexedFields;
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(ALL_SEARCH_ATTRIBUTES.map((k) => k.name)));
    expect(shown).toMatchObject({
      SagaStatus: 'Completed',
      // The step the saga last published when it finished, as the server indexed it.
      CurrentStep: description.typedSearchAttributes.get(CurrentStep),
      CustomerId: customerId,
      ShowtimeId: showtimeId,
      TicketNumber: purchase.ticketNumber,
      RequestId: requestId,
    });
    const path = await saveFullPageScreenshot(page, heading(), 'web-ui-search-attributes.png');
    console.log(`Web UI screenshot (search attributes): ${path}`);
  });

  it('saves a full-page screenshot of the purchase (test-artifacts/web-ui-purchase.png)', async () => {
    await openWorkflow();
    // The screenshot must show the purchase: its input and result are rendered, not loading.
    const inputAndResult = page.getByTestId('input-and-result');
    await inputAndResult.getByText(purchase.ticketNumber).first().waitFor();
    await page.locator('svg').getByText('issueTicket', { exact: true }).waitFor();

    const path = await saveFullPageScreenshot(page, heading(), 'web-ui-purchase.png');
    console.log(`Web UI screenshot (purchase): ${path}`);
    expect(statSync(path).size).toBeGreaterThan(20_000);
  });
});
