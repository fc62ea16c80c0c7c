/**
 * Accessibility in a real browser, measured with axe-core (WCAG 2.0 and 2.1, levels A and AA):
 * no serious or critical violation on the login page; a member's agenda with bookings on a
 * phone, in French and in Arabic, with the booking dialog and a booking's details open; My page;
 * the votes, a proposal with its ballot (before and after voting) and a closed one with its
 * result; the house rules; each panel of the steward's page and the forms its buttons open (a
 * space's form adding a name in another language too); the City's page for an auditor. A
 * failure names each rule broken, what it asks and the elements that break it, so that it can
 * be fixed (in the app: a rule is left out for one element only where it is wrong there, with
 * the reason). The phone's day strip names each day once, by its whole date (today said), and
 * shows its number, which that name holds.
 *
 * And a member books a free slot with the keyboard alone on a desktop: Tab (and Shift+Tab)
 * reaches a slot, visibly and not hidden under the sticky headers; Enter opens the booking dialog
 * with the focus in it; Tab and Shift+Tab stay in it; Escape closes it and gives the focus back to
 * the slot; the booking is then made with Enter.
 *
 * The server's manual clock starts 80 hours before the real now, so that a proposal's discussion
 * is over and a vote has closed, and the City has past bookings and door entries; it then stays
 * at the real now of the setup (the browser has the real clock). Screenshots go to test/artifacts/.
 */
