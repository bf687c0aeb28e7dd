import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Headless Chromium for the console's browser tests and screenshots: the binary ships inside
 * the `@sparticuz/chromium` npm package (unpacked to the temp folder on first use), driven by
 * playwright-core. No download, no system browser.
 */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage', '--no-zygote'],
  });
}

export interface ConsoleSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Opens a console path and waits until that screen is drawn (`body[data-ready]` counts the draws). */
  open(path: string): Promise<void>;
  /** Waits for the next draw after an action that redraws. */
  redrawn(action: () => Promise<unknown>): Promise<void>;
}

/** One browser context (its own localStorage, so its own sign-in) with one page, reused for a role's journey. */
export async function consoleSession(browser: Browser, baseUrl: string): Promise<ConsoleSession> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  // Expressions as text: they run in the page, and this tsconfig has no DOM types.
  const draws = () => page.evaluate<number>('Number(document.body.dataset.ready ?? "0")');
  return {
    context,
    page,
    async open(path) {
      await page.goto(path);
      await page.waitForSelector('body[data-ready]');
      // The CJK font arrives in subsets after the first draw; its swap moves the layout, and a click aimed before it can land elsewhere.
      await page.evaluate('document.fonts.ready.then(() => true)');
    },
    async redrawn(action) {
      const before = await draws();
      await action();
      await page.waitForFunction(`Number(document.body.dataset.ready ?? "0") > ${before}`);
      await page.evaluate('document.fonts.ready.then(() => true)');
    },
  };
}
