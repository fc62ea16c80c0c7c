/**
 * The agenda's space in a real browser, on a phone:
 * - without `r` in the address, the agenda opens on the space this phone showed last (a space
 *   chosen in the picker, a link's space, or all of them), whatever the interface language,
 *   rather than the first by the name shown; a remembered space that no longer exists gives
 *   the first again, and a link's space still wins;
 * - an open booking's details name its space as it is now: a steward renames it, then gives it
 *   an Arabic name, and the Arabic reader's open dialog follows without reload;
 * - a booking cancelled from its details leaves the keyboard in the agenda: on the free slot
 *   where it started (Enter there books that time again), or, with no slot to offer (all the
 *   spaces shown), on its day's heading; never on the page's body.
 * Screenshots (phone, Arabic) go to test/artifacts/. Runs on the real clock.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, ZONE, launchChromium, loginPage, plain, requireBuiltClient, waitLive } from './browser-support';

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
declare const window: unknown;
declare const localStorage: { setItem(key: string, value: string): void };
declare const document: {
  body: unknown;
  activeElement: { getAttribute(name: string): string | null; closest(selector: string): unknown; matches(selector: string): boolean } | null;
};

const PASSWORD = 'salle-choisie-2027';
const KITCHEN_AR = 'المطبخ المشترك';
const ROOM_AR = 'قاعة الاجتماعات';

describe('the agenda’s space in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let steward: TestPerson;
  let member: TestPerson;
  let collectiveId: string;
  let workshop: string;
  let kitchen: string;
  let room: string;
  const pageErrors: string[] = [];

  // In two days at 10:00 in Brussels (still ahead when a run crosses midnight), and its week.
  const slot = DateTime.now().setZone(ZONE).plus({ days: 2 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  const monday = slot.startOf('week').toISODate()!;

  /** Changes a space as the steward's form does: the rest of it as it is. */
  async function editSpace(id: string, input: object): Promise<void> {
    const { resource } = await t.gqlOk(
      `query($id: ID!) { resource(id: $id) { name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes zone { id } openingHours { weekday opens closes } } }`,
      { id },
      steward.token,
    );
    const { zone, ...rest } = resource;
    await t.gqlOk(`mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id } }`, { id, input: { ...rest, zoneId: zone.id, ...input } }, steward.token);
  }

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    const house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    const spaces = new SpacesBuilder(t, steward.token);
    // In this order by their French names: the agenda used to open on the workshop.
    workshop = await spaces.resource({ name: 'Atelier couture', openingHours: hours(EVERY_DAY, '08:00', '22:00') });
    kitchen = await spaces.resource({ name: 'Cuisine partagée', kind: 'KITCHEN', openingHours: hours(EVERY_DAY, '08:00', '22:00') });
    room = await spaces.resource({ name: 'Salle de réunion', openingHours: hours(EVERY_DAY, '08:00', '22:00') });
    // Arabic sorts its own script first: the room comes first in an Arabic interface.
    await editSpace(room, { names: [{ lang: 'ar', text: ROOM_AR }] });
    collectiveId = (await house.collective({ name: 'Atemos' })).id;
    member = await house.person({ password: PASSWORD });
    await house.membership(member.id, collectiveId);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The agenda of the week of the slot, with or without a space in the address, once its bookings are loaded. */
  async function agenda(page: Page, r?: string): Promise<string> {
    await page.goto(`${t.baseUrl}/agenda?${r ? `r=${r}&` : ''}w=${monday}`);
    const grid = page.locator(`[data-testid="calendar-grid"][data-week="${monday}"][aria-busy="false"]:not([data-resource=""])`);
    await grid.waitFor();
    const shown = (await grid.getAttribute('data-resource'))!;
    expect(await page.getByTestId('resource-picker').inputValue()).toBe(shown);
    return shown;
  }

  it('opens the agenda on the space this phone showed last, in any language; a link’s space still wins', async () => {
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, member.handle, PASSWORD, { pageErrors });
    // Never chosen on this phone: the first by name.
    expect(await agenda(page)).toBe(workshop);

    // The kitchen, chosen in the picker, then the agenda opened again without a space.
    await page.getByTestId('resource-picker').selectOption(kitchen);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${kitchen}"][aria-busy="false"]`).waitFor();
    expect(await agenda(page)).toBe(kitchen);
    await page.reload();
    await page.locator(`[data-testid="calendar-grid"][data-resource="${kitchen}"][aria-busy="false"]`).waitFor();

    // In Arabic too, where another space comes first.
    await page.getByTestId('lang-switcher').selectOption('ar');
    await page.locator('html[lang="ar"]').waitFor();
    expect(await agenda(page)).toBe(kitchen);
    expect(await page.locator('#resource-picker option').first().getAttribute('value')).toBe(room);
    await page.screenshot({ path: join(ARTIFACTS, 'agenda-remembered-space-phone-ar.png') });
    await page.getByTestId('lang-switcher').selectOption('fr');
    await page.locator('html[lang="fr"]').waitFor();

    // A link's space is shown, and is then the one remembered; so is "all spaces".
    expect(await agenda(page, room)).toBe(room);
    expect(await agenda(page)).toBe(room);
    await page.getByTestId('resource-picker').selectOption('all');
    await page.locator('[data-testid="calendar-grid"][data-resource="all"][aria-busy="false"]').waitFor();
    expect(await agenda(page)).toBe('all');

    // A remembered space that no longer exists: the first by name.
    await page.evaluate(() => localStorage.setItem('tl.agendaResource', '00000000-0000-4000-8000-000000000000'));
    expect(await agenda(page)).toBe(workshop);
    await page.context().close();
  });

  it('names the space of an open booking’s details as a steward renames it, then names it in Arabic, without reload', async () => {
    const booked = await t.gqlOk(BOOK, { input: { resourceId: kitchen, collectiveId, title: 'Repas solidaire', startsAt: slot.toISO(), endsAt: slot.plus({ hours: 2 }).toISO() } }, member.token);
    const bookingId: string = booked.book[0].id;
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, member.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await waitLive(page);
    await agenda(page, kitchen);
    await page.getByTestId('day-button').nth(slot.weekday - 1).click();
    await page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`).click();
    const details = page.getByTestId('booking-details');
    const space = details.getByTestId('booking-resource');
    expect(plain(await space.innerText()).trim()).toBe('Cuisine partagée');
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));

    // The steward renames the kitchen: the open dialog follows.
    await editSpace(kitchen, { name: 'Cuisine commune' });
    await space.getByText('Cuisine commune', { exact: true }).waitFor({ timeout: 3000 });

    // Then gives it an Arabic name: the Arabic reader's dialog, still open, reads it.
    await editSpace(kitchen, { names: [{ lang: 'ar', text: KITCHEN_AR }] });
    await space.getByText(KITCHEN_AR, { exact: true }).waitFor({ timeout: 3000 });
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'booking-details-renamed-phone-ar.png') });

    // Closed and opened again: the same.
    await details.getByTestId('dialog-close').click();
    await page.locator(`[data-testid="booking"][data-booking-id="${bookingId}"]`).click();
    expect(plain(await space.innerText()).trim()).toBe(KITCHEN_AR);
    await page.context().close();
  });

  it('leaves the keyboard in the agenda after a cancellation from a booking’s details: on the free slot where it started, else on its day', async () => {
    // Where the keyboard is: in the grid or not, and what.
    const focused = (page: Page) =>
      page.evaluate(() => {
        const el = document.activeElement;
        return {
          body: el === document.body,
          inGrid: !!el?.closest('[data-testid="calendar-grid"]'),
          testid: el?.getAttribute('data-testid') ?? null,
          startsAt: el?.getAttribute('data-starts-at') ?? null,
          date: el?.matches('.cal-dayhead') ? el.getAttribute('data-date') : null,
        };
      });
    const at = slot.set({ hour: 14 });
    const book = async (start: DateTime, title: string): Promise<string> =>
      (await t.gqlOk(BOOK, { input: { resourceId: workshop, collectiveId, title, startsAt: start.toISO(), endsAt: start.plus({ hours: 1 }).toISO() } }, member.token)).book[0].id;

    // A desktop, with the keyboard: the block focused, Enter opens its details; cancelled there.
    const first = await book(at, 'Couture du mardi');
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, member.handle, PASSWORD, { pageErrors });
    await waitLive(page);
    await agenda(page, workshop);
    await page.locator(`[data-testid="booking"][data-booking-id="${first}"]`).focus();
    await page.keyboard.press('Enter');
    const details = page.getByTestId('booking-details');
    await details.getByTestId('cancel-booking').click();
    await details.getByTestId('cancel-confirm').click();
    await details.waitFor({ state: 'detached' });
    // The free slot at its start, once the free time is read again.
    const slotAt = at.toUTC().toISO({ suppressMilliseconds: true })!;
    await page.locator(`[data-testid="free-slot"][data-starts-at="${slotAt}"]`).waitFor();
    await page.waitForFunction((iso) => document.activeElement?.getAttribute('data-starts-at') === iso, slotAt, { timeout: 3000 }).catch(() => undefined);
    expect(await focused(page)).toEqual({ body: false, inGrid: true, testid: 'free-slot', startsAt: slotAt, date: null });
    // Enter there books that time again.
    await page.keyboard.press('Enter');
    await page.getByTestId('book-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('book-dialog').waitFor({ state: 'detached' });
    await page.context().close();

    // A phone showing all the spaces: no slot to offer there, its day's heading.
    const second = await book(at.plus({ hours: 2 }), 'Retouches');
    const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, member.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await waitLive(phone);
    expect(await agenda(phone, 'all')).toBe('all');
    await phone.getByTestId('day-button').nth(slot.weekday - 1).click();
    await phone.locator(`[data-testid="booking"][data-booking-id="${second}"]`).click();
    const phoneDetails = phone.getByTestId('booking-details');
    await phoneDetails.getByTestId('cancel-booking').click();
    await phoneDetails.getByTestId('cancel-confirm').click();
    await phoneDetails.waitFor({ state: 'detached' });
    await phone.locator(`[data-testid="booking"][data-booking-id="${second}"]`).waitFor({ state: 'detached' });
    await phone.waitForFunction(() => document.activeElement?.matches('.cal-dayhead') === true, null, { timeout: 3000 }).catch(() => undefined);
    expect(await focused(phone)).toEqual({ body: false, inGrid: true, testid: null, startsAt: null, date: slot.toISODate() });
    await phone.screenshot({ path: join(ARTIFACTS, 'agenda-cancelled-focus-phone-ar.png') });
    await phone.context().close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
