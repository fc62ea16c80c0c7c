/**
 * The interface's dictionaries in a real browser, on a phone: French (the fallback of every
 * language) is in the main chunk, every other language is its own chunk, fetched only when it is
 * read. A French reader never downloads English or Arabic; an Arabic reader sees Arabic, right
 * to left, from the first paint; a switch fetches the language first, and offline the page stays
 * in its language and says so. Screenshots (phone) go to test/artifacts/.
 */
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { HouseBuilder } from '../support/house';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, PHONE, fill, launchChromium, loginPage, plain, requireBuiltClient, translations } from './browser-support';

// Callbacks given to evaluate and addInitScript run in the browser; this Node project has no DOM types.
declare const window: unknown;
declare const localStorage: { getItem(key: string): string | null };
declare const MutationObserver: new (callback: (records: unknown, observer: { disconnect(): void }) => void) => { observe(target: unknown, options: object): void };
declare const document: {
  documentElement: { lang: string; dir: string };
  querySelector(selector: string): unknown;
  getElementById(id: string): { childElementCount: number; textContent: string | null } | null;
};

const PASSWORD = 'langue-choisie-2027';
const fr = translations('fr');
const ar = translations('ar');
const en = translations('en');

const dictionaryChunk = /\/assets\/(en|ar)-[^/]+\.js$/;
const arabicChunk = /\/assets\/ar-[^/]+\.js$/;

/** What the page showed when the app first put something on the screen. */
interface FirstPaint {
  lang: string;
  dir: string;
  text: string | null;
}

