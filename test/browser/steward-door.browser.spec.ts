/**
 * The steward's "door today" list in a real browser: loaded once with accessEvents, then
 * kept up to date by /live (access.decided, staff only) without polling or reload.
 * Needs the built client (see browser-support.ts); runs on the real clock.
 */
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { doorRequest } from '../support/door-client';
import { HouseBuilder, TestPerson } from '../support/house';
import { SpacesBuilder } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, launchChromium, loginPage, requireBuiltClient, translations, waitLive } from './browser-support';

const fr = translations('fr');

// Callbacks given to evaluate/waitForFunction run in the browser; this Node project has no DOM types.
declare const window: object;
declare const document: {
  documentElement: { scrollWidth: number };
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};

const PASSWORD = 'porte-ouverte-2027';
const LIVE_DEADLINE_MS = 1000;

describe('steward door log in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let steward: TestPerson;
  let member: TestPerson;
  let door: { id: string; secret: string };
  let lobbyName: string;
  const memberUid = '04C0FFEE01';
  const pageErrors: string[] = [];

  /** The door asks the server, signed, as a controller would. */
  async function badge(uid: string): Promise<{ decision: string; reason: string }> {
    const response = await doorRequest({
      baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions',
      body: JSON.stringify({ badgeUid: uid }), timestamp: Date.now(),
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  const rows = () => page.getByTestId('access-event');
  /** Polls every 20 ms (Playwright's own waits back off to 500 ms steps, too coarse for a 1 s deadline). */
  const rowsReach = (n: number) =>
    page.waitForFunction((count) => document.querySelectorAll('[data-testid="access-event"]').length >= count, n, { polling: 20, timeout: LIVE_DEADLINE_MS });

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    const house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    const spaces = new SpacesBuilder(t, steward.token);
    const lobby = await spaces.zone(true);
    lobbyName = (await t.sql(`SELECT name FROM zone WHERE id = $1`, [lobby]))[0].name;
    const registered = await t.gqlOk(`mutation($z: ID!) { registerDoor(name: "Entrée principale", zoneId: $z) { secret door { id } } }`, { z: lobby }, steward.token);
    door = { id: registered.registerDoor.door.id, secret: registered.registerDoor.secret };
    member = await house.member();
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u, label: "Carte bleue") { id } }`, { p: member.id, u: memberUid }, steward.token);
    // One decision before the page opens: it comes from the initial load.
    expect(await badge(memberUid)).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });

    browser = await launchChromium();
    page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/steward`);
    await waitLive(page);
    await rows().first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists today’s decisions, then shows new ones live within 1 s, newest first, with names', async () => {
    expect(await rows().count()).toBe(1);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    const asked = Date.now();
    expect(await badge('DEADBEEF99')).toMatchObject({ decision: 'DENY', reason: 'UNKNOWN_BADGE' });
    await rowsReach(2);
    expect(Date.now() - asked).toBeLessThan(LIVE_DEADLINE_MS);
    expect(await rows().first().getAttribute('data-decision')).toBe('DENY');

    await badge(memberUid);
    await rowsReach(3);
    const newest = rows().first();
    expect(await newest.getAttribute('data-decision')).toBe('ALLOW');
    // The live event carries ids only: the page fills in the door and the person by name.
    await page.waitForFunction(() => !document.querySelector('[data-testid="access-event"]')?.textContent?.includes('…'));
    expect(await newest.innerText()).toContain('Entrée principale');
    expect(await newest.innerText()).toContain(`Person ${member.handle}`);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'steward-door-desktop.png') });

    // The same three after a reload: nothing doubled, nothing lost.
    await page.reload();
    await rows().nth(2).waitFor();
    expect(await rows().count()).toBe(3);
  });

  it('registers a door, showing its secret once, and retires it after a confirmation', async () => {
    const panel = page.getByTestId('doors-panel');
    await panel.getByTestId('door-name').fill('Atelier, porte arrière');
    await panel.getByTestId('door-zone').selectOption({ label: lobbyName });
    await panel.getByTestId('door-register').click();
    const shown = panel.getByTestId('door-registered');
    await shown.waitFor();
    const id = (await shown.getByTestId('door-id').innerText()).trim();
    const secret = (await shown.getByTestId('door-secret').innerText()).trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // What the page showed is what the controller needs: a signed request with it is answered.
    const asked = { baseUrl: t.baseUrl, doorId: id, secret, method: 'POST' as const, path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: memberUid }) };
    expect((await doorRequest({ ...asked, timestamp: Date.now() })).body).toMatchObject({ decision: 'ALLOW', reason: 'MEMBER_ANYTIME' });
    const row = panel.locator(`[data-testid="door"][data-door-id="${id}"]`);
    expect(await row.getAttribute('data-retired')).toBe('no');
    // Registered before its first request: the list said it had no decision yet; it has one now.
    expect(await row.getByTestId('door-last').innerText()).toBe('Pas encore de décision');
    await page.screenshot({ path: join(ARTIFACTS, 'steward-doors-registered.png'), fullPage: true });
    await page.reload();
    await row.getByTestId('door-last').locator('time').waitFor();
    expect(await row.getByTestId('door-last').innerText()).toMatch(/^Dernière décision/);

    // Retiring asks first, with the focus on "No": pressing Enter twice retires nothing.
    await row.getByTestId('door-retire').focus();
    await page.keyboard.press('Enter');
    await row.getByTestId('door-retire-confirm').waitFor();
    expect(await row.getByTestId('door-retire-keep').evaluate((button) => button === (button as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await row.getByTestId('door-retire').waitFor();
    expect(await row.getAttribute('data-retired')).toBe('no');
    await row.getByTestId('door-retire').click();
    await row.getByTestId('door-retire-confirm').click();
    await panel.locator(`[data-testid="door"][data-door-id="${id}"][data-retired="yes"]`).waitFor();
    // The secret is no longer on the page, and the door is refused.
    expect(await panel.getByTestId('door-secret').count()).toBe(0);
    expect((await doorRequest({ ...asked, timestamp: Date.now() + 1 })).status).toBe(401);
    expect(await panel.locator('[data-testid="door"][data-retired="no"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'steward-doors-retired.png'), fullPage: true });
  });

  it('fits a phone: badges, today’s decisions and doors, in Arabic too, without sideways scrolling', async () => {
    const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await phone.goto(`${t.baseUrl}/steward`);
    await phone.getByTestId('doors-panel').getByTestId('door').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await phone.getByTestId('doors-panel').innerText()).toContain('الأبواب');
    await phone.screenshot({ path: join(ARTIFACTS, 'steward-phone-ar.png'), fullPage: true });
    await phone.context().close();
  });

  it('loads the steward’s page on first use: a member never downloads it, and a failed download says so and tries again', async () => {
    const stewardChunk = /\/assets\/steward-[^/]+\.js$/;
    const asked = (context: BrowserContext) => {
      const paths: string[] = [];
      context.on('request', (request) => paths.push(new URL(request.url()).pathname));
      return paths;
    };

    const person = await new HouseBuilder(t).person({ password: PASSWORD });
    const memberContext = await browser.newContext(PHONE);
    const memberAsked = asked(memberContext);
    const memberPage = await loginPage(memberContext, t.baseUrl, person.handle, PASSWORD, { pageErrors });
    await memberPage.goto(`${t.baseUrl}/account`);
    await memberPage.getByTestId('account-logout').waitFor();
    expect(memberAsked.filter((path) => path.startsWith('/assets/')).length).toBeGreaterThan(0);
    expect(memberAsked.filter((path) => stewardChunk.test(path))).toEqual([]);
    await memberContext.close();

    const context = await browser.newContext(PHONE);
    await context.route(stewardChunk, (route) => route.abort('internetdisconnected'));
    const phone = await loginPage(context, t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await phone.goto(`${t.baseUrl}/steward`);
    const failed = phone.getByTestId('page-load-failed');
    await failed.waitFor();
    expect(await failed.getByRole('alert').innerText()).toBe(fr['error.NETWORK']);
    await phone.screenshot({ path: join(ARTIFACTS, 'steward-page-load-failed-phone.png') });
    await context.unroute(stewardChunk);
    await failed.getByRole('button').click();
    await phone.getByTestId('doors-panel').waitFor();
    await context.close();
  });

  it('had no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
