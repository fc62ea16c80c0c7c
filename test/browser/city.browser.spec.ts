/**
 * The City's page in a real browser, for an auditor: occupancy by resource and week as a chart
 * and a table, the weekday-by-hour heatmap of booked hours, the attendance curve, and the CSV
 * downloads (the occupancy file ends with its #ledger record).
 *
 * Bookings cannot be made in the past, so the server's manual clock starts 20 days before the
 * real now, the bookings of the last three weeks are made then, door entries are made day by
 * day as the clock moves on, and the clock ends at the real now (the browser's).
 * The client must be built first (see browser-support.ts). Screenshots go to test/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { doorRequest } from '../support/door-client';
import { HouseBuilder, TestPerson } from '../support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { ManualClock, TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, ZONE, launchChromium, loginPage, requireBuiltClient } from './browser-support';

declare const document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): { length: number } };

const PASSWORD = 'chiffres-sans-personnes';
const DAY = 86_400_000;

describe('the City page in a browser', () => {
  let t: TestApp;
  let clock: ManualClock;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  let auditor: TestPerson;
  let room: string;
  let kitchen: string;
  let bookings = 0;
  const monday = DateTime.now().setZone(ZONE).startOf('week');

  beforeAll(async () => {
    requireBuiltClient();
    const realNow = Date.now();
    clock = new ManualClock(new Date(realNow - 20 * DAY));
    t = await startTestApp({ clock, serveClient: true });
    const house = new HouseBuilder(t);
    const steward = await house.steward();
    const spaces = new SpacesBuilder(t, steward.token);
    room = await spaces.resource({ name: 'Salle de réunion', capacity: 40, openingHours: hours(EVERY_DAY, '08:00', '22:00') });
    kitchen = await spaces.resource({ name: 'Cuisine partagée', kind: 'KITCHEN', capacity: 6, openingHours: hours(EVERY_DAY, '07:00', '23:00') });
    auditor = await house.person({ roles: [Role.AUDITOR], password: PASSWORD });
    await t.sql(`UPDATE person SET display_name = 'Ville de Liège (audit)' WHERE id = $1`, [auditor.id]);

    const univerbal = await house.collective({ name: 'Univerbal' });
    const migrations = await house.collective({ name: 'Migrations Libres' });
    const interpreter = await house.member(univerbal.id);
    const cook = await house.member(migrations.id);

    // Three weeks of bookings, made 20 days ago: Tuesday evenings in the room, Thursday mornings in the kitchen.
    const book = async (person: TestPerson & { collectiveId: string }, resourceId: string, start: DateTime, minutes: number, title: string) => {
      const data = await t.gqlOk(BOOK, { input: { resourceId, collectiveId: person.collectiveId, title, startsAt: start.toISO(), endsAt: start.plus({ minutes }).toISO() } }, person.token);
      bookings++;
      return data.book[0].id as string;
    };
    let cancelled: string | null = null;
    for (const week of [-2, -1, 0]) {
      const m = monday.plus({ weeks: week });
      await book(interpreter, room, m.plus({ days: 1 }).set({ hour: 18 }), 180, 'Intervision des interprètes');
      await book(cook, kitchen, m.plus({ days: 3 }).set({ hour: 10 }), 240, 'Repas solidaires');
      cancelled = await book(cook, room, m.plus({ days: 5 }).set({ hour: 14 }), 120, 'Réunion');
    }
    await t.gqlOk(`mutation($id: ID!) { cancelBooking(id: $id) { id } }`, { id: cancelled }, cook.token);
    bookings--;

    // Door entries day by day at the entrance (open to members 24/7), as the clock moves on.
    const lobby = await spaces.zone(true);
    const registered = await t.gqlOk(`mutation($z: ID!) { registerDoor(name: "Entrée", zoneId: $z) { secret door { id } } }`, { z: lobby }, steward.token);
    const door = { id: registered.registerDoor.door.id as string, secret: registered.registerDoor.secret as string };
    const uids = ['04A1B2C301', '04A1B2C302'];
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: interpreter.id, u: uids[0] }, steward.token);
    await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: cook.id, u: uids[1] }, steward.token);
    for (let d = 19; d >= 1; d -= 2) {
      clock.set(new Date(realNow - d * DAY));
      for (const uid of d % 3 === 0 ? uids : uids.slice(0, 1)) {
        const response = await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: door.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: clock.now().getTime() });
        expect(response.body).toMatchObject({ decision: 'ALLOW' });
      }
    }
    clock.set(new Date());

    browser = await launchChromium();
    page = await loginPage(await browser.newContext({ ...DESKTOP, acceptDownloads: true }), t.baseUrl, auditor.handle, PASSWORD, { pageErrors });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const countIs = (selector: string, n: number) =>
    page.waitForFunction(([sel, count]) => document.querySelectorAll(sel as string).length === count, [selector, n] as const, { timeout: 10_000 });
  const loaded = async () => {
    for (const id of ['occupancy-chart', 'heatmap', 'attendance-chart']) await page.locator(`[data-testid="${id}"][aria-busy="false"]`).waitFor();
  };

  it('opens on the City page for an auditor and draws occupancy, the heatmap and attendance', async () => {
    // An auditor only lands on the City page.
    await page.locator('[data-testid="nav-city"][aria-current="page"]').waitFor();
    expect(await page.getByTestId('nav-proposals').count()).toBe(0);
    await loaded();

    // Occupancy: a column per resource and week, and the totals table.
    const chart = page.getByTestId('occupancy-chart');
    const columns = chart.locator('svg rect');
    expect(await columns.count()).toBe(2 * 8); // two resources, eight weeks
    const tall = await columns.evaluateAll((rects) => rects.filter((r) => Number(r.getAttribute('height')) > 2).length);
    expect(tall).toBeGreaterThanOrEqual(4); // the last three weeks of each resource (bookings of the current week may all be to come)
    const rows = chart.getByTestId('occupancy-table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await chart.getByTestId('occupancy-table').innerText()).toContain('Cuisine partagée');
    expect(await chart.getByTestId('occupancy-summary').innerText()).toContain(`${bookings} réservations`);

    // Heatmap: Tuesday 18-21 and Thursday 10-14 are booked, nothing at 3 in the morning.
    const heat = page.getByTestId('heatmap');
    const cell = (weekday: number, hour: number) => heat.locator(`tbody tr:nth-child(${weekday}) td`).nth(hour - 8); // the grid starts at 8:00
    expect(await cell(2, 18).getAttribute('data-value')).not.toBeNull();
    expect(await cell(4, 10).getAttribute('data-value')).not.toBeNull();
    expect(await cell(1, 10).getAttribute('data-value')).toBeNull();
    expect(await heat.locator('td[data-value]').count()).toBe(3 + 4 + 2); // Tue 18-20, Thu 10-13, Sat 14-15 (cancelled once, kept twice)

    // Attendance: a curve of visitors and entries.
    const attendance = page.getByTestId('attendance-chart');
    expect(await attendance.locator('svg polyline').count()).toBe(2);
    expect(await page.screenshot({ path: join(ARTIFACTS, 'city-desktop.png'), fullPage: true })).toBeTruthy();
  });

  it('offers the CSV of the chosen period, with its #ledger record, fetched with the token: for Excel first, standard once chosen', async () => {
    const [request, download] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/reports/occupancy.csv')),
      page.waitForEvent('download'),
      page.getByTestId('csv-occupancy').click(),
    ]);
    expect(request.url()).toContain('%2B'); // the "+" of the offset is encoded
    expect(request.url()).toContain('granularity=WEEK');
    expect(await request.headerValue('authorization')).toMatch(/^Bearer /);
    // A spreadsheet on a Belgian computer: byte-order mark, semicolons, wall-clock times.
    const excel = readFileSync((await download.path())!, 'utf8');
    expect(excel.startsWith('\uFEFF')).toBe(true);
    const rows = excel.slice(1).trim().split(/\r?\n/);
    // Titled in French for the City's staff.
    expect(rows[0]).toMatch(/^Identifiant de l’espace;Espace;Début;Fin;Minutes d’ouverture;Minutes réservées;/);
    expect(rows[1]).toMatch(/^[0-9a-f-]{36};[^;]+;\d{4}-\d\d-\d\d 00:00;/);
    expect(rows).toHaveLength(1 + 2 * 8 + 1);
    expect(rows[rows.length - 1]).toMatch(/^#ledger;\d+;[0-9a-f]{64}/);

    await page.getByTestId('csv-dialect').selectOption('rfc4180');
    await page.reload();
    await loaded();
    expect(await page.getByTestId('csv-dialect').inputValue()).toBe('rfc4180');
    const [standard] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-occupancy').click()]);
    const csv = readFileSync((await standard.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^resourceId,resourceName,periodStart,periodEnd,openMinutes,bookedMinutes/);
    expect(csv).toHaveLength(1 + 2 * 8 + 1);
    expect(csv[csv.length - 1]).toMatch(/^#ledger,\d+,[0-9a-f]{64}/);

    const [attendance] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-attendance').click()]);
    const lines = readFileSync((await attendance.path())!, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('periodStart,periodEnd,uniqueVisitors,entries');
    expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[3]), 0)).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="error"][data-code]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'city-csv.png') });
  });

  it('follows the filters: one resource by day', async () => {
    await page.getByTestId('city-resource').selectOption(kitchen);
    await page.getByTestId('city-granularity').selectOption('DAY');
    // The kitchen alone, day by day: one table row, a column per day, only its Thursday mornings in the heatmap.
    await countIs('[data-testid="occupancy-table"] tbody tr', 1);
    await countIs('[data-testid="occupancy-chart"] svg rect', 8 * 7);
    await countIs('[data-testid="heatmap"] td[data-value]', 4);
    await page.getByTestId('city-resource').selectOption('');
    await page.getByTestId('city-granularity').selectOption('WEEK');
    await countIs('[data-testid="occupancy-chart"] svg rect', 2 * 8);
    await loaded();

  });

  it('fits a 360 px phone, in French and in Arabic', async () => {
    page = await loginPage(await browser.newContext(PHONE), t.baseUrl, auditor.handle, PASSWORD, { pageErrors });
    await page.locator('[data-testid="nav-city"][aria-current="page"]').waitFor();
    await loaded();
    // Nothing but the charts' own scroll boxes is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(ARTIFACTS, 'city-phone.png'), fullPage: true });
    await page.getByTestId('lang-switcher').selectOption('ar');
    await page.locator('html[dir="rtl"]').waitFor();
    await loaded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(ARTIFACTS, 'city-phone-ar.png'), fullPage: true });
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
