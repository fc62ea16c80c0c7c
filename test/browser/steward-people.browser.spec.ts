/**
 * The steward's People panel in a real browser: a steward at the desk adds a collective,
 * invites someone with no e-mail into it (the one-time code read from the page), grants them a
 * training until a date, and the person redeems the code on their own phone and is signed in.
 * Then the steward ends the membership after a confirmation. An empty invite form says what is
 * missing and writes nothing; a login name already taken is explained at its field. The person
 * forgets their password: the steward gives a new code (the older one stops working, the
 * password works until the new code is used, which signs the other devices out), and withdraws
 * a training, which then shows as ended. In Arabic, an admin's role on their page has its own
 * word, not the menu's word for the steward's page.
 * Screenshots (desktop, phone, Arabic) go to test/artifacts/. Runs on the real clock.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, ZONE, launchChromium, loginPage, fill, plain, requireBuiltClient, shot, translations } from './browser-support';

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
declare const document: {
  documentElement: { scrollWidth: number; lang: string; dir: string };
  activeElement: { id?: string; getAttribute(name: string): string | null } | null;
};
declare const window: { __spinners?: string[] };
interface DomNode {
  nodeType: number;
  matches(selector: string): boolean;
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  textContent: string | null;
}
declare const MutationObserver: new (callback: (records: { addedNodes: ArrayLike<DomNode> }[]) => void) => { observe(target: unknown, options: object): void };

const PASSWORD = 'accueil-voisines-2027';
const NEW_PASSWORD = 'mon-code-a-moi-42';
const NEWER_PASSWORD = 'plus-jamais-oublie-7';
const fr = translations('fr');
const en = translations('en');
const ar = translations('ar');

/** The data-testid of what has the keyboard focus. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** A date as the client writes it in French (fmtDate: luxon's DATE_MED in Brussels). */
const frDate = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).setLocale('fr').toLocaleString(DateTime.DATE_MED);