describe('the interface’s languages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let house: HouseBuilder;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    house = new HouseBuilder(t);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const member = () => house.person({ password: PASSWORD });
  /** The paths the context asked the server for. */
  const asked = (context: BrowserContext) => {
    const paths: string[] = [];
    context.on('request', (request) => paths.push(new URL(request.url()).pathname));
    return paths;
  };
  /** Notes, in every page of the context, the language, direction and words of the app's first render (a MutationObserver runs before the browser paints). */
  const watchFirstPaint = (context: BrowserContext) =>
    context.addInitScript(() => {
      const w = window as { __firstPaint?: FirstPaint };
      new MutationObserver((_, observer) => {
        const app = document.getElementById('app');
        if (!app || app.childElementCount === 0) return;
        w.__firstPaint = { lang: document.documentElement.lang, dir: document.documentElement.dir, text: app.textContent };
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
  const firstPaint = async (page: Page) => (await page.waitForFunction(() => (window as { __firstPaint?: FirstPaint }).__firstPaint)).jsonValue() as Promise<FirstPaint>;
  const inArabic = (page: Page) => page.locator('html[lang="ar"][dir="rtl"]').waitFor({ state: 'attached' });

  it('never downloads the English or Arabic dictionary for a French reader; the main chunk holds French only', async () => {
    const context = await browser.newContext(PHONE);
    const paths = asked(context);
    const page = await loginPage(context, t.baseUrl, (await member()).handle, PASSWORD, { pageErrors });
    await page.getByTestId('calendar-grid').waitFor();
    await page.goto(`${t.baseUrl}/account`);
    await page.getByTestId('account-logout').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('nav-agenda').innerText()).toBe(fr['nav.agenda']);
    expect(paths.filter((path) => path.startsWith('/assets/')).length).toBeGreaterThan(0);
    expect(paths.filter((path) => dictionaryChunk.test(path))).toEqual([]);
    await context.close();

    // The script the page starts with, as a phone downloads it.
    const html = await (await fetch(`${t.baseUrl}/`)).text();
    const main = html.match(/<script type="module"[^>]* src="(\/assets\/index-[^"]+\.js)"/)![1];
    const code = await (await fetch(`${t.baseUrl}${main}`)).text();
    const holds = (words: Record<string, string>) => code.includes(words['error.NETWORK']);
    expect({ fr: holds(fr), en: holds(en), ar: holds(ar) }).toEqual({ fr: true, en: false, ar: false });
    // It knows where the Arabic dictionary is, without holding it.
    expect(code).toMatch(/ar-[\w-]+\.js/);
  });

  it('shows an Arabic reader Arabic, right to left, from the first paint: chosen on this phone, or the account’s language', async () => {
    // Chosen on this phone, at the login page.
    const context = await browser.newContext(PHONE);
    await watchFirstPaint(context);
    const chosen = await loginPage(context, t.baseUrl, (await member()).handle, PASSWORD, { pageErrors, lang: 'ar' });
    await inArabic(chosen);
    const paths = asked(context);
    await chosen.reload();
    let first = await firstPaint(chosen);
    expect([first.lang, first.dir]).toEqual(['ar', 'rtl']);
    expect(first.text).toContain(ar['nav.skip']);
    expect(first.text).toContain(ar['lang.choose']);
    expect(first.text).not.toContain(fr['nav.skip']);
    expect(first.text).not.toContain(fr['lang.choose']);
    expect(paths.filter((path) => arabicChunk.test(path))).toHaveLength(1);
    await chosen.getByTestId('calendar-grid').waitFor();
    expect(await chosen.getByTestId('nav-agenda').innerText()).toBe(ar['nav.agenda']);
    await chosen.screenshot({ path: join(ARTIFACTS, 'language-first-paint-phone-ar.png') });
    await context.close();

    // The account's language, on a phone where no one chose one: Arabic once `me` says so, and
    // from the first paint at the next visit.
    const person = await member();
    await t.gqlOk('mutation($l: String!) { setMyLocale(locale: $l) { id } }', { l: 'ar' }, person.token);
    const own = await browser.newContext(PHONE);
    await watchFirstPaint(own);
    const page = await loginPage(own, t.baseUrl, person.handle, PASSWORD, { pageErrors });
    await inArabic(page);
    await page.goto(`${t.baseUrl}/account`);
    first = await firstPaint(page);
    expect([first.lang, first.dir]).toEqual(['ar', 'rtl']);
    expect(first.text).toContain(ar['nav.skip']);
    expect(first.text).not.toContain(fr['nav.skip']);
    await page.getByTestId('account-logout').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('tl.lang'))).toBeNull();
    await own.close();
  });

  it('opens the first page after signing in in the account’s language, even when its dictionary is slow to come', async () => {
    const person = await member();
    await t.gqlOk('mutation($l: String!) { setMyLocale(locale: $l) { id } }', { l: 'ar' }, person.token);
    const context = await browser.newContext(PHONE);
    // A slow network: the Arabic dictionary comes a second after it is asked for.
    await context.route(arabicChunk, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    // Notes the page's language when the signed-in menu first appears (before the browser paints it).
    await context.addInitScript(() => {
      const w = window as { __signedInLang?: string };
      new MutationObserver((_, observer) => {
        if (!document.querySelector('[data-testid="current-person"]')) return;
        w.__signedInLang = document.documentElement.lang;
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await loginPage(context, t.baseUrl, person.handle, PASSWORD, { pageErrors });
    expect(await page.evaluate(() => (window as { __signedInLang?: string }).__signedInLang)).toBe('ar');
    expect(await page.getByTestId('nav-agenda').innerText()).toBe(ar['nav.agenda']);
    await context.close();
  });

  it('fetches Arabic when chosen, then switches at once; offline it stays French, says so, and tries again', async () => {
    const context = await browser.newContext(PHONE);
    const paths = asked(context);
    await context.route(arabicChunk, (route) => route.abort('internetdisconnected'));
    const page = await loginPage(context, t.baseUrl, (await member()).handle, PASSWORD, { pageErrors });
    await page.getByTestId('calendar-grid').waitFor();
    expect(paths.filter((path) => arabicChunk.test(path))).toEqual([]);

    await page.getByTestId('lang-switcher').selectOption('ar');
    const failed = page.getByTestId('lang-load-failed');
    await failed.waitFor();
    expect(paths.filter((path) => arabicChunk.test(path))).toHaveLength(1);
    expect(plain(await failed.getByRole('alert').innerText())).toBe(fill(fr['lang.loadFailed'], { lang: ar['lang.name'] }));
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['fr', 'ltr']);
    expect(await page.getByTestId('lang-switcher').inputValue()).toBe('fr');
    expect(await page.getByTestId('nav-agenda').innerText()).toBe(fr['nav.agenda']);
    expect(await page.evaluate(() => localStorage.getItem('tl.lang'))).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'language-load-failed-phone.png') });

    await context.unroute(arabicChunk);
    await failed.getByRole('button', { name: fr['common.retry'] }).click();
    await inArabic(page);
    await failed.waitFor({ state: 'detached' });
    expect(await page.getByTestId('nav-agenda').innerText()).toBe(ar['nav.agenda']);
    expect(await page.getByTestId('lang-switcher').inputValue()).toBe('ar');
    expect(await page.evaluate(() => localStorage.getItem('tl.lang'))).toBe('ar');
    await page.screenshot({ path: join(ARTIFACTS, 'language-switched-phone-ar.png') });
    await context.close();
  });

  it('says so when the language saved on this phone cannot be fetched at start, shows French meanwhile, and tries again', async () => {
    const context = await browser.newContext(PHONE);
    // Arabic was chosen on this phone at an earlier visit; the network fails for its dictionary now.
    await context.addInitScript(() => (window as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('tl.lang', 'ar'));
    await context.route(arabicChunk, (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${t.baseUrl}/login`);
    const failed = page.getByTestId('lang-load-failed');
    await failed.waitFor();
    expect(plain(await failed.getByRole('alert').innerText())).toBe(fill(fr['lang.loadFailed'], { lang: ar['lang.name'] }));
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['fr', 'ltr']);

    await context.unroute(arabicChunk);
    await failed.getByRole('button', { name: fr['common.retry'] }).click();
    await inArabic(page);
    await failed.waitFor({ state: 'detached' });
    await context.close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
