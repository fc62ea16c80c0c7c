/**
 * My page and day-long bookings in a real browser, on a phone:
 * - "My bookings" lists the coming bookings of my collectives (not others'), with both days
 *   of one that spans several, opens one, cancels it, and follows a colleague's booking live;
 *   a booking cancelled from its details leaves the keyboard on the next one in the list, or on
 *   the list's heading; each names its space as a steward renames it, live, without reload;
 * - a locker taken by the day: one time label a day, lengths in days, dates on the block;
 * - in the evening, once the day's last opening hour has passed, the phone agenda opens on
 *   tomorrow rather than on a day all in grey (the browser's clock is set for that);
 * - the booking and proposal forms say what is missing rather than grey their button, and
 *   booking inside the cancellation notice warns first.
 * Screenshots go to test/artifacts/. Runs on the real clock otherwise.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, PHONE, ZONE, launchChromium, loginPage, plain, requireBuiltClient, translations, waitLive } from './browser-support';

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
declare const window: unknown;
declare const document: {
  body: unknown;
  activeElement: { id: string; getAttribute(name: string): string | null; closest(selector: string): unknown } | null;
};

const PASSWORD = 'mes-reservations-2027';
const fr = translations('fr');

describe('my page and day-long bookings in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let steward: TestPerson;
  let member: TestPerson;
  let collectiveId: string;
  let otherCollectiveId: string;
  let room: string;
  let locker: string;
  const pageErrors: string[] = [];

  const nextMonday = DateTime.now().setZone(ZONE).startOf('week').plus({ weeks: 1 });
  const roomStart = nextMonday.set({ hour: 10 });
  const lockerStart = nextMonday.plus({ days: 2 });

  async function book(resourceId: string, collective: string, start: DateTime, end: DateTime, title: string, token = steward.token): Promise<string> {
    const data = await t.gqlOk(BOOK, { input: { resourceId, collectiveId: collective, title, startsAt: start.toISO(), endsAt: end.toISO() } }, token);
    return data.book[0].id;
  }

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    const house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    const spaces = new SpacesBuilder(t, steward.token);
    room = await spaces.resource({ name: 'Salle de réunion', slotMinutes: 30, minMinutes: 60, maxMinutes: 480, openingHours: hours(EVERY_DAY, '08:00', '20:00') });
    locker = await spaces.resource({ name: 'Casier 3', kind: 'STORAGE', slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080, openingHours: hours(EVERY_DAY, '00:00', '24:00') });
    const collective = await house.collective({ name: 'Parallax' });
    const other = await house.collective({ name: 'Voisins' });
    collectiveId = collective.id;
    otherCollectiveId = other.id;
    member = await house.person({ password: PASSWORD });
    await house.membership(member.id, collectiveId);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const phone = async (lang?: string): Promise<Page> => {
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, member.handle, PASSWORD, { pageErrors, lang });
    await waitLive(page);
    return page;
  };

  it("lists my collectives' coming bookings, opens one, cancels it, and follows a colleague's live", async () => {
    const roomBooking = await book(room, collectiveId, roomStart, roomStart.plus({ hours: 2 }), 'Atelier couture');
    const lockerBooking = await book(locker, collectiveId, lockerStart, lockerStart.plus({ days: 3 }), 'Tissus');
    await book(room, otherCollectiveId, roomStart.plus({ hours: 4 }), roomStart.plus({ hours: 5 }), 'Pas à nous');

    const page = await phone();
    await page.goto(`${t.baseUrl}/account`);
    const rows = page.getByTestId('my-booking');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-booking-id')))).toEqual([roomBooking, lockerBooking]);
    // A booking over several days names both days.
    const lockerText = plain(await rows.nth(1).innerText());
    for (const day of [lockerStart, lockerStart.plus({ days: 3 })]) {
      expect(lockerText).toContain(plain(day.setLocale('fr-BE').toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' })));
    }
    await page.getByTestId('my-bookings').screenshot({ path: join(ARTIFACTS, 'my-bookings-phone.png') });

    // A colleague books: it shows up without reloading.
    const colleague = await book(room, collectiveId, roomStart.plus({ days: 1 }), roomStart.plus({ days: 1, hours: 1 }), 'Réunion', steward.token);
    await page.locator(`[data-testid="my-booking"][data-booking-id="${colleague}"]`).waitFor({ timeout: 5000 });

    // Open the first one and cancel it.
    await rows.first().click();
    const details = page.getByTestId('booking-details');
    await details.getByTestId('cancel-booking').click();
    await details.getByTestId('cancel-confirm').click();
    await page.getByTestId('my-bookings-notice').waitFor();
    expect(await page.getByTestId('my-bookings-notice').innerText()).toBe(fr['cancel.done']);
    expect(await page.locator(`[data-testid="my-booking"][data-booking-id="${roomBooking}"]`).count()).toBe(0);
    expect((await t.sql(`SELECT status FROM booking WHERE id = $1`, [roomBooking]))[0].status).toBe('CANCELLED');
    await page.context().close();
  });

  it('shows a locker taken by the day in days: one label a day, lengths in days, both dates on the booking', async () => {
    const page = await phone();
    const monday = nextMonday.toISODate();
    await page.goto(`${t.baseUrl}/agenda?r=${locker}&w=${monday}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${locker}"][data-week="${monday}"][aria-busy="false"]`).waitFor();
    expect(await page.locator('.cal-time').count()).toBe(1);
    // Wednesday holds the 3-day booking; its block says from which day to which.
    await page.getByTestId('day-button').nth(2).click();
    const block = page.getByTestId('booking').first();
    await block.waitFor();
    const meta = plain(await block.locator('.booking-meta').last().innerText());
    expect(meta).not.toBe('00:00 – 00:00');
    expect(meta).toContain(plain(lockerStart.plus({ days: 3 }).setLocale('fr-BE').toLocaleString({ day: 'numeric', month: 'short' })));
    // Monday is free: its lengths read in days.
    await page.getByTestId('day-button').nth(0).click();
    await page.getByTestId('free-slot').first().click();
    const options = await page.getByTestId('book-duration').locator('option').allInnerTexts();
    const shortDay = (d: DateTime) => plain(d.setLocale('fr-BE').toLocaleString({ day: 'numeric', month: 'short' }));
    expect(plain(options[0])).toBe(`1 jour (${shortDay(nextMonday)})`);
    expect(plain(options[1])).toBe(`2 jours (${shortDay(nextMonday)} – ${shortDay(nextMonday.plus({ days: 1 }))})`);
    await page.screenshot({ path: join(ARTIFACTS, 'locker-dialog-phone.png') });
    await page.context().close();
  });

  it("opens the phone agenda on tomorrow once today's last opening hour has passed", async () => {
    const context = await browser.newContext(PHONE);
    // Wednesday of next week, 21:30 in Brussels: the room closes at 20:00.
    const evening = nextMonday.plus({ days: 2 }).set({ hour: 21, minute: 30 });
    await context.clock.setFixedTime(evening.toJSDate());
    const page = await loginPage(context, t.baseUrl, member.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/agenda?r=${room}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${room}"][aria-busy="false"]`).waitFor();
    const pressed = await page.getByTestId('day-button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')));
    expect(pressed.indexOf('true')).toBe(3);
    // At 19:00 the same day, today is shown.
    await context.clock.setFixedTime(evening.set({ hour: 19 }).toJSDate());
    await page.reload();
    await page.locator(`[data-testid="calendar-grid"][data-resource="${room}"][aria-busy="false"]`).waitFor();
    expect((await page.getByTestId('day-button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')))).indexOf('true')).toBe(2);
    await context.close();
  });

  it('says what is missing instead of greying the buttons, and warns before booking inside the cancellation notice', async () => {
    const context = await browser.newContext(PHONE);
    // Next Monday 09:10 in Brussels: 09:30 starts inside the 60-minute notice, 16:00 does not.
    await context.clock.setFixedTime(nextMonday.set({ hour: 9, minute: 10 }).toJSDate());
    const page = await loginPage(context, t.baseUrl, member.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/agenda?r=${room}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${room}"][aria-busy="false"]`).waitFor();
    const slot = (at: DateTime) => page.locator(`[data-testid="free-slot"][data-starts-at="${at.toUTC().toISO({ suppressMilliseconds: true })}"]`);

    await slot(nextMonday.set({ hour: 9, minute: 30 })).click();
    const dialog = page.getByTestId('book-dialog');
    expect(plain(await dialog.getByTestId('book-inside-notice').innerText())).toBe(plain(fr['book.insideNotice'].replace('{n}', '1 heure')));
    // No title: the button works and says so; nothing is booked.
    const before = await t.sql(`SELECT count(*)::int AS n FROM booking WHERE resource_id = $1`, [room]);
    expect(await dialog.getByTestId('book-submit').isDisabled()).toBe(false);
    await dialog.getByTestId('book-submit').click();
    expect(await dialog.getByTestId('field-error').innerText()).toBe(fr['book.titleMissing']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM booking WHERE resource_id = $1`, [room])).toEqual(before);
    await dialog.getByTestId('book-cancel').click();

    await slot(nextMonday.set({ hour: 16 })).click();
    await dialog.getByTestId('book-title').waitFor();
    expect(await dialog.getByTestId('book-inside-notice').count()).toBe(0);
    await dialog.getByTestId('book-cancel').click();

    // The proposal form likewise.
    await page.goto(`${t.baseUrl}/proposals`);
    await page.getByTestId('new-proposal').click();
    await page.getByTestId('proposal-submit').click();
    expect(await page.getByTestId('proposal-dialog').getByTestId('field-error').allInnerTexts()).toEqual([fr['proposals.form.titleMissing'], fr['proposals.form.bodyMissing']]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM proposal`)).toEqual([{ n: 0 }]);
    await context.close();
  });

  it('leaves the keyboard on the next booking in My bookings after a cancellation from its details, then on the list’s heading', async () => {
    // Later than the other bookings of the collective: the last two of the list.
    const day = nextMonday.plus({ weeks: 6, days: 1 });
    const earlier = await book(room, collectiveId, day.set({ hour: 10 }), day.set({ hour: 11 }), 'Cercle de parole', member.token);
    const later = await book(room, collectiveId, day.set({ hour: 14 }), day.set({ hour: 15 }), 'Goûter des familles', member.token);
    const focused = (page: Page) =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { body: el === document.body, inList: !!el?.closest('[data-testid="my-bookings"]'), id: el?.id || null, booking: el?.getAttribute('data-booking-id') ?? null };
      });
    // The keyboard's place once the dialog is gone (not the body, when it has one).
    const settled = (page: Page) => page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 3000 }).catch(() => undefined);
    const page = await phone();
    await page.goto(`${t.baseUrl}/account`);
    const row = (id: string) => page.locator(`[data-testid="my-booking"][data-booking-id="${id}"]`);
    const ids = () => page.getByTestId('my-booking').evaluateAll((els) => els.map((e) => e.getAttribute('data-booking-id')));
    await row(later).waitFor();
    expect((await ids()).slice(-2)).toEqual([earlier, later]);

    // With the keyboard: the row focused, Enter opens its details; cancelled there.
    await row(earlier).focus();
    await page.keyboard.press('Enter');
    const details = page.getByTestId('booking-details');
    await details.getByTestId('cancel-booking').click();
    await details.getByTestId('cancel-confirm').click();
    await details.waitFor({ state: 'detached' });
    await row(earlier).waitFor({ state: 'detached' });
    await settled(page);
    expect(await focused(page)).toEqual({ body: false, inList: true, id: null, booking: later });

    // The last one: the list's heading.
    await page.keyboard.press('Enter');
    await details.getByTestId('cancel-booking').click();
    await details.getByTestId('cancel-confirm').click();
    await details.waitFor({ state: 'detached' });
    await row(later).waitFor({ state: 'detached' });
    await settled(page);
    expect(await focused(page)).toEqual({ body: false, inList: true, id: 'my-bookings-h', booking: null });
    await page.getByTestId('my-bookings').screenshot({ path: join(ARTIFACTS, 'my-bookings-cancelled-focus-phone.png') });
    await page.context().close();
  });

  it('names each booking’s space as a steward renames it, live, without reload', async () => {
    const spaces = new SpacesBuilder(t, steward.token);
    const hall = await spaces.resource({ name: 'Salle polyvalente', openingHours: hours(EVERY_DAY, '08:00', '20:00') });
    const day = nextMonday.plus({ weeks: 7 });
    const id = await book(hall, collectiveId, day.set({ hour: 10 }), day.set({ hour: 12 }), 'Assemblée des voisins', member.token);
    const page = await phone();
    await page.goto(`${t.baseUrl}/account`);
    const space = page.locator(`[data-testid="my-booking"][data-booking-id="${id}"]`).getByTestId('my-booking-space');
    expect(plain(await space.innerText()).trim()).toBe('Salle polyvalente');
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));

    // The steward renames it (the rest of the space as it is): the row follows.
    const { resource } = await t.gqlOk(
      `query($id: ID!) { resource(id: $id) { name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes zone { id } openingHours { weekday opens closes } } }`,
      { id: hall },
      steward.token,
    );
    const { zone, ...rest } = resource;
    await t.gqlOk(`mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id } }`, { id: hall, input: { ...rest, zoneId: zone.id, name: 'Salle des fêtes' } }, steward.token);
    await space.getByText('Salle des fêtes', { exact: true }).waitFor({ timeout: 3000 });
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true)).toBe(true);
    // And so do its details.
    await page.locator(`[data-testid="my-booking"][data-booking-id="${id}"]`).click();
    expect(plain(await page.getByTestId('booking-details').getByTestId('booking-resource').innerText()).trim()).toBe('Salle des fêtes');
    await page.context().close();
  });

  it("leaves a membership withdrawn before it began out of the steward's list of a person's collectives", async () => {
    const house = new HouseBuilder(t);
    const person = await house.person();
    const startsAt = nextMonday.plus({ days: 10 }).toJSDate();
    const withdrawn = await house.membership(person.id, otherCollectiveId, { startsAt });
    await t.gqlOk(`mutation($id: ID!) { endMembership(id: $id) { id } }`, { id: withdrawn }, steward.token);
    await house.membership(person.id, collectiveId, { startsAt });
    const desk = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await desk.goto(`${t.baseUrl}/steward`);
    const option = desk.getByTestId('person-picker').locator(`option[value="${person.id}"]`);
    await option.waitFor({ state: 'attached' });
    const text = await option.innerText();
    expect(text).toContain('Parallax');
    expect(text).not.toContain('Voisins');
    await desk.context().close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