import { join } from 'node:path';
import type { AxeResults, ElementContext, Result } from 'axe-core';
import { DateTime } from 'luxon';
import { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { Scheduler } from '../../src/database/scheduler';
import { PROPOSAL_TRANSITIONS_JOB } from '../../src/governance/governance.jobs';
import { Role } from '../../src/identity/models/identity.enums';
import { doorRequest } from '../support/door-client';
import { HouseBuilder, TestPerson } from '../support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { ManualClock, TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, ZONE, fill, launchChromium, loginPage, requireBuiltClient, shot, translations } from './browser-support';

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
interface DomElement {
  getAttribute(name: string): string | null;
  closest(selector: string): DomElement | null;
  contains(other: unknown): boolean;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
declare const window: unknown;
declare const document: {
  activeElement: DomElement | null;
  body: unknown;
  querySelector(selector: string): DomElement | null;
  elementFromPoint(x: number, y: number): DomElement | null;
};
declare const getComputedStyle: (el: DomElement) => { outlineStyle: string; outlineWidth: string; boxShadow: string };
declare const axe: { run(context: ElementContext, options: object): Promise<AxeResults> };

const PASSWORD = 'accessible-a-toutes-2027';
const HOUR = 3_600_000;
/** What the house promises: WCAG 2.1 AA (axe's tags for 2.0 and 2.1, A and AA). */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

/** A violation as a person fixing it needs it: the rule, what it asks, where (at most 12 elements). */
function violationText(where: string, v: Result): string {
  const nodes = v.nodes.slice(0, 12).map((n) => {
    // The summary's first useful line says what is wrong here ("insufficient color contrast of 3.1 …").
    const why = (n.failureSummary ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !/^Fix (any|all)/.test(l))[0] ?? '';
    return `    ${n.target.map(String).join(' ')}${why ? `  — ${why}` : ''}`;
  });
  if (v.nodes.length > 12) nodes.push(`    … and ${v.nodes.length - 12} more`);
  return `[${where}] ${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
}

/** Fails with every violation found, not only the first page's. */
function expectNone(found: string[]): void {
  if (found.length) throw new Error(`${found.length} serious or critical accessibility violation(s):\n\n${found.join('\n\n')}`);
}

describe('accessibility in a browser', () => {
  let t: TestApp;
  let clock: ManualClock;
  let browser: Browser;
  const pageErrors: string[] = [];

  let steward: TestPerson;
  let member: TestPerson;
  let auditor: TestPerson;
  let typist: TestPerson;
  let room: string;
  let workshop: string;
  let openProposal: string;
  let closedProposal: string;

  // Tomorrow in Brussels, and its week (the phone agenda shows that day).
  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
  const monday = tomorrow.startOf('week').toISODate()!;

  beforeAll(async () => {
    requireBuiltClient();
    const realNow = Date.now();
    clock = new ManualClock(new Date(realNow - 80 * HOUR));
    t = await startTestApp({ clock, serveClient: true });
    const house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    auditor = await house.person({ roles: [Role.AUDITOR], password: PASSWORD });
    const spaces = new SpacesBuilder(t, steward.token);
    const hygiene = await house.qualification('Hygiène alimentaire');
    room = await spaces.resource({ name: 'Salle de réunion', capacity: 40, openingHours: hours(EVERY_DAY, '08:00', '22:00') });
    const kitchen = await spaces.resource({ name: 'Cuisine partagée', kind: 'KITCHEN', capacity: 6, requiresApproval: true, requiredQualificationId: hygiene, openingHours: hours(EVERY_DAY, '07:00', '23:00') });
    workshop = await spaces.resource({ name: 'Atelier', openingHours: hours(EVERY_DAY, '08:00', '22:00') });
    // An Arabic name for the room, as the steward's form gives it (the rest of the space as it is).
    const { resource } = await t.gqlOk(
      `query($id: ID!) { resource(id: $id) { name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes zone { id } openingHours { weekday opens closes } } }`,
      { id: room },
      steward.token,
    );
    const { zone, ...rest } = resource;
    await t.gqlOk(`mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id } }`, { id: room, input: { ...rest, zoneId: zone.id, names: [{ lang: 'ar', text: 'قاعة الاجتماعات' }] } }, steward.token);

    const atemos = await house.collective({ name: 'Atemos' });
    const univerbal = await house.collective({ name: 'Univerbal' });
    const sirius = await house.collective({ name: 'Sirius Hub' });
    const person = async (name: string, collectiveId: string) => {
      const p = await house.person({ password: PASSWORD });
      await t.sql(`UPDATE person SET display_name = $1 WHERE id = $2`, [name, p.id]);
      await house.membership(p.id, collectiveId);
      return p;
    };
    member = await person('Amina Diallo', atemos.id);
    const colleague = await person('Yusuf Karimi', univerbal.id);
    typist = await person('Leila Haddad', sirius.id);
    await house.grant(member.id, hygiene);
    const book = (who: TestPerson, collectiveId: string, resourceId: string, start: DateTime, minutes: number, title: string) =>
      t.gqlOk(BOOK, { input: { resourceId, collectiveId, title, startsAt: start.toISO(), endsAt: start.plus({ minutes }).toISO() } }, who.token);

    // The past, for the City: bookings two days and one day ago, made before they started.
    const today = DateTime.now().setZone(ZONE).startOf('day');
    await book(member, atemos.id, room, today.minus({ days: 2 }).set({ hour: 10 }), 120, 'Atelier couture');
    await book(colleague, univerbal.id, room, today.minus({ days: 1 }).set({ hour: 18 }), 180, 'Intervision des interprètes');

    // A vote already closed, and one open now.
    const propose = async (title: string, votingEndsAt: number, ruleChanges: object[]) =>
      (
        await t.gqlOk(
          `mutation($input: ProposalInput!) { createProposal(input: $input) { id } }`,
          { input: { title, body: 'Les cuisinières des repas solidaires savent souvent tard si les produits arrivent.', discussionEndsAt: new Date(realNow - 8 * HOUR).toISOString(), votingEndsAt: new Date(votingEndsAt).toISOString(), ruleChanges } },
          member.token,
        )
      ).createProposal.id as string;
    closedProposal = await propose('Réserver jusqu’à quatre mois à l’avance', realNow - 2 * HOUR, [{ key: 'MAX_ADVANCE_DAYS', value: 120 }]);
    openProposal = await propose('Annuler jusqu’à deux heures avant', realNow + 3 * 24 * HOUR, [{ key: 'CANCELLATION_NOTICE_MINUTES', value: 120 }]);

    // A door at the entrance, and entries through it, for the steward's log and the City.
    const lobby = await spaces.zone(true);
    const registered = await t.gqlOk(`mutation($z: ID!) { registerDoor(name: "Entrée", zoneId: $z) { secret door { id } } }`, { z: lobby }, steward.token);
    const door = { id: registered.registerDoor.door.id as string, secret: registered.registerDoor.secret as string };
    const uids = ['04A1B2C3D1', '04A1B2C3D2'];
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: member.id, u: uids[0] }, steward.token);
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u, label: "Badge bleu") { id } }`, { p: colleague.id, u: uids[1] }, steward.token);

    // The votes open; two people vote; the first one closes.
    clock.set(new Date(realNow - 7 * HOUR));
    const transitions = () => t.app.get(Scheduler).runNow(PROPOSAL_TRANSITIONS_JOB);
    await transitions();
    const vote = (who: TestPerson, choice: string) => t.gqlOk(`mutation($id: ID!, $c: VoteChoice!) { castVote(proposalId: $id, choice: $c) { receipt } }`, { id: closedProposal, c: choice }, who.token);
    await vote(member, 'YES');
    await vote(colleague, 'NO');
    for (const [i, uid] of uids.entries()) {
      clock.set(new Date(realNow - (5 - i) * HOUR));
      const response = await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: clock.now().getTime() });
      expect(response.body).toMatchObject({ decision: 'ALLOW' });
    }
    clock.set(new Date());
    await transitions();

    // Tomorrow: the member's booking and a colleague's in the room, a request waiting in the kitchen.
    await book(member, atemos.id, room, tomorrow.set({ hour: 10 }), 120, 'Atelier couture');
    await book(colleague, univerbal.id, room, tomorrow.set({ hour: 14 }), 90, 'Cours de français');
    await book(member, atemos.id, kitchen, tomorrow.set({ hour: 11 }), 180, 'Repas solidaire');

    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Waits until nothing is loading: a spinner or a part of the page marked busy. */
  const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'));

  /**
   * The serious and critical violations on the page as it is now, described. `exclude` leaves
   * out elements where a rule is wrong (each with its reason, at the call).
   */
  async function audit(page: Page, where: string, exclude: string[][] = []): Promise<string[]> {
    await settled(page);
    if (!(await page.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined'))) {
      await page.addScriptTag({ path: require.resolve('axe-core') });
    }
    const results = await page.evaluate(
      ([tags, excluded]) => axe.run(excluded.length ? { exclude: excluded } : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      [WCAG, exclude] as const,
    );
    return results.violations.filter((v) => BLOCKING.has(v.impact ?? '')).map((v) => violationText(where, v));
  }

  const login = async (options: BrowserContextOptions, who: TestPerson, lang?: string) =>
    loginPage(await browser.newContext(options), t.baseUrl, who.handle, PASSWORD, { pageErrors, lang });

  it('has no serious violation on the login page, in French on a desktop and in Arabic on a phone', async () => {
    const found: string[] = [];
    for (const [options, lang, where] of [[DESKTOP, 'fr', 'login, desktop, fr'], [PHONE, 'ar', 'login, phone, ar']] as const) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`login: ${error.message}`));
      await page.goto(`${t.baseUrl}/login`);
      await page.getByTestId('login-identifier').waitFor();
      if (lang !== 'fr') {
        await page.getByTestId('lang-switcher').selectOption(lang);
        await page.locator(`html[lang="${lang}"]`).waitFor();
      }
      found.push(...(await audit(page, where)));
      // A wrong password: the page's error message too.
      await page.getByTestId('login-identifier').fill(member.handle);
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('error').locator('p').waitFor();
      found.push(...(await audit(page, `${where}, wrong password`)));
      await page.screenshot({ path: join(ARTIFACTS, `a11y-login-${lang}.png`) });
      await context.close();
    }
    expectNone(found);
  });

  for (const lang of ['fr', 'ar']) {
    it(`has no serious violation on a member's phone agenda with bookings, its booking dialog and a booking's details (${lang})`, async () => {
      const found: string[] = [];
      const page = await login(PHONE, member, lang);
      await page.goto(`${t.baseUrl}/agenda?r=${room}&w=${monday}`);
      await page.locator(`[data-testid="calendar-grid"][data-week="${monday}"][aria-busy="false"]`).waitFor();
      await page.getByTestId('day-button').nth(tomorrow.weekday - 1).click();
      await page.getByTestId('booking').first().waitFor();
      expect(await page.getByTestId('booking').count()).toBe(2);
      found.push(...(await audit(page, `agenda, phone, ${lang}`)));
      await page.screenshot({ path: join(ARTIFACTS, `a11y-agenda-phone-${lang}.png`) });

      await page.getByTestId('free-slot').first().click();
      const dialog = page.getByTestId('book-dialog');
      await dialog.waitFor();
      found.push(...(await audit(page, `booking dialog, phone, ${lang}`)));
      // Pressed without a title: the form says what is missing.
      await dialog.getByTestId('book-submit').click();
      await dialog.getByTestId('field-error').waitFor();
      found.push(...(await audit(page, `booking dialog with a missing title, phone, ${lang}`)));
      await page.screenshot({ path: join(ARTIFACTS, `a11y-book-dialog-phone-${lang}.png`) });
      await dialog.getByTestId('dialog-close').click();
      await dialog.waitFor({ state: 'detached' });

      await page.getByTestId('booking').first().click();
      const details = page.getByTestId('booking-details');
      await details.waitFor();
      found.push(...(await audit(page, `booking details, phone, ${lang}`)));
      await details.getByTestId('cancel-booking').click();
      await details.getByTestId('cancel-keep').waitFor();
      found.push(...(await audit(page, `booking details asking to confirm a cancellation, phone, ${lang}`)));
      await page.screenshot({ path: join(ARTIFACTS, `a11y-booking-details-phone-${lang}.png`) });
      await page.context().close();
      expectNone(found);
    });
  }

  it('names each day of the phone’s day strip once, by its whole date, today said and the day shown pressed; each button shows its number under its short weekday (French and Arabic)', async () => {
    // This week: it has today.
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const thisMonday = today.startOf('week');
    for (const [lang, locale] of [['fr', 'fr'], ['ar', 'ar-u-nu-latn']] as const) {
      const words = translations(lang);
      const page = await login(PHONE, member, lang);
      await page.goto(`${t.baseUrl}/agenda?r=${room}&w=${thisMonday.toISODate()}`);
      await page.locator(`[data-testid="calendar-grid"][data-week="${thisMonday.toISODate()}"][aria-busy="false"]`).waitFor();
      const strip = page.getByRole('group', { name: words['agenda.chooseDay'], exact: true });
      const days = Array.from({ length: 7 }, (_, i) => thisMonday.plus({ days: i }));
      const whole = (d: DateTime) => d.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' });
      const names = days.map((d) => (d.hasSame(today, 'day') ? fill(words['agenda.dayToday'], { day: whole(d) }) : whole(d)));
      // What a screen reader reads: seven buttons, each named once; one pressed, the day shown.
      const snapshot = await strip.ariaSnapshot();
      const buttons = snapshot.split('\n').filter((line) => line.trim().startsWith('- button'));
      expect(buttons.map((line) => /^\s*- button "([^"]*)"/.exec(line)?.[1])).toEqual(names);
      expect(buttons.filter((line) => line.includes('[pressed]'))).toHaveLength(1);
      const shownDate = await page.locator('.cal-dayhead').getAttribute('data-date');
      const shown = days.findIndex((d) => d.toISODate() === shownDate);
      expect(await strip.getByRole('button', { name: names[shown], exact: true }).getAttribute('aria-pressed')).toBe('true');
      // Another day chosen: it is the one pressed, found by its whole date.
      const other = (shown + 3) % 7;
      await strip.getByRole('button', { name: names[other], exact: true }).click();
      await page.locator(`.cal-dayhead[data-date="${days[other].toISODate()}"]`).waitFor();
      expect(await strip.getByRole('button', { pressed: true }).getAttribute('aria-label')).toBe(names[other]);
      // The eyes read each day's number on its button, which its name holds (what a voice command
      // says), under the short weekday, a column head that screen readers skip (the name says it).
      const heads = await strip.locator('.dow').all();
      expect(heads).toHaveLength(7);
      for (const [i, button] of (await page.getByTestId('day-button').all()).entries()) {
        expect((await button.innerText()).trim()).toBe(String(days[i].day));
        expect(await heads[i].getAttribute('aria-hidden')).toBe('true');
        expect((await heads[i].innerText()).trim()).not.toBe('');
        const head = (await heads[i].boundingBox())!;
        const box = (await button.boundingBox())!;
        expect(head.y + head.height).toBeLessThanOrEqual(box.y);
        expect(Math.abs(head.x + head.width / 2 - (box.x + box.width / 2))).toBeLessThan(2);
        expect(box.height).toBeGreaterThanOrEqual(44);
      }
      // Monday first in reading order: on the right in Arabic.
      const first = (await page.getByTestId('day-button').first().boundingBox())!;
      const last = (await page.getByTestId('day-button').last().boundingBox())!;
      expect(lang === 'ar' ? first.x > last.x : first.x < last.x).toBe(true);
      expect(await audit(page, `day strip, phone, ${lang}`)).toEqual([]);
      await shot(page, strip, `a11y-day-strip-phone-${lang}.png`);
      await page.context().close();
    }
  });

  it('has no serious violation on My page (phone, French and Arabic)', async () => {
    const found: string[] = [];
    for (const lang of ['fr', 'ar']) {
      const page = await login(PHONE, member, lang);
      await page.goto(`${t.baseUrl}/account`);
      await page.getByTestId('my-booking').first().waitFor();
      await page.getByTestId('my-entries').waitFor();
      found.push(...(await audit(page, `my page, phone, ${lang}`)));
      await page.screenshot({ path: join(ARTIFACTS, `a11y-my-page-phone-${lang}.png`), fullPage: true });
      await page.context().close();
    }
    expectNone(found);
  });

  it('has no serious violation on the votes, a proposal and its ballot, before and after voting, and a closed vote’s result', async () => {
    const found: string[] = [];
    const page = await login(PHONE, typist);
    await page.goto(`${t.baseUrl}/proposals`);
    await page.getByTestId('proposal-card').first().waitFor();
    found.push(...(await audit(page, 'votes, phone')));
    await page.getByTestId('tab-closed').click();
    await page.locator(`[data-testid="proposal-card"][data-proposal-id="${closedProposal}"]`).waitFor();
    found.push(...(await audit(page, 'votes, closed tab, phone')));

    await page.goto(`${t.baseUrl}/proposals/${openProposal}`);
    await page.locator(`[data-testid="proposal-page"][data-status="VOTING"]`).waitFor();
    found.push(...(await audit(page, 'proposal with its ballot, phone')));
    await page.getByTestId('vote-yes').click();
    await page.getByTestId('receipt').waitFor();
    found.push(...(await audit(page, 'proposal after voting, phone')));
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-ballot-phone-fr.png') });

    await page.goto(`${t.baseUrl}/proposals/${closedProposal}`);
    await page.getByTestId('tally').waitFor();
    found.push(...(await audit(page, 'closed proposal with its result, phone')));
    await page.context().close();

    // The new proposal's form, on a desktop in Arabic.
    const desk = await login(DESKTOP, typist, 'ar');
    await desk.goto(`${t.baseUrl}/proposals`);
    await desk.getByTestId('proposal-card').first().waitFor();
    found.push(...(await audit(desk, 'votes, desktop, ar')));
    await desk.getByTestId('new-proposal').click();
    await desk.getByTestId('proposal-dialog').waitFor();
    found.push(...(await audit(desk, 'new proposal dialog, desktop, ar')));
    await desk.context().close();
    expectNone(found);
  });

  it('has no serious violation on the house rules (phone, French and Arabic)', async () => {
    const found: string[] = [];
    for (const lang of ['fr', 'ar']) {
      const page = await login(PHONE, member, lang);
      await page.goto(`${t.baseUrl}/rules`);
      await page.getByTestId('rule').first().waitFor();
      found.push(...(await audit(page, `house rules, phone, ${lang}`)));
      await page.context().close();
    }
    expectNone(found);
  });

  it('has no serious violation on any panel of the steward’s page, nor in the forms its buttons open', async () => {
    const found: string[] = [];
    const page = await login(DESKTOP, steward);
    await page.goto(`${t.baseUrl}/steward`);
    await page.getByTestId('pending-booking').waitFor();
    await page.getByTestId('space').first().waitFor();
    await page.getByTestId('door').first().waitFor();
    found.push(...(await audit(page, 'steward, desktop')));
    await page.screenshot({ path: join(ARTIFACTS, 'a11y-steward-desktop.png'), fullPage: true });

    const people = page.getByTestId('people-panel');
    await people.getByTestId('invite-open').click();
    await people.getByTestId('invite-form').waitFor();
    await people.getByTestId('invite-form').locator('button[type="submit"]').click();
    await people.getByTestId('field-error').first().waitFor();
    found.push(...(await audit(page, 'steward, invite form with its errors')));
    await people.getByTestId('person-picker').selectOption(member.id);
    await people.getByTestId('person-badges').waitFor();
    found.push(...(await audit(page, 'steward, a person chosen (collectives, trainings, badges)')));
    await page.getByTestId('badge-lost').first().click();
    await page.getByTestId('badge-keep').waitFor();
    found.push(...(await audit(page, 'steward, a badge’s confirmation')));
    await page.getByTestId('badge-keep').click();

    await page.getByTestId('pending-refuse').click();
    await page.getByTestId('pending-refuse-keep').waitFor();
    found.push(...(await audit(page, 'steward, refusing a request')));
    await page.getByTestId('pending-refuse-keep').click();

    await page.getByTestId('collective-open').click();
    await page.getByTestId('collectives-panel').locator('form').first().waitFor();
    found.push(...(await audit(page, 'steward, new collective form')));
    await page.getByTestId('training-new').click();
    await page.getByTestId('trainings-panel').locator('form').first().waitFor();
    found.push(...(await audit(page, 'steward, new training form')));
    await page.locator(`[data-testid="space"][data-space-id="${room}"] [data-testid="space-edit"]`).click();
    await page.getByTestId('spaces-panel').locator('form').first().waitFor();
    found.push(...(await audit(page, 'steward, a space’s form')));
    // Adding a name in another language: a language from the list, then a wrong code with its message.
    const adder = page.getByTestId('space-form').getByTestId('other-name-adder');
    await adder.getByTestId('other-name-choice').selectOption('ps');
    await adder.getByTestId('other-name-add').click();
    await adder.getByTestId('other-name-choice').selectOption('other');
    await adder.getByTestId('other-name-tag').fill('pachto');
    await adder.getByTestId('other-name-add').click();
    await adder.getByTestId('field-error').waitFor();
    found.push(...(await audit(page, 'steward, a space’s form adding a language, a wrong code')));
    await page.getByTestId('zone-edit').first().click();
    await page.getByTestId('zones').locator('[data-testid="zone"] form').first().waitFor();
    found.push(...(await audit(page, 'steward, a zone’s form')));
    await page.context().close();

    // The same page on a phone in Arabic.
    const phone = await login(PHONE, steward, 'ar');
    await phone.goto(`${t.baseUrl}/steward`);
    await phone.getByTestId('pending-booking').waitFor();
    await phone.getByTestId('door').first().waitFor();
    await phone.getByTestId('person-picker').selectOption(member.id);
    await phone.getByTestId('person-badges').waitFor();
    found.push(...(await audit(phone, 'steward, phone, ar')));
    await phone.screenshot({ path: join(ARTIFACTS, 'a11y-steward-phone-ar.png') });
    await phone.context().close();
    expectNone(found);
  });

  it('has no serious violation on the City’s page for an auditor (desktop, and a phone in Arabic)', async () => {
    const found: string[] = [];
    for (const [options, lang, where] of [[DESKTOP, 'fr', 'city, desktop, fr'], [PHONE, 'ar', 'city, phone, ar']] as const) {
      const page = await login(options, auditor, lang);
      await page.locator('[data-testid="nav-city"][aria-current="page"]').waitFor();
      for (const id of ['occupancy-chart', 'heatmap', 'attendance-chart']) await page.locator(`[data-testid="${id}"][aria-busy="false"]`).waitFor();
      found.push(...(await audit(page, where)));
      await page.screenshot({ path: join(ARTIFACTS, `a11y-city-${lang}.png`), fullPage: true });
      await page.context().close();
    }
    expectNone(found);
  });

  describe('with the keyboard alone', () => {
    /** The element that has the focus, as a test reads it. */
    const focused = (page: Page) =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const r = el.getBoundingClientRect();
        // What is drawn at the element's middle: the element itself, unless a sticky header covers it.
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const style = getComputedStyle(el);
        return {
          testid: el.getAttribute('data-testid'),
          startsAt: el.getAttribute('data-starts-at'),
          inDialog: !!el.closest('[role="dialog"]'),
          uncovered: !!top && (el === top || el.contains(top)),
          ring: (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none',
        };
      });

    it('books a free slot: Tab reaches it, Enter opens the dialog, Tab stays in it, Escape gives the slot back, Enter books', async () => {
      const page = await browser.newContext(DESKTOP).then((c) => c.newPage());
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(`keyboard: ${error.message}`));

      // Logging in, by keyboard too.
      await page.goto(`${t.baseUrl}/login`);
      await page.getByTestId('login-identifier').waitFor();
      for (let i = 0; i < 20 && (await focused(page))?.testid !== 'login-identifier'; i++) await page.keyboard.press('Tab');
      await page.keyboard.type(typist.handle);
      await page.keyboard.press('Tab');
      expect((await focused(page))?.testid).toBe('login-password');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.getByTestId('current-person').waitFor();

      await page.goto(`${t.baseUrl}/agenda?r=${workshop}&w=${monday}`);
      await page.locator(`[data-testid="calendar-grid"][data-resource="${workshop}"][aria-busy="false"]`).waitFor();
      await page.getByTestId('free-slot').first().waitFor();

      // Tab until a free slot has the focus: it shows a ring, and no sticky header hides it.
      let slot = null;
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f?.testid === 'free-slot') {
          slot = f;
          break;
        }
      }
      expect(slot).toMatchObject({ testid: 'free-slot', ring: true, uncovered: true });
      // Further down the grid and back up with Shift+Tab: each slot stays in sight.
      const path: string[] = [];
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        path.push(`${f?.testid}:${f?.startsAt}:${f?.uncovered}:${f?.ring}`);
      }
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Shift+Tab');
        const f = await focused(page);
        path.push(`${f?.testid}:${f?.startsAt}:${f?.uncovered}:${f?.ring}`);
      }
      expect(path.filter((p) => !p.endsWith(':true:true'))).toEqual([]);
      const start = (await focused(page))!.startsAt;
      expect(start).toBe(slot!.startsAt);

      // Enter opens the dialog, with the focus in it (in its first field, on a desktop).
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('book-dialog');
      await dialog.waitFor();
      expect(await focused(page)).toMatchObject({ inDialog: true, testid: 'book-title' });
      // Tab and Shift+Tab go round the dialog, never out of it.
      const outside: string[] = [];
      const seen = new Set<string>();
      for (const key of [...Array(15).fill('Tab'), ...Array(15).fill('Shift+Tab')] as string[]) {
        await page.keyboard.press(key);
        const f = await focused(page);
        if (!f?.inDialog || !f.ring) outside.push(`${key} → ${JSON.stringify(f)}`);
        if (f?.testid) seen.add(f.testid);
      }
      expect(outside).toEqual([]);
      expect([...seen]).toEqual(expect.arrayContaining(['book-title', 'book-submit', 'book-cancel', 'dialog-close']));

      // Escape closes it, and the focus is back on the slot that opened it.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await focused(page)).toMatchObject({ testid: 'free-slot', startsAt: start });

      // Again, and this time the booking is made, with Enter on its button.
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.type('Répétition de la chorale');
      for (let i = 0; i < 20 && (await focused(page))?.testid !== 'book-submit'; i++) await page.keyboard.press('Tab');
      expect((await focused(page))?.testid).toBe('book-submit');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('notice').waitFor();
      const made = await t.sql(`SELECT title FROM booking WHERE resource_id = $1 AND starts_at = $2`, [workshop, new Date(start!)]);
      expect(made).toEqual([{ title: 'Répétition de la chorale' }]);
      // The slot is taken now: the keyboard is not dropped at the top of the page, but on the new booking.
      expect(await focused(page)).toMatchObject({ testid: 'booking' });
      await page.screenshot({ path: join(ARTIFACTS, 'a11y-keyboard-booked-desktop.png') });
      await page.context().close();
    });
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
