/**
 * The steward's "door today" list in a real browser: loaded once with accessEvents, then
 * kept up to date by /live (access.decided, staff only) without polling or reload. Doors named
 * in other languages: a steward registers one with an Arabic name; Arabic readers see it in the
 * list of decisions and in their own entries, and a rename reaches their open pages (door.changed).
 * Needs the built client (see browser-support.ts); runs on the real clock.
 */
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { doorRequest } from '../support/door-client';
import { HouseBuilder, TestPerson } from '../support/house';
import { SpacesBuilder } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, fill, launchChromium, loginPage, plain, requireBuiltClient, shot, translations, waitLive } from './browser-support';

const fr = translations('fr');

// Callbacks given to evaluate/waitForFunction run in the browser; this Node project has no DOM types.
declare const window: object;
declare const document: {
  documentElement: { scrollWidth: number };
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> & Iterable<{ textContent: string | null }>;
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
    // Its past entries still name it: a retired door can still be renamed.
    expect(await row.getByTestId('door-edit').count()).toBe(1);
    expect(await row.getByTestId('door-retire').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'steward-doors-retired.png'), fullPage: true });
  });

  it('registers a door with its Arabic name: Arabic readers see it in today’s decisions and in their own entries, and a rename reaches their open pages live', async () => {
    const GARDEN_AR = 'باب الحديقة';
    const STREET_AR = 'باب الحديقة من جهة الشارع';
    const panel = page.getByTestId('doors-panel');
    const form = panel.getByTestId('register-door-form');
    await form.getByTestId('door-name').fill('Porte du jardin');
    const names = form.getByTestId('other-names');
    expect(await names.getByTestId('other-name').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')))).toEqual(['en', 'ar']);
    expect(await names.getByTestId('name-ar').getAttribute('dir')).toBe('rtl');
    await names.getByTestId('name-ar').fill(GARDEN_AR);
    await form.getByTestId('door-zone').selectOption({ label: lobbyName });
    await form.getByTestId('door-register').click();
    const shown = panel.getByTestId('door-registered');
    await shown.getByText('Porte du jardin').waitFor();
    const id = (await shown.getByTestId('door-id').innerText()).trim();
    const secret = (await shown.getByTestId('door-secret').innerText()).trim();
    // The form is empty again, its Arabic field too.
    expect(await form.getByTestId('door-name').inputValue()).toBe('');
    expect(await names.getByTestId('name-ar').inputValue()).toBe('');
    const doorNames = async () =>
      (await t.gqlOk<{ doors: { id: string; name: string; names: { lang: string; text: string }[] }[] }>(`query { doors { id name names { lang text } } }`, {}, steward.token)).doors.find((d) => d.id === id);
    expect(await doorNames()).toEqual({ id, name: 'Porte du jardin', names: [{ lang: 'ar', text: GARDEN_AR }] });
    const row = panel.locator(`[data-testid="door"][data-door-id="${id}"]`);
    expect(plain(await row.getByTestId('other-names-line').innerText())).toContain(GARDEN_AR);

    // An Arabic-reading steward with a badge, and an Arabic-reading member, go through it.
    const house = new HouseBuilder(t);
    const arSteward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    const arMember = await house.person({ password: PASSWORD });
    await house.membership(arMember.id, (await house.collective()).id);
    const uids = { steward: '04AA11BB01', member: '04AA11BB02' };
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: arSteward.id, u: uids.steward }, steward.token);
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: arMember.id, u: uids.member }, steward.token);
    const through = async (uid: string) => {
      const response = await doorRequest({
        baseUrl: t.baseUrl, doorId: id, secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: Date.now(),
      });
      expect(response.body).toMatchObject({ decision: 'ALLOW' });
    };
    await through(uids.member);

    // The Arabic steward's decisions list, open on a phone: the member's entry, by the door's
    // Arabic name; the steward's own, pushed live, too.
    const log = await loginPage(await browser.newContext(PHONE), t.baseUrl, arSteward.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await log.goto(`${t.baseUrl}/steward`);
    await waitLive(log);
    const logRows = log.getByTestId('door-log').getByTestId('access-event');
    const inLog = (text: string) => log.getByTestId('door-log').getByTestId('access-door').filter({ hasText: text });
    await inLog(GARDEN_AR).first().waitFor();
    await through(uids.steward);
    await log.waitForFunction((n) => document.querySelectorAll('[data-testid="door-log"] [data-testid="access-door"]').length >= n, 2, { timeout: 3000 });
    await log.waitForFunction((name) => [...document.querySelectorAll('[data-testid="door-log"] [data-testid="access-door"]')].slice(0, 2).every((el) => el.textContent === name), GARDEN_AR, { timeout: 3000 });
    expect(await inLog('Porte du jardin').count()).toBe(0);
    // Its doors panel names it in Arabic, the French name beside.
    const arRow = log.getByTestId('doors-panel').locator(`[data-testid="door"][data-door-id="${id}"]`);
    expect(plain(await arRow.getByTestId('door-name-shown').innerText()).trim()).toBe(GARDEN_AR);
    expect(plain(await arRow.getByTestId('other-names-line').innerText())).toContain('Porte du jardin');
    await shot(log, log.getByTestId('door-log'), 'steward-door-names-phone-ar.png');

    // Their own entries, on their page: the steward's, and the member's.
    const stewardEntries = await loginPage(await browser.newContext(PHONE), t.baseUrl, arSteward.handle, PASSWORD, { pageErrors, lang: 'ar' });
    const memberEntries = await loginPage(await browser.newContext(PHONE), t.baseUrl, arMember.handle, PASSWORD, { pageErrors, lang: 'ar' });
    for (const mine of [stewardEntries, memberEntries]) {
      await mine.goto(`${t.baseUrl}/account`);
      await waitLive(mine);
      await mine.getByTestId('my-entries').getByTestId('access-door').filter({ hasText: GARDEN_AR }).waitFor();
      expect(plain(await mine.getByTestId('my-entries').getByTestId('access-event').first().innerText())).toContain(GARDEN_AR);
      expect(await mine.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    }
    await shot(memberEntries, memberEntries.getByTestId('my-entries'), 'my-entries-door-names-phone-ar.png');
    for (const open of [log, stewardEntries, memberEntries]) await open.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // The French steward renames it and changes its Arabic name, in the list.
    await row.getByTestId('door-edit').click();
    const edit = row.getByTestId('door-edit-form');
    const editName = edit.getByTestId('door-edit-name');
    expect(await editName.inputValue()).toBe('Porte du jardin');
    expect(await edit.getByTestId('name-ar').inputValue()).toBe(GARDEN_AR);
    await editName.fill('  ');
    await edit.getByTestId('door-save').click();
    await edit.getByTestId('field-error').getByText(fr['steward.doorNameMissing']).waitFor();
    await editName.fill('Porte du jardin, côté rue');
    await edit.getByTestId('name-ar').fill(STREET_AR);
    await shot(page, row, 'steward-door-rename.png');
    await edit.getByTestId('door-save').click();
    const saved = panel.getByTestId('door-saved');
    await saved.waitFor();
    expect(plain(await saved.innerText())).toBe(plain(fill(fr['steward.doorSaved'], { name: 'Porte du jardin, côté rue' })));
    await edit.waitFor({ state: 'detached' });
    expect(await row.getByTestId('door-edit').evaluate((button) => button === (button as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
    expect(await doorNames()).toEqual({ id, name: 'Porte du jardin, côté rue', names: [{ lang: 'ar', text: STREET_AR }] });
    // The French steward's own list of decisions: the new French name.
    await page.getByTestId('door-log').getByTestId('access-door').filter({ hasText: 'Porte du jardin, côté rue' }).first().waitFor({ timeout: 3000 });
    expect(await page.getByTestId('door-log').getByTestId('access-door').filter({ hasText: /^Porte du jardin$/ }).count()).toBe(0);

    // The pages open in Arabic follow, without reload (door.changed).
    await log.waitForFunction((name) => [...document.querySelectorAll('[data-testid="door-log"] [data-testid="access-door"]')].slice(0, 2).every((el) => el.textContent === name), STREET_AR, { timeout: 3000 });
    await arRow.getByTestId('door-name-shown').getByText(STREET_AR).waitFor({ timeout: 3000 });
    for (const mine of [stewardEntries, memberEntries]) {
      await mine.getByTestId('my-entries').getByTestId('access-door').filter({ hasText: STREET_AR }).first().waitFor({ timeout: 3000 });
      expect(await mine.getByTestId('my-entries').getByTestId('access-door').filter({ hasText: new RegExp(`^${GARDEN_AR}$`) }).count()).toBe(0);
    }
    for (const open of [log, stewardEntries, memberEntries]) expect(await open.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await logRows.count()).toBeGreaterThanOrEqual(2);
    await shot(log, log.getByTestId('door-log'), 'steward-door-renamed-phone-ar.png');
    await shot(log, arRow, 'steward-doors-renamed-phone-ar.png');
    // The Arabic steward's own forms for a door's names fit the phone: registering, and renaming.
    await shot(log, log.getByTestId('register-door-form'), 'steward-door-register-phone-ar.png');
    await arRow.getByTestId('door-edit').click();
    await arRow.getByTestId('door-edit-form').getByTestId('name-ar').waitFor();
    expect(await arRow.getByTestId('door-edit-form').getByTestId('name-ar').inputValue()).toBe(STREET_AR);
    expect(await log.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(log, arRow, 'steward-door-rename-phone-ar.png');
    for (const open of [log, stewardEntries, memberEntries]) await open.context().close();
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
