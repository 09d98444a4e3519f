/**
 * Debian's headless Chromium (apt package `chromium`, which `npm run infra:up` installs) driven by
 * playwright-core. playwright-core never downloads a browser: it only speaks the DevTools protocol
 * to the executable it is given.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { waitUntil } from '../../../scripts/infra/lib/wait';
import { CHROMIUM } from '../../../scripts/infra/tools';

/** Screenshots and other files a test leaves for people and CI to look at (gitignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '../../../test-artifacts');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM.path)) {
    throw new Error(`${CHROMIUM.path} is missing: \`npm run infra:up\` installs Debian's chromium package`);
  }
  return chromium.launch({
    executablePath: CHROMIUM.path,
    args: [
      '--headless',
      // Root in a container: the setuid sandbox cannot start.
      '--no-sandbox',
      '--disable-gpu',
      // /dev/shm is small in containers; Chromium crashes on large pages when it fills up.
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Resolves once the Web UI answers (a dev server restarted a moment ago serves nothing yet). */
export function waitForWebUi(url: string): Promise<void> {
  return waitUntil(
    `Temporal Web UI at ${url}`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
}

/**
 * A screenshot of the whole page. The Web UI scrolls inside a full-height container rather than
 * the document, so `fullPage` alone would capture one screen: the viewport is first grown to the
 * height of the container `anchor` sits in. Returns the absolute path.
 */
export async function saveFullPageScreenshot(page: Page, anchor: Locator, name: string): Promise<string> {
  // The callback runs in the browser (tsconfig has no DOM lib, so the element is untyped).
  const contentHeight: number = await anchor.evaluate((element) => {
    const view = element.ownerDocument.defaultView;
    for (let node = element.parentElement; node; node = node.parentElement) {
      const overflow = view.getComputedStyle(node).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight) {
        return node.scrollHeight;
      }
    }
    return element.ownerDocument.documentElement.scrollHeight;
  });
  const width = page.viewportSize()?.width ?? 1600;
  await page.setViewportSize({ width, height: Math.min(Math.max(contentHeight, 800), 10_000) });
  const path = resolve(ARTIFACTS_DIR, name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}
