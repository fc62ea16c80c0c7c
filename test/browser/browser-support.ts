/** What the browser tests share: the built client, Debian's chromium, logging in through the form. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, Locator, Page, chromium } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
export const CLIENT_INDEX = join(ROOT, 'client', 'dist', 'index.html');
export const ARTIFACTS = join(ROOT, 'test', 'artifacts');
export const ZONE = 'Europe/Brussels';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'fr-BE', timezoneId: ZONE };
export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-BE', timezoneId: ZONE };

/** The client's strings in one language, to find what a page says. */
export function translations(lang: string): Record<string, string> {
  return JSON.parse(readFileSync(join(ROOT, 'client', 'src', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
}

/** innerText with the bidi isolates and word joiners taken out and spaces made plain. */
export const plain = (s: string) => s.replace(/[\u2060\u2066-\u2069]/g, '').replace(/\s/g, ' ');

/** A client string with its {placeholders} filled, as the client's t() does. */
export const fill = (s: string, params: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => params[k]);

/** Fails (never skips) when the client was not built: CI runs `npm run build` before `npm test`. */
export function requireBuiltClient(): void {
  if (!existsSync(CLIENT_INDEX)) {
    throw new Error(`The web client is not built: ${CLIENT_INDEX} is missing. Run \`npm run build\` at the root (or \`npm run build\` in client/) before the browser tests.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

/** Debian's chromium, or the browser CHROMIUM_PATH names (Chrome or Chromium elsewhere). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Fails (never skips) with what to install when there is no browser. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No browser at ${CHROMIUM}: the browser tests need Chromium. On Debian or Ubuntu: \`sudo apt-get install -y chromium\`; elsewhere set CHROMIUM_PATH to a Chrome or Chromium executable.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  });
}

/** A page logged in through the real login form (in `lang` when given, chosen on the login page). */
export async function loginPage(
  context: BrowserContext,
  baseUrl: string,
  handle: string,
  password: string,
  options: { lang?: string; pageErrors?: string[] } = {},
): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => options.pageErrors?.push(`${handle}: ${error.message}`));
  await page.goto(`${baseUrl}/login`);
  if (options.lang) await page.getByTestId('lang-switcher').selectOption(options.lang);
  await page.getByTestId('login-identifier').fill(handle);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-person').waitFor();
  return page;
}

/**
 * What the screen shows with `part` at its top, just under the sticky menu (an element screenshot
 * would have the menu over it; the page's scroll padding stops scrolling below the menu).
 */
export async function shot(page: Page, part: Locator, file: string): Promise<void> {
  await part.evaluate((el: { scrollIntoView(o: object): void }) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(ARTIFACTS, file) });
}

export const waitLive = (page: Page) => page.locator('[data-testid="live-status"][data-status="live"]').waitFor();

// Callbacks given to evaluate/waitForFunction run in the browser; this Node project has no DOM types.
declare const window: unknown;
declare const document: { body: unknown; querySelector(selector: string): object | null };
declare const MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };

/**
 * Notes in the page the moment `selector` matches (a MutationObserver, not Playwright's polling,
 * which backs off to 500 ms steps), and marks the document so that a reload would show.
 */
export async function markWhenShown(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as { __shownAt?: number | null; __sameDocument?: boolean };
    w.__shownAt = null;
    w.__sameDocument = true;
    const check = () => {
      if (w.__shownAt == null && document.querySelector(sel)) w.__shownAt = Date.now();
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, attributes: true });
    check();
  }, selector);
}

/** When the selector given to markWhenShown matched (epoch ms), waiting at most `timeout` ms; and whether the page was not reloaded. */
export async function shownAt(page: Page, timeout: number): Promise<{ at: number; sameDocument: boolean }> {
  const handle = await page.waitForFunction(() => (window as { __shownAt?: number | null }).__shownAt, null, { polling: 20, timeout });
  const at = (await handle.jsonValue()) as number;
  const sameDocument = await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);
  return { at, sameDocument };
}
