import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';
import { createHarness, type TypedHarness } from './harness';

/** Chromium from the system's packages (Debian's `chromium`); CHROMIUM_PATH names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where every run leaves its screenshots, for a person to look at. */
export const SCREENS_DIR = '.tmp/screens';
/** The rules a page must pass: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface Served {
  h: TypedHarness;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The app on a real port of its own database, and a headless Chromium to drive it. */
export async function serveWithBrowser(): Promise<Served> {
  const h = await createHarness();
  const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  mkdirSync(SCREENS_DIR, { recursive: true });
  return {
    h,
    baseUrl: address,
    browser,
    close: async () => {
      await browser.close();
      await h.close();
    },
  };
}

/** A fresh browser profile (no cookies), with JavaScript off: every page must work without it. */
export async function newVisitor(served: Served, options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  return served.browser.newContext({
    baseURL: served.baseUrl,
    javaScriptEnabled: options.javaScript ?? false,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
}

/**
 * axe-core finds no WCAG 2.2 A or AA violation on the page as it is now (the message lists what it found). axe runs
 * as a script in the page, so the page must come from a visitor with JavaScript on (the pages have no script of
 * their own, so they are the same either way).
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `accessibility of ${name}`).toEqual([]);
}

/** Screenshots of the page at a phone's width and a desktop's, under .tmp/screens/. */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SCREENS_DIR}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Types into the focused field and moves on with Tab, as a keyboard user does. */
export async function typeAndTab(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}

/** Moves focus with Tab until the focused element matches `selector` (at most `limit` presses). */
export async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`could not reach ${selector} with the keyboard`);
}