describe('the steward invites people and manages their collectives and trainings in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let desk: Page;
  let steward: TestPerson;
  const pageErrors: string[] = [];
  const hygiene = 'Hygiène cuisine';
  const collectiveName = 'Cuisine des Voisines';
  // Valid through this day (Brussels), about a year ahead.
  const until = DateTime.now().setZone(ZONE).plus({ years: 1 }).startOf('day');
  let invited: { id: string; code: string; handle: string };
  let house: HouseBuilder;
  let laserId: string;

  const countPersons = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM person`))[0].n;

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD, handle: 'nadia.accueil' });
    await house.qualification(hygiene);
    laserId = await house.qualification('Découpeuse laser');
    await house.collective({ name: 'Atemos' });

    browser = await launchChromium();
    desk = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await desk.goto(`${t.baseUrl}/steward`);
    await desk.getByTestId('people-panel').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('says the name is missing when the invite form is sent empty, and writes nothing', async () => {
    const before = await countPersons();
    await desk.getByTestId('invite-open').click();
    const form = desk.getByTestId('invite-form');
    // The form opens with the keyboard in its first field.
    await desk.waitForFunction(() => document.activeElement?.id === 'invite-name');
    await form.getByTestId('invite-submit').click();
    const error = form.getByTestId('field-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(fr['people.nameMissing']);
    expect(await form.getByTestId('invite-name').getAttribute('aria-invalid')).toBe('true');
    // The keyboard lands on the field to fill.
    await desk.waitForFunction(() => document.activeElement?.id === 'invite-name');
    await desk.screenshot({ path: join(ARTIFACTS, 'steward-people-invite-empty.png') });

    // A login name that is taken is refused by the server and explained at its field.
    await form.getByTestId('invite-name').fill('Nadia Deux');
    await form.getByTestId('invite-handle-input').fill('Nadia.Accueil');
    await form.getByTestId('invite-submit').click();
    await form.locator('#invite-handle-error').waitFor();
    expect(await form.locator('#invite-handle-error').innerText()).toBe(fr['people.handleTaken']);
    // And one that is not a login name at all, before asking the server.
    await form.getByTestId('invite-handle-input').fill('nadia accueil');
    await form.getByTestId('invite-submit').click();
    await desk.waitForFunction(() => document.activeElement?.id === 'invite-handle');
    expect(await form.locator('#invite-handle-error').innerText()).toBe(fr['people.handleInvalid']);
    expect(await countPersons()).toBe(before);
    await form.getByTestId('invite-cancel').click();
    await form.waitFor({ state: 'detached' });
  });

  it('adds a collective, invites a person with no e-mail into it and grants them a training until a date', async () => {
    // A collective, listed in the public directory.
    const collectives = desk.getByTestId('collectives-panel');
    await collectives.getByTestId('collective-open').click();
    await collectives.getByTestId('collective-submit').click();
    expect(await collectives.locator('#collective-name-error').innerText()).toBe(fr['people.collectiveNameMissing']);
    expect(await collectives.locator('#collective-tier-error').innerText()).toBe(fr['people.tierMissing']);
    await collectives.getByTestId('collective-name').fill(collectiveName);
    await collectives.getByTestId('collective-form-select').selectOption('INFORMAL');
    await collectives.getByTestId('collective-tier').selectOption('SOLIDARITY');
    await collectives.getByTestId('collective-listed').check();
    await collectives.getByTestId('collective-description').fill('Repas solidaires à emporter, chaque jeudi.');
    await collectives.getByTestId('collective-submit').click();
    await collectives.getByTestId('collective-done').waitFor();
    const [collective] = await t.sql(`SELECT id, form, tariff_tier, public_listing, description FROM collective WHERE name = $1`, [collectiveName]);
    expect(collective).toMatchObject({ form: 'INFORMAL', tariff_tier: 'SOLIDARITY', public_listing: true, description: 'Repas solidaires à emporter, chaque jeudi.' });

    // The person: a name, no login name (the server makes one), no e-mail, English, member of the new collective.
    const panel = desk.getByTestId('people-panel');
    await panel.getByTestId('invite-open').click();
    const form = panel.getByTestId('invite-form');
    // The new collective is offered without reloading the page.
    await form.getByTestId('invite-collective').locator('option', { hasText: collectiveName }).waitFor({ state: 'attached' });
    await form.getByTestId('invite-name').fill('Mariam Diallo');
    await form.getByTestId('invite-locale').selectOption('en');
    await form.getByTestId('invite-collective').selectOption({ label: collectiveName });
    expect(await form.getByTestId('invite-role').inputValue()).toBe('MEMBER');
    await form.getByTestId('invite-submit').click();

    const result = panel.getByTestId('invite-result');
    await result.waitFor();
    const code = (await result.getByTestId('invite-code-shown').innerText()).trim();
    const handle = (await result.getByTestId('invite-handle').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(handle).toBe('mariam.diallo');
    const text = plain(await result.innerText());
    expect(text).toContain(fr['people.codeOnce']);
    expect(text).toContain(fill(fr['people.invitedIn'], { name: 'Mariam Diallo', collective: collectiveName }));
    // The address to open is this site's invite page, where the code is redeemed.
    expect(text).toContain(`${new URL(t.baseUrl).host}/invite`);
    // Until when the code works: the server's date (30 days on), written as the client writes dates.
    const [{ invite_expires_at: expires }] = await t.sql(`SELECT invite_expires_at FROM person WHERE display_name = 'Mariam Diallo'`);
    expect(Math.abs(expires.getTime() - Date.now() - 30 * 86_400_000)).toBeLessThan(5 * 60_000);
    expect(Math.abs(Date.parse((await result.getByTestId('invite-expires').getAttribute('datetime'))!) - expires.getTime())).toBeLessThan(1000);
    expect(await result.getByTestId('invite-expires').innerText()).toBe(frDate(expires));
    expect(text).toContain(fr['people.codeExpires']);
    await shot(desk, result, 'steward-people-invited-desktop.png');
    await desk.screenshot({ path: join(ARTIFACTS, 'steward-people-page-desktop.png'), fullPage: true });

    const [person] = await t.sql(`SELECT id, email, handle, locale, password_hash FROM person WHERE display_name = 'Mariam Diallo'`);
    expect(person).toMatchObject({ email: null, handle: 'mariam.diallo', locale: 'en', password_hash: null });
    invited = { id: person.id, code, handle };
    expect(await t.sql(`SELECT role, ends_at FROM membership WHERE person_id = $1 AND collective_id = $2`, [person.id, collective.id])).toEqual([{ role: 'MEMBER', ends_at: null }]);

    // On to their page: their collective is there; grant the kitchen hygiene until a date.
    await result.getByTestId('invite-open-person').click();
    const details = panel.getByTestId('person-details');
    await details.getByTestId('membership').first().waitFor();
    expect(await details.getByTestId('membership').count()).toBe(1);
    expect(await details.getByTestId('membership').getAttribute('data-collective')).toBe(collectiveName);
    expect(await details.getByTestId('person-handle').innerText()).toBe('mariam.diallo');
    // The code stays on screen until the steward closes it.
    expect(await result.isVisible()).toBe(true);

    const grant = details.getByTestId('grant-form');
    await grant.getByTestId('grant-submit').click();
    expect(await grant.locator('#grant-qualification-error').innerText()).toBe(fr['people.qualificationMissing']);
    await grant.getByTestId('grant-qualification').selectOption({ label: hygiene });
    await grant.getByTestId('grant-until').fill(until.toISODate()!);
    await grant.getByTestId('grant-submit').click();
    await details.getByTestId('grant-done').waitFor();
    const row = details.locator(`[data-testid="grant"][data-qualification="${hygiene}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-expired')).toBe('no');
    const rows = await t.sql(
      `SELECT (g.expires_at AT TIME ZONE 'Europe/Brussels')::date::text AS day, g.granted_by_id = $2 AS by_steward
         FROM qualification_grant g JOIN qualification q ON q.id = g.qualification_id WHERE g.person_id = $1 AND q.name = $3`,
      [person.id, steward.id, hygiene],
    );
    expect(rows).toEqual([{ day: until.toISODate(), by_steward: true }]);
    await shot(desk, details, 'steward-people-person-desktop.png');

    await result.getByTestId('invite-done').click();
    await result.waitFor({ state: 'detached' });
    expect(await desk.getByTestId('invite-code-shown').count()).toBe(0);
  });

  it('lets the invited person redeem the code on their phone and be signed in, in their language', async () => {
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    phone.on('pageerror', (error) => pageErrors.push(`invited: ${error.message}`));
    await phone.goto(`${t.baseUrl}/invite`);
    await phone.getByTestId('invite-code').fill(invited.code.toLowerCase().replace(/-/g, ' '));
    await phone.getByTestId('invite-password').fill(NEW_PASSWORD);
    await phone.getByTestId('invite-again').fill(NEW_PASSWORD);
    await phone.getByTestId('invite-submit').click();
    await phone.getByTestId('current-person').waitFor();
    await phone.waitForURL(/\/agenda$/);
    expect(await phone.evaluate(() => document.documentElement.lang)).toBe('en');
    await phone.goto(`${t.baseUrl}/account`);
    await phone.locator('main').getByText(collectiveName).first().waitFor();
    const account = plain(await phone.locator('main').innerText());
    expect(account).toContain(collectiveName);
    expect(account).toContain(hygiene);
    await phone.screenshot({ path: join(ARTIFACTS, 'steward-people-redeemed-phone.png'), fullPage: true });
    // The code worked once and is spent.
    expect(await t.sql(`SELECT invite_code_hash IS NULL AS spent, password_hash IS NOT NULL AS has_password FROM person WHERE id = $1`, [invited.id])).toEqual([
      { spent: true, has_password: true },
    ]);
    // The handle shown at the desk logs in with the password chosen.
    const again = await loginPage(await browser.newContext(PHONE), t.baseUrl, invited.handle, NEW_PASSWORD, { pageErrors });
    await again.context().close();
    await context.close();
  });

  it('gives a new code for a forgotten password: the older code stops working, the password works until the new one is used', async () => {
    // Mariam is signed in on an old phone; she forgot her password.
    const oldPhone = await loginPage(await browser.newContext(PHONE), t.baseUrl, invited.handle, NEW_PASSWORD, { pageErrors });
    const login = (password: string) => t.gql(`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }`, { i: invited.handle, p: password });
    const inviteRow = async () => (await t.sql(`SELECT invite_code_hash, invite_expires_at FROM person WHERE id = $1`, [invited.id]))[0];

    await desk.reload();
    const panel = desk.getByTestId('people-panel');
    await panel.getByTestId('person-filter').fill('mariam');
    await panel.getByTestId('person-picker').selectOption(invited.id);
    const box = panel.getByTestId('person-new-code');
    await box.getByTestId('new-code').click();
    // The question says what happens to the old code and to the password; the keyboard is on "No".
    const question = plain(await box.getByTestId('new-code-confirm-box').innerText());
    expect(question).toContain(fill(fr['people.newCodeQ'], { name: 'Mariam Diallo' }));
    expect(question).toContain(fr['people.newCodeOldStops']);
    expect(question).toContain(fr['people.newCodePasswordWorks']);
    expect(await focused(desk)).toBe('new-code-keep');
    await desk.screenshot({ path: join(ARTIFACTS, 'steward-people-new-code-confirm.png') });
    await desk.keyboard.press('Enter');
    await box.getByTestId('new-code').waitFor();
    expect(await focused(desk)).toBe('new-code');
    expect((await inviteRow()).invite_code_hash).toBeNull();

    const giveCode = async () => {
      await box.getByTestId('new-code').click();
      await box.getByTestId('new-code-confirm').click();
      const result = box.getByTestId('new-code-result');
      await result.waitFor();
      return { result, code: (await result.getByTestId('invite-code-shown').innerText()).trim() };
    };
    // A first code, closed; then a second one: the first stops working.
    const first = await giveCode();
    await first.result.getByTestId('new-code-close').click();
    await first.result.waitFor({ state: 'detached' });
    expect(await focused(desk)).toBe('new-code');
    const { result, code } = await giveCode();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(code).not.toBe(first.code);
    // Shown as after an invitation: the login name, the steps, the link, until when it works.
    expect((await result.getByTestId('invite-handle').innerText()).trim()).toBe(invited.handle);
    const text = plain(await result.innerText());
    expect(text).toContain(fill(fr['people.newCodeGiven'], { name: 'Mariam Diallo' }));
    expect(text).toContain(fr['people.newCodeOld']);
    expect(text).toContain(fr['people.codeOnce']);
    expect(text).toContain(`${new URL(t.baseUrl).host}/invite`);
    expect(await result.getByTestId('invite-copy-link').isVisible()).toBe(true);
    const { invite_code_hash: hash, invite_expires_at: expires } = await inviteRow();
    expect(hash).not.toBeNull();
    expect(Math.abs(expires.getTime() - Date.now() - 30 * 86_400_000)).toBeLessThan(5 * 60_000);
    expect(Math.abs(Date.parse((await result.getByTestId('invite-expires').getAttribute('datetime'))!) - expires.getTime())).toBeLessThan(1000);
    expect(await result.getByTestId('invite-expires').innerText()).toBe(frDate(expires));
    await shot(desk, result, 'steward-people-new-code-desktop.png');

    // Until the new code is used, her password still works.
    expect((await login(NEW_PASSWORD)).errors).toBeUndefined();

    // On her new phone: the link with the first code is refused; the second code works.
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    phone.on('pageerror', (error) => pageErrors.push(`new code: ${error.message}`));
    await phone.goto(`${t.baseUrl}/invite?code=${encodeURIComponent(first.code)}`);
    expect(await phone.getByTestId('invite-code').inputValue()).toBe(first.code);
    await phone.getByTestId('invite-password').fill(NEWER_PASSWORD);
    await phone.getByTestId('invite-again').fill(NEWER_PASSWORD);
    await phone.getByTestId('invite-submit').click();
    const refused = phone.locator('[data-testid="error"][data-code]');
    await refused.waitFor();
    expect(await refused.innerText()).toBe(fr[`error.invite.${await refused.getAttribute('data-code')}`]);
    expect(await phone.getByTestId('current-person').count()).toBe(0);
    await phone.screenshot({ path: join(ARTIFACTS, 'steward-people-old-code-refused-phone.png') });
    expect((await login(NEW_PASSWORD)).errors).toBeUndefined();

    await phone.getByTestId('invite-code').fill(code);
    await phone.getByTestId('invite-submit').click();
    await phone.getByTestId('current-person').waitFor();
    await phone.waitForURL(/\/agenda$/);
    expect(await phone.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // The new password replaces the old one; the old phone is signed out.
    expect((await login(NEW_PASSWORD)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login(NEWER_PASSWORD)).errors).toBeUndefined();
    expect((await inviteRow()).invite_code_hash).toBeNull();
    await oldPhone.reload();
    await oldPhone.getByTestId('login-form').waitFor();

    // Opened again, the page is in her language from its first paint (not "Chargement…" first).
    await phone.addInitScript(() => {
      const seen: string[] = [];
      window.__spinners = seen;
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of Array.from(r.addedNodes)) {
            if (n.nodeType !== 1) continue;
            if (n.matches('.loading')) seen.push(n.textContent ?? '');
            for (const el of Array.from(n.querySelectorAll('.loading'))) seen.push(el.textContent ?? '');
          }
      }).observe(document, { childList: true, subtree: true });
    });
    await phone.goto(`${t.baseUrl}/account`);
    await phone.locator('main').getByText(collectiveName).first().waitFor();
    const spinners = await phone.evaluate(() => window.__spinners ?? []);
    expect(spinners.length).toBeGreaterThan(0);
    expect(spinners.filter((s) => s !== en['common.loading'])).toEqual([]);
    await oldPhone.context().close();
    await context.close();
  });

  it('withdraws a training after a confirmation: it shows as ended, and can be given again', async () => {
    await house.grant(invited.id, laserId, null);
    await desk.reload();
    const panel = desk.getByTestId('people-panel');
    await panel.getByTestId('person-filter').fill('mariam');
    await panel.getByTestId('person-picker').selectOption(invited.id);
    const details = panel.getByTestId('person-details');
    const row = details.locator(`[data-testid="grant"][data-qualification="${hygiene}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-expired')).toBe('no');
    expect(await row.getByTestId('grant-state').innerText()).toBe(fr['people.valid']);
    const expiresAt = async (name: string) =>
      (await t.sql(`SELECT g.expires_at, g.expires_at <= now() AS ended FROM qualification_grant g JOIN qualification q ON q.id = g.qualification_id WHERE g.person_id = $1 AND q.name = $2`, [invited.id, name]))[0];
    const before = await expiresAt(hygiene);

    // "No" has the keyboard, and nothing changes.
    await row.getByTestId('grant-revoke').click();
    expect(plain(await row.innerText())).toContain(fill(fr['people.revokeQ'], { name: 'Mariam Diallo', qualification: hygiene }));
    expect(await focused(desk)).toBe('grant-revoke-keep');
    await desk.keyboard.press('Enter');
    await row.getByTestId('grant-revoke').waitFor();
    expect(await focused(desk)).toBe('grant-revoke');
    expect(await expiresAt(hygiene)).toEqual(before);

    await row.getByTestId('grant-revoke').click();
    await shot(desk, details.getByTestId('person-qualifications'), 'steward-people-revoke-confirm.png');
    await row.getByTestId('grant-revoke-confirm').click();
    await details.getByTestId('grant-revoked-done').waitFor();
    expect(plain(await details.getByTestId('grant-revoked-done').innerText())).toBe(fill(fr['people.revokedDone'], { name: 'Mariam Diallo', qualification: hygiene }));
    // Ended today, listed as ended, with no "Withdraw" any more.
    await details.locator(`[data-testid="grant"][data-qualification="${hygiene}"][data-expired="yes"]`).waitFor();
    expect(await row.getByTestId('grant-state').innerText()).toBe(fr['people.expired']);
    expect(plain(await row.innerText())).toContain(fill(fr['people.expiredOn'], { date: frDate(new Date()) }));
    expect(await row.getByTestId('grant-revoke').count()).toBe(0);
    expect(await row.evaluate((el: { className: string }) => el.className)).toContain('grant-ended');
    const after = await expiresAt(hygiene);
    expect(after.ended).toBe(true);
    expect(Math.abs(after.expires_at.getTime() - Date.now())).toBeLessThan(60_000);
    // The current training is listed first, the ended one after it.
    expect(await details.getByTestId('grant').evaluateAll((els: { getAttribute(n: string): string | null }[]) => els.map((e) => e.getAttribute('data-qualification')))).toEqual([
      'Découpeuse laser',
      hygiene,
    ]);
    // The API says the same.
    const api = await t.gqlOk<{ person: { qualifications: { expiresAt: string | null; qualification: { name: string } }[] } }>(
      `query($id: ID!) { person(id: $id) { qualifications { expiresAt qualification { name } } } }`,
      { id: invited.id },
      steward.token,
    );
    const grant = api.person.qualifications.find((q) => q.qualification.name === hygiene)!;
    expect(Date.parse(grant.expiresAt!)).toBeLessThanOrEqual(Date.now());
    await shot(desk, details.getByTestId('person-qualifications'), 'steward-people-revoked-desktop.png');

    // Withdrawn at another desk while this one asks: the answer is explained, and the list follows.
    const laser = details.locator('[data-testid="grant"][data-qualification="Découpeuse laser"]');
    await laser.getByTestId('grant-revoke').click();
    await t.gqlOk(`mutation($p: ID!, $q: ID!) { revokeQualification(personId: $p, qualificationId: $q) { expiresAt } }`, { p: invited.id, q: laserId }, steward.token);
    await laser.getByTestId('grant-revoke-confirm').click();
    const error = details.locator('[data-testid="error"][data-code="INVALID_STATE"]');
    await error.waitFor();
    expect(await error.innerText()).toBe(fr['error.revokeGrant.INVALID_STATE']);
    await details.locator('[data-testid="grant"][data-qualification="Découpeuse laser"][data-expired="yes"]').waitFor();

    // Given again, it is valid again.
    const form = details.getByTestId('grant-form');
    await form.getByTestId('grant-qualification').selectOption({ label: hygiene });
    expect(plain(await form.innerText())).toContain(fr['people.renewEndedHint']);
    await form.getByTestId('grant-submit').click();
    await details.getByTestId('grant-done').waitFor();
    await details.locator(`[data-testid="grant"][data-qualification="${hygiene}"][data-expired="no"]`).waitFor();
    expect((await expiresAt(hygiene)).expires_at).toBeNull();
  });

  it('ends a membership from the panel after a confirmation', async () => {
    await desk.reload();
    const panel = desk.getByTestId('people-panel');
    await panel.getByTestId('person-filter').fill('mariam');
    await panel.getByTestId('person-picker').selectOption(invited.id);
    const details = panel.getByTestId('person-details');
    const membership = details.getByTestId('membership');
    await membership.waitFor();

    await membership.getByTestId('membership-end').click();
    expect(plain(await membership.innerText())).toContain(fill(fr['people.endQ'], { name: 'Mariam Diallo', collective: collectiveName }));
    // The keyboard is on the safe answer, and back on the button after it.
    expect(await focused(desk)).toBe('membership-end-keep');
    await desk.keyboard.press('Enter');
    await membership.getByTestId('membership-end').waitFor();
    expect(await focused(desk)).toBe('membership-end');
    expect((await t.sql(`SELECT ends_at FROM membership WHERE person_id = $1`, [invited.id]))[0].ends_at).toBeNull();

    await membership.getByTestId('membership-end').click();
    await desk.screenshot({ path: join(ARTIFACTS, 'steward-people-end-confirm.png') });
    await membership.getByTestId('membership-end-confirm').click();
    await details.getByTestId('membership-done').waitFor();
    expect(plain(await details.getByTestId('membership-done').innerText())).toBe(fill(fr['people.endedDone'], { name: 'Mariam Diallo', collective: collectiveName }));
    await membership.waitFor({ state: 'detached' });
    expect(await details.getByTestId('person-memberships').innerText()).toContain(fr['people.noMembership']);
    const [row] = await t.sql(`SELECT ends_at, ends_at <= now() AS ended FROM membership WHERE person_id = $1`, [invited.id]);
    expect(row.ends_at).not.toBeNull();
    expect(row.ended).toBe(true);

    // Added back from the same page, as coordinator this time.
    const add = details.getByTestId('add-membership-form');
    await add.getByTestId('membership-collective').selectOption({ label: collectiveName });
    await add.getByTestId('membership-role').selectOption('COORDINATOR');
    await add.getByTestId('membership-add').click();
    await details.getByTestId('membership').waitFor();
    expect(await t.sql(`SELECT role FROM membership WHERE person_id = $1 AND ends_at IS NULL`, [invited.id])).toEqual([{ role: 'COORDINATOR' }]);
  });

  it('fits a 360 px phone, in French and in Arabic, without sideways scrolling', async () => {
    const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await phone.goto(`${t.baseUrl}/steward`);
    const panel = phone.getByTestId('people-panel');
    await panel.getByTestId('person-picker').locator(`option[value="${invited.id}"]`).waitFor({ state: 'attached' });
    await panel.getByTestId('person-picker').selectOption(invited.id);
    await panel.getByTestId('grant').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(phone, panel.getByTestId('person-details'), 'steward-people-person-phone.png');
    await shot(phone, panel.getByTestId('grant-form'), 'steward-people-grant-phone.png');
    // The new views on a phone: a withdrawn training, the question before a new code, and the code.
    await shot(phone, panel.getByTestId('person-qualifications'), 'steward-people-grants-phone.png');
    const newCode = panel.getByTestId('person-new-code');
    await newCode.getByTestId('new-code').click();
    await shot(phone, newCode, 'steward-people-new-code-confirm-phone.png');
    await newCode.getByTestId('new-code-confirm').click();
    await newCode.getByTestId('new-code-result').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await newCode.getByTestId('new-code-result').screenshot({ path: join(ARTIFACTS, 'steward-people-new-code-phone.png') });
    await panel.getByTestId('invite-open').click();
    await shot(phone, panel.getByTestId('invite-form'), 'steward-people-invite-phone.png');
    await panel.getByTestId('invite-collective').selectOption({ label: collectiveName });
    await shot(phone, panel.getByTestId('invite-locale'), 'steward-people-invite-phone-2.png');
    await phone.getByTestId('collectives-panel').getByTestId('collective-open').click();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(phone, phone.getByTestId('collectives-panel'), 'steward-people-collectives-phone.png');
    await shot(phone, phone.getByTestId('collective-description'), 'steward-people-collectives-phone-2.png');
    await phone.context().close();

    // In Arabic: a name in Arabic script gets a Latin login name, and the code reads left to right.
    const arabic = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await arabic.goto(`${t.baseUrl}/steward`);
    expect(await arabic.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const arPanel = arabic.getByTestId('people-panel');
    await arPanel.getByTestId('invite-open').click();
    await arPanel.getByTestId('invite-name').fill('فاطمة الزهراء');
    await arPanel.getByTestId('invite-locale').selectOption('ar');
    await arPanel.getByTestId('invite-submit').click();
    const result = arPanel.getByTestId('invite-result');
    await result.waitFor();
    expect(plain(await result.innerText())).toContain(ar['people.codeOnce']);
    expect((await result.getByTestId('invite-handle').innerText()).trim()).toMatch(/^[a-z0-9._-]+$/);
    expect(await arabic.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(arabic, result, 'steward-people-invited-phone-ar.png');

    // A withdrawn training and a new code, in Arabic.
    await arPanel.getByTestId('person-picker').selectOption(invited.id);
    const arDetails = arPanel.getByTestId('person-details');
    const arHygiene = arDetails.locator(`[data-testid="grant"][data-qualification="${hygiene}"]`);
    await arHygiene.getByTestId('grant-revoke').click();
    expect(plain(await arHygiene.innerText())).toContain(fill(ar['people.revokeQ'], { name: 'Mariam Diallo', qualification: hygiene }));
    expect(plain(await arDetails.locator('[data-testid="grant"][data-expired="yes"]').innerText())).toContain(ar['people.expired']);
    expect(await arabic.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(arabic, arDetails.getByTestId('person-qualifications'), 'steward-people-revoke-phone-ar.png');
    await arHygiene.getByTestId('grant-revoke-keep').click();
    const arNewCode = arDetails.getByTestId('person-new-code');
    await arNewCode.getByTestId('new-code').click();
    expect(plain(await arNewCode.innerText())).toContain(ar['people.newCodePasswordWorks']);
    await shot(arabic, arNewCode, 'steward-people-new-code-confirm-phone-ar.png');
    await arNewCode.getByTestId('new-code-confirm').click();
    const arCode = arNewCode.getByTestId('new-code-result');
    await arCode.waitFor();
    expect(plain(await arCode.innerText())).toContain(fill(ar['people.newCodeGiven'], { name: 'Mariam Diallo' }));
    expect(await arabic.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await arCode.screenshot({ path: join(ARTIFACTS, 'steward-people-new-code-phone-ar.png') });
    await arabic.context().close();
  });

  it('names an admin’s role in Arabic with its own word, not the menu’s word for the steward’s page, and joins roles the Arabic way', async () => {
    const admin = await house.person({ roles: [Role.STEWARD, Role.ADMIN], password: PASSWORD });
    const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, admin.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await phone.goto(`${t.baseUrl}/account`);
    const role = plain(await phone.getByTestId('my-roles').innerText()).trim();
    const menu = plain((await phone.getByTestId('nav-steward').textContent()) ?? '').trim();
    // "الفريق وإدارة النظام": joined with و, not a Latin comma.
    expect(role).toBe(`${ar['role.STEWARD']} و${ar['role.ADMIN']}`);
    expect(menu).toBe(ar['nav.steward']);
    expect(role).not.toContain(menu);
    await shot(phone, phone.getByTestId('my-roles'), 'account-admin-phone-ar.png');
    await phone.context().close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
