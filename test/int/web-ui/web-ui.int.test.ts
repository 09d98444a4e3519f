/**
 * Watching a purchase in the Temporal Web UI, in Debian's headless Chromium (playwright-core).
 *
 * A real purchase goes through the API harness with the saga worker on this file's task queue;
 * then the workflow's page on the running dev server's UI must show its id, type and status, its
 * activities in the timeline and the event history, the saga's custom search attributes with
 * their values, and its input and result decrypted by the codec server the dev server's UI is
 * pointed at (--ui-codec-endpoint), while the history the server stores holds them encrypted.
 * Screenshots land in test-artifacts/ (web-ui-purchase.png shows the purchase).
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { codecEndpoints } from '../../../codec/endpoint';
import { ENCRYPTED_ENCODING } from '../../../codec/payload-codec';
import { loadConfig } from '../../../config';
import { ALL_SEARCH_ATTRIBUTES, CurrentStep } from '../../../workflows/search-attributes';
import { startApiHarness, type ApiHarness } from '../api/harness';
import { buy, purchaseBody } from '../api/purchase-flow';
import { scheduleShowtime } from '../db/fixtures';
import { launchChromium, saveFullPageScreenshot, waitForWebUi } from './browser';
import { storedHistory } from './stored-history';
import { configuredUiCodecEndpoint, ensureCodecServer } from './ui-codec';

const config = loadConfig();
const uiUrl = config.TEMPORAL_UI_URL.replace(/\/+$/, '');
/** The saga's forward steps, then the activity that writes its closing events. */
/**
 * The saga's activities on the server's task queue: the payment. Its database steps and the closing
 * bookkeeping run as local activities (workflows/activities.ts), recorded as markers instead.
 */
const PURCHASE_ACTIVITIES = ['processPayment'];
const LOCAL_STEPS = 3; // reserveSeats, confirmReservation, issueTicket (which also closes the saga)

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
let uiCodecEndpoint: string;
let codecServer: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  h = await startApiHarness({ name: 'webui', sagaWorker: true });
  const scheduled = await scheduleShowtime(h.uow, h.ctx, { rows: 2, seatsPerRow: 4 });
  showtimeId = scheduled.showtime.id;
  const res = await buy(
    h.url,
    purchaseBody(showtimeId, [{ row: 1, number: 3 }], { customerId, cardHolderName }),
  ).set('X-Request-Id', requestId);
  if (res.status !== 200) {
    throw new Error(`the purchase answered ${res.status}: ${JSON.stringify(res.body)}\n${h.appLogs.text()}`);
  }
  purchase = res.body as Purchase;
  runId = (await h.temporal.workflow.getHandle(purchase.sagaId).describe()).runId;

  await waitForWebUi(uiUrl);
  uiCodecEndpoint = await configuredUiCodecEndpoint(uiUrl);
  codecServer = await ensureCodecServer(config);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Two cores shared with other test runs: the SvelteKit app can take a while to render.
  page.setDefaultTimeout(60_000);
});

afterAll(async () => {
  await browser?.close();
  await codecServer?.close();
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

/** The JSON editor under the page's "Input" or "Result" heading. */
const codePanel = (title: 'Input' | 'Result') => {
  const editor = page.getByRole('textbox');
  return page
    .getByTestId('input-and-result')
    .locator('div')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .filter({ has: editor })
    .last() // the innermost such block: the heading and its own editor only
    .getByRole('textbox');
};

/** The JSON document a code panel shows (innerText keeps the editor's line breaks). */
async function shownJson<T>(panel: Locator, expectedText?: string): Promise<T> {
  await panel.waitFor();
  if (expectedText !== undefined) {
    // Decoding through the codec server is one more round trip after the page renders. Give it
    // time; if the text never shows, the caller's assertion reports what the panel holds instead.
    await panel
      .filter({ hasText: expectedText })
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
  }
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

  it('shows every activity the saga ran on its task queue, in order, in the event history and the timeline', async () => {
    const history = await h.temporal.workflow.getHandle(purchase.sagaId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) => {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [{ eventId: Number(event.eventId), name }] : [];
    });
    expect(scheduled.map((s) => s.name)).toEqual(PURCHASE_ACTIVITIES);
    const localMarkers = (history.events ?? []).filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    expect(localMarkers).toHaveLength(LOCAL_STEPS);

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
    // Rendered, not loading: the timeline drawn and the result decrypted.
    await page.locator('svg').getByText('issueTicket', { exact: true }).waitFor();
    const result = await shownJson(codePanel('Result'), purchase.ticketNumber);

    const path = await saveFullPageScreenshot(page, heading(), 'web-ui-purchase.png');
    console.log(`Web UI screenshot (purchase): ${path}`);
    // What the screenshot shows: this purchase's result in clear text.
    expect(result).toMatchObject({ success: true, ticketNumber: purchase.ticketNumber });
    expect(statSync(path).size).toBeGreaterThan(20_000);
  });
});

describe('payloads: decrypted for the operator, encrypted at rest', () => {
  it("points the dev server's Web UI at the project's codec server (npm run infra:up sets it)", () => {
    expect(uiCodecEndpoint).toBe(codecEndpoints(config).withToken);
  });

  it('shows the workflow input and result decrypted through the codec server', async () => {
    await openWorkflow();

    expect(await shownJson(codePanel('Input'), customerId)).toMatchObject({
      sagaId: purchase.sagaId,
      requestId,
      customerId,
      showtimeId,
      payment: { method: 'CreditCard', cardLast4: '1111', cardHolderName },
    });
    expect(await shownJson(codePanel('Result'), purchase.ticketId)).toMatchObject({
      success: true,
      sagaId: purchase.sagaId,
      ticketId: purchase.ticketId,
      ticketNumber: purchase.ticketNumber,
    });
  });

  it('stores them encrypted: the history read without the codec holds none of those values', async () => {
    const stored = await storedHistory(purchase.sagaId);

    expect(stored.input).toHaveLength(1);
    expect(stored.result).toHaveLength(1);
    for (const payload of [...stored.input, ...stored.result]) {
      expect(payload).toMatchObject({
        encoding: ENCRYPTED_ENCODING,
        keyId: config.TEMPORAL_CODEC_ACTIVE_KEY_ID,
      });
    }
    const input = stored.input.map((p) => p.text).join('\n');
    for (const value of [customerId, showtimeId, cardHolderName, requestId]) {
      expect(input).not.toContain(value);
    }
    // The card holder's name and the ticket id live only inside payloads, so they appear nowhere
    // in the stored history. (Customer and showtime ids do: as search attributes, which the server
    // indexes in clear text by design.)
    const everything = [stored.raw, ...stored.all.map((p) => p.text)].join('\n');
    expect(everything).toContain(purchase.sagaId);
    expect(everything).not.toContain(cardHolderName);
    expect(everything).not.toContain(purchase.ticketId);
  });
});
