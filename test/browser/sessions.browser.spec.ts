/**
 * Signing out in a real browser: the header's button ends this device's token on the server;
 * "sign out on all my devices" on My page, and a steward's button for a member who lost their
 * phone, end every session, and a phone left open elsewhere goes back to the login page by
 * itself (its live socket is closed). A phone keeps the device key of its logins, so that a
 * stranger's guesses do not lock its owner out there. Screenshots (phone, Arabic) go to
 * test/artifacts/.
 */
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, launchChromium, loginPage, requireBuiltClient, translations, waitLive } from './browser-support';

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
declare const localStorage: { getItem(key: string): string | null };

const PASSWORD = 'deux-telephones-2027';
const fr = translations('fr');

describe('signing out in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let house: HouseBuilder;
  let steward: TestPerson;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const member = () => house.person({ password: PASSWORD });
  const phone = async (person: TestPerson, lang?: string) => {
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, person.handle, PASSWORD, { pageErrors, lang });
    await waitLive(page);
    return page;
  };
  const tokenOf = (page: Page) => page.evaluate(() => localStorage.getItem('tl.token'));
  const serverKnows = async (token: string) => Boolean((await t.gql(`{ me { id } }`, {}, token)).data?.me);
  /** The login form, which a signed-out page shows by itself. */
  const atLogin = (page: Page, timeout = 5000) => page.getByTestId('login-identifier').waitFor({ timeout });

  it("signs this device out from the header's button: the server no longer accepts its token, the other device stays in", async () => {
    const person = await member();
    const laptop = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, person.handle, PASSWORD, { pageErrors });
    const other = await phone(person);
    const token = (await tokenOf(laptop))!;
    expect(await serverKnows(token)).toBe(true);

    await laptop.getByTestId('logout').click();
    await atLogin(laptop);
    expect(await tokenOf(laptop)).toBeNull();
    // The page forgets the token at once; the server's answer follows.
    const deadline = Date.now() + 3000;
    while ((await serverKnows(token)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await serverKnows(token)).toBe(false);
    expect(await serverKnows((await tokenOf(other))!)).toBe(true);
    await laptop.context().close();
    await other.context().close();
  });

  it('signs out every device from My page, after a confirmation; a phone left open elsewhere returns to the login page', async () => {
    const person = await member();
    const mine = await phone(person, 'ar');
    const forgotten = await phone(person);
    const forgottenToken = (await tokenOf(forgotten))!;

    await mine.goto(`${t.baseUrl}/account`);
    await mine.getByTestId('logout-everywhere').click();
    await mine.getByTestId('logout-everywhere-confirm').waitFor();
    await mine.getByTestId('logout-everywhere-box').scrollIntoViewIfNeeded();
    await mine.screenshot({ path: join(ARTIFACTS, 'logout-everywhere-phone-ar.png') });
    // "No" changes nothing.
    await mine.getByTestId('logout-everywhere-keep').click();
    expect(await serverKnows(forgottenToken)).toBe(true);

    await mine.getByTestId('logout-everywhere').click();
    await mine.getByTestId('logout-everywhere-confirm').click();
    await atLogin(mine);
    await atLogin(forgotten);
    expect(await serverKnows(forgottenToken)).toBe(false);
    expect(await tokenOf(forgotten)).toBeNull();
    await mine.context().close();
    await forgotten.context().close();
  });

  it('lets a steward sign out a member who lost their phone, from the steward page', async () => {
    const person = await member();
    const lost = await phone(person);
    const desk = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await desk.goto(`${t.baseUrl}/steward`);
    await desk.getByTestId('person-picker').selectOption(person.id);
    await desk.getByTestId('sign-out-person-button').click();
    await desk.getByTestId('sign-out-person-keep').click();
    expect(await serverKnows((await tokenOf(lost))!)).toBe(true);

    await desk.getByTestId('sign-out-person-button').click();
    await desk.getByTestId('sign-out-person-confirm').click();
    await desk.getByTestId('sign-out-person-done').waitFor();
    await desk.getByTestId('sign-out-person').screenshot({ path: join(ARTIFACTS, 'steward-sign-out-person.png') });
    await atLogin(lost);
    // The steward is still signed in.
    expect(await desk.getByTestId('current-person').isVisible()).toBe(true);
    await lost.context().close();
    await desk.context().close();
  });

  it("still logs a person in on their own phone after a stranger's guesses locked their name elsewhere", async () => {
    const person = await member();
    const own = await phone(person);
    await own.getByTestId('logout').click();
    await atLogin(own);
    for (let i = 0; i < 10; i++) await t.gql(`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }`, { i: person.handle, p: `guess ${i}` });

    // A browser that never logged in as them is refused, even with the right password.
    const elsewhere = await (await browser.newContext(PHONE)).newPage();
    elsewhere.on('pageerror', (error) => pageErrors.push(error.message));
    await elsewhere.goto(`${t.baseUrl}/login`);
    await elsewhere.getByTestId('login-identifier').fill(person.handle);
    await elsewhere.getByTestId('login-password').fill(PASSWORD);
    await elsewhere.getByTestId('login-submit').click();
    await elsewhere.getByTestId('error').waitFor();
    expect(await elsewhere.getByTestId('error').innerText()).toContain(fr['error.login.tooMany'].replace('{n}', '15'));
    expect(await elsewhere.getByTestId('current-person').count()).toBe(0);

    // Their own phone remembers it logged in as them before.
    await own.getByTestId('login-identifier').fill(person.handle);
    await own.getByTestId('login-password').fill(PASSWORD);
    await own.getByTestId('login-submit').click();
    await own.getByTestId('current-person').waitFor();
    await own.context().close();
    await elsewhere.context().close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
