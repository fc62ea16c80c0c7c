/**
 * The steward's spaces in a real browser: a zone and a room created from the steward's page,
 * then the room's hours, rates and capacity changed; a member's agenda open on that room
 * follows the change live (resource.changed), without reload. A form with what is missing
 * says so and writes nothing; a name another space has is explained. Screenshots go to
 * test/artifacts/. Runs on the real clock.
 */
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, launchChromium, loginPage, plain, requireBuiltClient, translations, waitLive } from './browser-support';

const PASSWORD = 'espaces-partages-2027';
const fr = translations('fr');

describe('the steward’s spaces in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let steward: TestPerson;
  let member: TestPerson;
  let stewardPage: Page;
  const pageErrors: string[] = [];

  const counts = async () => (await t.sql(`SELECT (SELECT count(*) FROM resource)::int AS resources, (SELECT count(*) FROM zone)::int AS zones, (SELECT count(*) FROM event_log)::int AS log`))[0];

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    const house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    const spaces = new SpacesBuilder(t, steward.token);
    await spaces.resource({ name: 'Cuisine partagée', kind: 'KITCHEN', openingHours: hours(EVERY_DAY, '07:00', '23:00') });
    member = await house.person({ password: PASSWORD });
    await house.membership(member.id, (await house.collective({ name: 'Atemos' })).id);
    browser = await launchChromium();
    stewardPage = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await stewardPage.goto(`${t.baseUrl}/steward`);
    await stewardPage.getByTestId('spaces-panel').getByTestId('space').first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  it('creates a zone, then a room in it with its hours and rates; an empty form says what is missing and writes nothing', async () => {
    const panel = stewardPage.getByTestId('spaces-panel');
    const before = await counts();
    await panel.getByTestId('zone-create').click();
    await panel.getByTestId('zone-form').getByText(fr['spaces.zoneNameMissing']).waitFor();
    await panel.getByTestId('space-new').click();
    const form = panel.getByTestId('space-form');
    await form.getByTestId('space-save').click();
    await form.getByText(fr['spaces.nameMissing']).waitFor();
    expect(await form.getByTestId('space-name').getAttribute('aria-invalid')).toBe('true');
    expect(await counts()).toEqual(before);

    await panel.getByTestId('zone-name').fill('Ateliers du fond');
    await panel.getByTestId('zone-create').click();
    await panel.getByTestId('zone-form').getByText(plain(fr['spaces.zoneCreated'].replace('{name}', 'Ateliers du fond'))).waitFor();
    const [zone] = await t.sql(`SELECT id, open_to_members_anytime FROM zone WHERE name = 'Ateliers du fond'`);
    expect(zone.open_to_members_anytime).toBe(false);
    // The form stays open and learns the new zone.
    await form.getByTestId('space-zone').locator(`option[value="${zone.id}"]`).waitFor({ state: 'attached' });

    await form.getByTestId('space-name').fill('Salle Oasis');
    await form.getByTestId('space-zone').selectOption(zone.id);
    await form.getByTestId('space-capacity').fill('12');
    await form.getByTestId('space-minMinutes').fill('45');
    await form.getByTestId('space-save').click();
    await form.getByText(plain(fr['spaces.onGrid'].replace('{slot}', '30 minutes'))).waitFor();
    await form.getByTestId('space-minMinutes').fill('60');
    await form.getByTestId('space-maxMinutes').fill('180');
    await form.getByTestId('space-rate-STANDARD').fill('12,50');
    await stewardPage.screenshot({ path: join(ARTIFACTS, 'steward-space-new.png'), fullPage: true });
    await form.getByTestId('space-save').click();
    await panel.getByTestId('space-saved').waitFor();
    await panel.locator('[data-testid="space"]', { hasText: 'Salle Oasis' }).waitFor();

    const [room] = await t.sql(`SELECT id, kind, capacity, zone_id, slot_minutes, min_minutes, max_minutes, buffer_minutes FROM resource WHERE name = 'Salle Oasis'`);
    expect(room).toMatchObject({ kind: 'ROOM', capacity: 12, zone_id: zone.id, slot_minutes: 30, min_minutes: 60, max_minutes: 180, buffer_minutes: 0 });
    expect(await t.sql(`SELECT weekday, opens_minute, closes_minute FROM resource_opening_hours WHERE resource_id = $1 ORDER BY weekday`, [room.id])).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens_minute: 540, closes_minute: 1320 })),
    );
    expect(await t.sql(`SELECT tier, cents_per_hour FROM resource_rate WHERE resource_id = $1 ORDER BY tier`, [room.id])).toEqual([
      { tier: 'SOLIDARITY', cents_per_hour: 0 },
      { tier: 'STANDARD', cents_per_hour: 1250 },
    ]);
  });

  it('edits a room: a member looking at it sees the change without reload; a name another space has is explained', async () => {
    const [room] = await t.sql(`SELECT id FROM resource WHERE name = 'Salle Oasis'`);
    const memberPage = await loginPage(await browser.newContext(PHONE), t.baseUrl, member.handle, PASSWORD, { pageErrors });
    await memberPage.goto(`${t.baseUrl}/agenda?r=${room.id}`);
    await waitLive(memberPage);
    await memberPage.getByTestId('resource-info').getByText(plain(fr['resource.capacity'].replace('{n}', '12'))).waitFor();

    const panel = stewardPage.getByTestId('spaces-panel');
    await panel.locator('[data-testid="space"]', { hasText: 'Salle Oasis' }).getByTestId('space-edit').click();
    const form = panel.getByTestId('space-form');
    expect(await form.getByTestId('space-name').inputValue()).toBe('Salle Oasis');
    await form.getByTestId('space-name').fill('Cuisine partagée');
    await form.getByTestId('space-save').click();
    await form.getByText(fr['spaces.nameTaken']).waitFor();

    await form.getByTestId('space-name').fill('Salle Oasis');
    await form.getByTestId('space-capacity').fill('16');
    // Sunday closed; Saturday until midnight.
    await form.locator('[data-testid="space-day"][data-weekday="7"]').getByTestId('space-hours-remove').click();
    await form.locator('[data-testid="space-day"][data-weekday="6"]').getByTestId('space-closes').fill('24');
    await form.getByTestId('space-rate-REDUCED').fill('4');
    // Times typed on a number pad: "25" is no time; "930" is half past nine.
    const monday = form.locator('[data-testid="space-day"][data-weekday="1"]');
    await monday.getByTestId('space-opens').fill('25');
    await form.getByTestId('space-save').click();
    await monday.getByText(fr['spaces.hoursFormat']).waitFor();
    await monday.getByTestId('space-opens').fill('930');
    await monday.getByTestId('space-opens').blur();
    expect(await monday.getByTestId('space-opens').inputValue()).toBe('09:30');
    await stewardPage.screenshot({ path: join(ARTIFACTS, 'steward-space-edit.png'), fullPage: true });
    await form.getByTestId('space-save').click();
    await panel.getByTestId('space-saved').getByText(fr['spaces.savedKeeps']).waitFor();

    await memberPage.getByTestId('resource-info').getByText(plain(fr['resource.capacity'].replace('{n}', '16'))).waitFor({ timeout: 2000 });
    expect(await t.sql(`SELECT weekday, opens_minute, closes_minute FROM resource_opening_hours WHERE resource_id = $1 AND weekday IN (1, 6, 7) ORDER BY weekday`, [room.id])).toEqual([
      { weekday: 1, opens_minute: 570, closes_minute: 1320 },
      { weekday: 6, opens_minute: 540, closes_minute: 1440 },
    ]);
    expect(await t.sql(`SELECT tier, cents_per_hour FROM resource_rate WHERE resource_id = $1 ORDER BY tier`, [room.id])).toEqual([
      { tier: 'REDUCED', cents_per_hour: 400 },
      { tier: 'SOLIDARITY', cents_per_hour: 0 },
      { tier: 'STANDARD', cents_per_hour: 1250 },
    ]);
    const logged = await t.sql(`SELECT payload FROM event_log WHERE type = 'resource.updated' AND subject_id = $1`, [room.id]);
    expect(logged).toHaveLength(1);
    expect([...logged[0].payload.changed].sort()).toEqual(['capacity', 'openingHours', 'rates']);
    await memberPage.screenshot({ path: join(ARTIFACTS, 'agenda-after-space-edit.png') });
  });

  it('fits a phone: the room form in one column, every field reachable', async () => {
    const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await phone.goto(`${t.baseUrl}/steward`);
    const panel = phone.getByTestId('spaces-panel');
    await panel.locator('[data-testid="space"]', { hasText: 'Salle Oasis' }).getByTestId('space-edit').click();
    await panel.getByTestId('space-form').scrollIntoViewIfNeeded();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(360);
    await panel.getByTestId('space-form').screenshot({ path: join(ARTIFACTS, 'steward-space-phone.png') });
    // Two time fields side by side under each day's name, wide enough for "09:00".
    const opens = panel.getByTestId('space-opens').first();
    expect((await opens.boundingBox())!.width).toBeGreaterThan(80);
    await panel.getByTestId('space-hours').screenshot({ path: join(ARTIFACTS, 'steward-space-phone-hours.png') });
  });
});

declare const document: { documentElement: { scrollWidth: number } };
