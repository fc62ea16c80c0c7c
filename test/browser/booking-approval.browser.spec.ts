/**
 * Bookings that need the team, limits and late cancellations in a real browser:
 * - a member without the laser induction is offered no slot and is told to ask the team;
 * - a member books the laser cutter (approval needed) and is told the request was sent, not
 *   that it is booked; the steward accepts it from the list of requests on the steward's page and
 *   the member's agenda shows it confirmed, live; another is accepted from the booking's details,
 *   a third refused;
 * - QUOTA_EXCEEDED says how many hours are left this week, out of how many;
 * - the booking horizon (MAX_ADVANCE_DAYS): no free slot ends beyond it, the rest is labelled;
 * - inside the cancellation notice a member is told why there is no Cancel button, a page that
 *   still offers it gets the server's refusal in plain words and its confirmation closes, and a
 *   steward may still cancel;
 * - the City's auditor opening /steward lands on their own page.
 * Screenshots (phone, French and Arabic) go to test/artifacts/. Runs on the real clock.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, ZONE, launchChromium, loginPage, plain, requireBuiltClient, translations, waitLive } from './browser-support';

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
declare const window: { scrollTo(x: number, y: number): void };

const PASSWORD = 'laser-parallax-2027';
const fr = translations('fr');
const ar = translations('ar');
const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true })!;

describe('bookings that need approval, limits and late cancellation in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  let steward: TestPerson;
  let olena: TestPerson & { collectiveId: string };
  let noInduction: TestPerson;
  let auditor: TestPerson;
  let laser: string;
  let room: string;
  let sewing: string;

  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
  const laserSlot = tomorrow.set({ hour: 10 });
  const laserSlot2 = tomorrow.set({ hour: 14 });
  const laserSlot3 = tomorrow.set({ hour: 18 });
  const roomSlot = tomorrow.set({ hour: 14 });
  // Inside the 60-minute cancellation notice: the next half hour at least 10 minutes away (late
  // in the evening it crosses midnight, and shows on both days: tests click its first block).
  const soon = (() => {
    const n = DateTime.now().setZone(ZONE).plus({ minutes: 10 });
    return n.startOf('hour').plus({ minutes: n.minute < 30 ? 30 : 60 });
  })();

  let olenaPhone: Page;
  let laserBookingId: string;

  async function book(token: string, resourceId: string, start: DateTime, minutes: number, title: string): Promise<string> {
    const d = await t.gqlOk(BOOK, { input: { resourceId, collectiveId: olena.collectiveId, title, startsAt: start.toISO(), endsAt: start.plus({ minutes }).toISO() } }, token);
    return d.book[0].id;
  }

  /** Opens a resource's week at the day of `slot` (one day at a time on a phone). */
  async function openWeek(page: Page, resourceId: string, slot: DateTime): Promise<void> {
    const monday = slot.startOf('week').toISODate();
    await page.goto(`${t.baseUrl}/agenda?r=${resourceId}&w=${monday}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${resourceId}"][data-week="${monday}"][aria-busy="false"]`).waitFor();
    const days = page.getByTestId('day-button');
    if (await days.count()) await days.nth(slot.weekday - 1).click();
  }

  async function olenaPhoneSlots(): Promise<number> {
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, olena.handle, PASSWORD, { pageErrors });
    await openWeek(page, laser, laserSlot);
    const n = await page.getByTestId('free-slot').count();
    await page.context().close();
    return n;
  }

  const slotAt = (page: Page, start: DateTime) => page.locator(`[data-testid="free-slot"][data-starts-at="${iso(start)}"]`);
  const bookingIn = (page: Page, id: string) => page.locator(`[data-testid="booking"][data-booking-id="${id}"]`);

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    const house = new HouseBuilder(t);
    const admin = await house.admin();
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    auditor = await house.person({ roles: [Role.AUDITOR], password: PASSWORD });
    const spaces = new SpacesBuilder(t, steward.token);
    const induction = await house.qualification('Initiation laser');
    laser = await spaces.resource({
      name: 'Découpeuse laser', kind: 'WORKSHOP', capacity: 2, slotMinutes: 30, minMinutes: 60, maxMinutes: 180,
      requiresApproval: true, requiredQualificationId: induction, openingHours: hours(EVERY_DAY, '08:00', '22:00'),
    });
    room = await spaces.resource({ name: 'Salle de réunion', slotMinutes: 30, minMinutes: 60, maxMinutes: 480, openingHours: hours(EVERY_DAY, '07:00', '23:00') });
    sewing = await spaces.resource({ name: 'Atelier couture', slotMinutes: 30, minMinutes: 60, maxMinutes: 240, openingHours: hours(EVERY_DAY, '00:00', '24:00') });
    // Four hours a week of the meeting room per collective; the sewing workshop opens one day ahead.
    const setRule = `mutation($k: RuleKey!, $r: ID, $v: Int!) { setHouseRule(key: $k, resourceId: $r, value: $v) { value } }`;
    await t.gqlOk(setRule, { k: 'WEEKLY_QUOTA_MINUTES', r: room, v: 240 }, admin.token);
    await t.gqlOk(setRule, { k: 'MAX_ADVANCE_DAYS', r: sewing, v: 1 }, admin.token);

    const parallax = await house.collective({ name: 'Parallax' });
    const o = await house.person({ password: PASSWORD });
    await house.membership(o.id, parallax.id);
    await house.grant(o.id, induction);
    olena = { ...o, collectiveId: parallax.id };
    noInduction = await house.person({ password: PASSWORD });
    await house.membership(noInduction.id, parallax.id);

    browser = await launchChromium();
    olenaPhone = await loginPage(await browser.newContext(PHONE), t.baseUrl, olena.handle, PASSWORD, { pageErrors });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('offers no slot to a member without the required induction and says to ask the team', async () => {
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, noInduction.handle, PASSWORD, { pageErrors });
    const monday = laserSlot.startOf('week').toISODate();
    await page.goto(`${t.baseUrl}/agenda?r=${laser}&w=${monday}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${laser}"][data-week="${monday}"][aria-busy="false"]`).waitFor();
    expect(plain(await page.getByTestId('agenda-need-qualification').innerText())).toBe(plain(fr['agenda.needQual'].replace('{name}', 'Initiation laser')));
    expect(await page.getByTestId('free-slot').count()).toBe(0);
    expect(await page.getByTestId('no-free').count()).toBe(0);
    // Olena, who has it, sees the same week's free slots.
    expect(await olenaPhoneSlots()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('says a request was sent, not that it is booked, when the team must accept it', async () => {
    await openWeek(olenaPhone, laser, laserSlot);
    await waitLive(olenaPhone);
    await slotAt(olenaPhone, laserSlot).click();
    const dialog = olenaPhone.getByTestId('book-dialog');
    await dialog.getByTestId('book-title').fill('Panneaux pour la fête');
    await olenaPhone.screenshot({ path: join(ARTIFACTS, 'laser-dialog-phone.png') });
    const [response] = await Promise.all([
      olenaPhone.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('mutation Book')),
      dialog.getByTestId('book-submit').click(),
    ]);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    laserBookingId = body.data.book[0].id;
    expect(body.data.book[0].status).toBe('PENDING');

    await dialog.waitFor({ state: 'detached' });
    expect(await olenaPhone.getByTestId('notice').innerText()).toBe(fr['book.requested']);
    expect(await olenaPhone.getByTestId('notice').innerText()).not.toBe(fr['book.done']);
    await bookingIn(olenaPhone, laserBookingId).waitFor();
    expect(await bookingIn(olenaPhone, laserBookingId).getAttribute('data-status')).toBe('PENDING');
    await olenaPhone.evaluate(() => window.scrollTo(0, 0));
    await olenaPhone.screenshot({ path: join(ARTIFACTS, 'laser-requested-phone.png') });

    // The details say it waits for the team, and a member has nothing to accept.
    await bookingIn(olenaPhone, laserBookingId).click();
    const details = olenaPhone.getByTestId('booking-details');
    expect(await details.getByTestId('booking-status').innerText()).toBe(fr['status.PENDING']);
    await details.getByTestId('pending-info').waitFor();
    expect(await details.getByTestId('approve-booking').count()).toBe(0);
    await details.getByTestId('dialog-close').click();
  });

  it('lets the steward accept a request from the steward page; the member then sees it confirmed, live', async () => {
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/steward`);
    const item = page.locator(`[data-testid="pending-booking"][data-booking-id="${laserBookingId}"]`);
    await item.waitFor();
    expect(await item.innerText()).toContain('Panneaux pour la fête');
    expect(await item.innerText()).toContain('Parallax');
    await page.screenshot({ path: join(ARTIFACTS, 'steward-pending-phone.png') });

    await item.getByTestId('pending-approve').click();
    await item.waitFor({ state: 'detached' });
    const done = plain(await page.getByTestId('pending-done').innerText());
    expect(done).toBe(fr['pending.accepted'].replace('{title}', 'Panneaux pour la fête').replace(/\s/g, ' '));

    // The member's phone, still open on the laser's week: confirmed without reload.
    await olenaPhone.locator(`[data-testid="booking"][data-booking-id="${laserBookingId}"][data-status="CONFIRMED"]`).waitFor({ timeout: 3000 });
    await bookingIn(olenaPhone, laserBookingId).click();
    expect(await olenaPhone.getByTestId('booking-details').getByTestId('booking-status').innerText()).toBe(fr['status.CONFIRMED']);
    await olenaPhone.getByTestId('dialog-close').click();

    // A refusal, from the same list.
    const refusedId = await book(olena.token, laser, laserSlot3, 60, 'Essai de gravure');
    const refused = page.locator(`[data-testid="pending-booking"][data-booking-id="${refusedId}"]`);
    await refused.waitFor({ timeout: 3000 });
    await refused.getByTestId('pending-refuse').click();
    await refused.getByTestId('pending-refuse-confirm').click();
    await refused.waitFor({ state: 'detached' });
    const status = await t.gqlOk(`query($id: ID!) { booking(id: $id) { status } }`, { id: refusedId }, steward.token);
    expect(status.booking.status).toBe('CANCELLED');
    await page.getByTestId('pending-empty').waitFor();

    // In Arabic, with a request waiting.
    const arabicId = await book(olena.token, laser, laserSlot3.plus({ days: 1 }), 60, 'Panneaux');
    await page.getByTestId('lang-switcher').selectOption('ar');
    await page.locator(`[data-testid="pending-booking"][data-booking-id="${arabicId}"]`).waitFor({ timeout: 3000 });
    expect(await page.locator('#pending-h').innerText()).toContain(ar['pending.title']);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'steward-pending-phone-ar.png') });
    await page.getByTestId('lang-switcher').selectOption('fr'); // the choice is kept on the account
    await page.locator('html[lang="fr"]').waitFor();
    await page.waitForLoadState('networkidle');
    await page.context().close();
  });

  it('lets the steward accept a request from the booking details in the agenda', async () => {
    const pendingId = await book(olena.token, laser, laserSlot2, 60, 'Découpe carton');
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await openWeek(page, laser, laserSlot2);
    await bookingIn(page, pendingId).click();
    const details = page.getByTestId('booking-details');
    expect(await details.getByTestId('booking-status').innerText()).toBe(fr['status.PENDING']);
    await details.getByTestId('approve-booking').click();
    await details.locator('[data-testid="booking-status"][data-status="CONFIRMED"]').waitFor();
    expect(await details.getByTestId('approved').innerText()).toBe(fr['booking.approved']);
    expect(await details.getByTestId('approve-booking').count()).toBe(0);
    await details.getByTestId('dialog-close').click();
    expect(await bookingIn(page, pendingId).getAttribute('data-status')).toBe('CONFIRMED');
    await page.context().close();
  });

  it('says how many hours of the week are left when the quota is reached', async () => {
    // Two of the four hours of that week are already held.
    await book(olena.token, room, roomSlot.set({ hour: 8 }), 120, 'Réunion du matin');
    await openWeek(olenaPhone, room, roomSlot);
    await slotAt(olenaPhone, roomSlot).click();
    const dialog = olenaPhone.getByTestId('book-dialog');
    await dialog.getByTestId('book-title').fill('Assemblée');
    await dialog.getByTestId('book-duration').selectOption('180');
    // The price is known before booking: three hours at the standard rate (12 € an hour).
    const price = dialog.getByTestId('book-price');
    const euros = (cents: number) => olenaPhone.evaluate((c) => new Intl.NumberFormat('fr', { style: 'currency', currency: 'EUR' }).format(c / 100), cents);
    expect(await price.getAttribute('data-cents')).toBe('3600');
    expect(plain(await price.innerText())).toBe(plain(fr['book.price'].replace('{price}', await euros(3600))));
    await dialog.getByTestId('book-repeat').check();
    expect(plain(await price.innerText())).toBe(plain(fr['book.priceEach'].replace('{price}', await euros(3600)).replace('{total}', await euros(14400)).replace('{n}', '4')));
    await dialog.getByTestId('book-repeat').uncheck();
    await dialog.getByTestId('book-submit').click();
    const error = dialog.locator('[data-testid="error"][data-code="QUOTA_EXCEEDED"]');
    await error.waitFor();
    // The words of the page's language, with the hours as Intl writes them there.
    const expected = await olenaPhone.evaluate(
      ([text, week]) => {
        const h = (n: number) => new Intl.NumberFormat('fr', { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(n);
        const w = new Date(week).toLocaleDateString('fr', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Brussels' });
        return text.replace('{left}', h(2)).replace('{quota}', h(4)).replace('{week}', w);
      },
      [fr['error.quota.left'], roomSlot.startOf('week').toISO()!] as const,
    );
    expect(plain(await error.innerText())).toBe(plain(expected));
    await olenaPhone.waitForTimeout(400); // the error scrolls into view smoothly
    await olenaPhone.screenshot({ path: join(ARTIFACTS, 'quota-error-phone.png') });

    // Two hours still fit.
    await dialog.getByTestId('book-duration').selectOption('120');
    const shownCents = Number(await price.getAttribute('data-cents'));
    await dialog.getByTestId('book-submit').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await olenaPhone.getByTestId('notice').innerText()).toBe(fr['book.done']);
    // What the form said is what the server charged.
    const [charged] = await t.sql(`SELECT price_cents FROM booking WHERE resource_id = $1 AND starts_at = $2`, [room, roomSlot.toJSDate()]);
    expect(charged.price_cents).toBe(shownCents);
    expect(shownCents).toBe(2400);
  });

  it('offers no slot that ends beyond the booking horizon, and labels the time past it', async () => {
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, olena.handle, PASSWORD, { pageErrors });
    const horizon = DateTime.now().setZone(ZONE).plus({ days: 1 });
    await openWeek(page, sewing, horizon);
    await page.getByTestId('horizon-note').waitFor();
    const starts = await page.getByTestId('free-slot').evaluateAll((els) => els.map((e) => e.getAttribute('data-starts-at')!));
    expect(starts.length).toBeGreaterThan(0);
    for (const s of starts) expect(Date.parse(s) + 60 * 60_000).toBeLessThanOrEqual(horizon.toMillis() + 60_000);
    // The horizon's day is marked from then on, and days after it as a whole.
    const marked = page.locator(`.cal-col[data-date="${horizon.toISODate()}"] [data-testid="beyond-horizon"]`);
    await marked.waitFor();
    const laterDays = 7 - horizon.weekday;
    expect(await page.getByTestId('beyond-horizon').count()).toBe(1 + laterDays);
    if (laterDays > 0) expect(await page.getByTestId('beyond-horizon').last().innerText()).toContain(fr['agenda.bookableUntil'].replace(/\{date\}.*/, '').trim());
    await page.context().close();
  });

  it('explains a member cannot cancel inside the notice, maps the refusal, and lets a steward cancel', async () => {
    const lateId = await book(olena.token, sewing, soon, 60, 'Retouches');

    // The member: no Cancel button, and why.
    await openWeek(olenaPhone, sewing, soon);
    await bookingIn(olenaPhone, lateId).first().click();
    const details = olenaPhone.getByTestId('booking-details');
    await details.getByTestId('cancel-too-late').waitFor();
    expect(plain(await details.getByTestId('cancel-too-late').innerText())).toContain(plain(fr['cancel.tooLate'].split('{n}')[0].trim()));
    expect(await details.getByTestId('cancel-booking').count()).toBe(0);
    await olenaPhone.screenshot({ path: join(ARTIFACTS, 'late-cancel-phone.png') });
    await details.getByTestId('dialog-close').click();

    // A page whose rules are out of date still offers Cancel: the server's refusal in plain words.
    const stale = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, olena.handle, PASSWORD, { pageErrors });
    await stale.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('query HouseRules')) return route.continue();
      const response = await route.fetch();
      const json = await response.json();
      for (const r of json.data.houseRules) if (r.key === 'CANCELLATION_NOTICE_MINUTES') r.value = 0;
      await route.fulfill({ response, json });
    });
    await openWeek(stale, sewing, soon);
    await bookingIn(stale, lateId).first().click();
    const staleDetails = stale.getByTestId('booking-details');
    await staleDetails.getByTestId('cancel-booking').click();
    await staleDetails.getByTestId('cancel-confirm').click();
    const error = staleDetails.locator('[data-testid="error"][data-code="INVALID_STATE"]');
    await error.waitFor();
    expect(await error.innerText()).toBe(fr['error.cancel.BAD_USER_INPUT']);
    expect(await staleDetails.getByTestId('cancel-confirm').count()).toBe(0); // the question closed
    await stale.context().close();

    // A steward may still cancel it.
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await openWeek(page, sewing, soon);
    await bookingIn(page, lateId).first().click();
    const stewardDetails = page.getByTestId('booking-details');
    expect(await stewardDetails.getByTestId('cancel-too-late').count()).toBe(0);
    await stewardDetails.getByTestId('cancel-booking').click();
    await stewardDetails.getByTestId('cancel-confirm').click();
    await stewardDetails.waitFor({ state: 'detached' });
    expect(await page.getByTestId('notice').innerText()).toBe(fr['cancel.done']);
    await page.context().close();
  });

  it('sends the City auditor who opens /steward to their own page', async () => {
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, auditor.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/steward`);
    await page.waitForURL(/\/city$/);
    expect(await page.getByTestId('issue-badge-form').count()).toBe(0);
    expect(await page.getByTestId('pending-panel').count()).toBe(0);
    await page.context().close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
