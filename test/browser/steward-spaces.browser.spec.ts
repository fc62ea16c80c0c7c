/**
 * The steward's spaces in a real browser: a zone and a room created from the steward's page,
 * then the room's hours, rates and capacity changed; a member's agenda open on that room
 * follows the change live (resource.changed), without reload. A form with what is missing
 * says so and writes nothing; a name another space has is explained. A zone is renamed and
 * opened to members 24/7, then closed again; an empty name or another zone's name is explained
 * at the field and writes nothing. Screenshots (desktop, phone, Arabic) go to test/artifacts/.
 * Runs on the real clock.
 */
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, launchChromium, loginPage, fill, plain, requireBuiltClient, shot, translations, waitLive } from './browser-support';

const PASSWORD = 'espaces-partages-2027';
const fr = translations('fr');
const ar = translations('ar');

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

  it('edits a zone: renamed and opened to members 24/7, then closed again; an empty name or another zone’s name is explained and writes nothing', async () => {
    const panel = stewardPage.getByTestId('spaces-panel');
    const zones = panel.getByTestId('zones');
    const [zone] = await t.sql(`SELECT id FROM zone WHERE name = 'Ateliers du fond'`);
    const [other] = await t.sql(`SELECT name FROM zone WHERE id <> $1 ORDER BY name LIMIT 1`, [zone.id]);
    const row = async () => (await t.sql(`SELECT name, open_to_members_anytime FROM zone WHERE id = $1`, [zone.id]))[0];
    const focused = () => stewardPage.evaluate(() => ({ id: document.activeElement?.id ?? null, testid: document.activeElement?.getAttribute('data-testid') ?? null }));
    const item = zones.locator(`[data-testid="zone"][data-zone-id="${zone.id}"]`);
    expect(await item.getAttribute('data-anytime')).toBe('no');
    expect(await item.getByTestId('zone-state').innerText()).toBe(fr['spaces.byBooking']);
    expect(plain(await item.innerText())).toContain(fr['spaces.zoneBookingShort']);

    await item.getByTestId('zone-edit').click();
    const form = item.getByTestId('zone-edit-form');
    const name = form.getByTestId('zone-edit-name');
    expect(await name.inputValue()).toBe('Ateliers du fond');
    expect(await form.getByTestId('zone-edit-anytime').isChecked()).toBe(false);
    // The keyboard is in the name; next to the switch, what it means for the doors.
    expect((await focused()).id).toBe(await name.getAttribute('id'));
    const hintId = await form.getByTestId('zone-edit-anytime').getAttribute('aria-describedby');
    expect(plain(await form.locator(`[id="${hintId}"]`).innerText())).toBe(fr['spaces.zoneAnytimeHint']);

    // An empty name: said at the field, before asking the server.
    const before = await counts();
    await name.fill('   ');
    await form.getByTestId('zone-save').click();
    await form.getByTestId('field-error').getByText(fr['spaces.zoneNameMissing']).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    // Another zone's name, in capitals: the server's "name taken", in words at the field.
    await name.fill(other.name.toUpperCase());
    await form.getByTestId('zone-edit-anytime').check();
    await form.getByTestId('zone-save').click();
    await form.getByTestId('field-error').getByText(fr['spaces.zoneNameTaken']).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect((await focused()).id).toBe(await name.getAttribute('id'));
    await stewardPage.screenshot({ path: join(ARTIFACTS, 'steward-zone-taken.png') });
    expect(await counts()).toEqual(before);
    expect(await row()).toEqual({ name: 'Ateliers du fond', open_to_members_anytime: false });

    // Renamed and open at any hour.
    await name.fill('Ateliers du fond (nuit)');
    expect(await form.getByTestId('field-error').count()).toBe(0);
    await form.getByTestId('zone-save').click();
    await zones.getByTestId('zone-saved').waitFor();
    expect(plain(await zones.getByTestId('zone-saved').innerText())).toBe(fill(fr['spaces.zoneSaved'], { name: 'Ateliers du fond (nuit)' }));
    await form.waitFor({ state: 'detached' });
    expect((await focused()).testid).toBe('zone-edit');
    await zones.locator(`[data-testid="zone"][data-zone-id="${zone.id}"][data-anytime="yes"]`).waitFor();
    expect(await item.getByTestId('zone-state').innerText()).toBe(fr['spaces.anytime']);
    expect(plain(await item.innerText())).toContain('Ateliers du fond (nuit)');
    expect(plain(await item.innerText())).toContain(fr['spaces.zoneAnytimeShort']);
    expect(await row()).toEqual({ name: 'Ateliers du fond (nuit)', open_to_members_anytime: true });
    const { zones: listed } = await t.gqlOk<{ zones: { id: string; name: string; openToMembersAnytime: boolean }[] }>(`query { zones { id name openToMembersAnytime } }`, {}, steward.token);
    expect(listed.find((z) => z.id === zone.id)).toEqual({ id: zone.id, name: 'Ateliers du fond (nuit)', openToMembersAnytime: true });
    const updates = () => t.sql(`SELECT payload FROM event_log WHERE type = 'zone.updated' AND subject_id = $1 ORDER BY seq`, [zone.id]);
    const logged = await updates();
    expect(logged).toHaveLength(1);
    expect([...logged[0].payload.changed].sort()).toEqual(['name', 'openToMembersAnytime']);
    // The room in it and the doors' form know the new name without a reload.
    await panel.locator('[data-testid="space"]', { hasText: 'Salle Oasis' }).getByText('Ateliers du fond (nuit)').waitFor();
    await stewardPage.getByTestId('doors-panel').getByTestId('door-zone').locator(`option[value="${zone.id}"]`, { hasText: 'Ateliers du fond (nuit)' }).waitFor({ state: 'attached' });
    await item.scrollIntoViewIfNeeded();
    await stewardPage.screenshot({ path: join(ARTIFACTS, 'steward-zone-saved.png') });

    // Saved as it is: nothing written.
    await item.getByTestId('zone-edit').click();
    await item.getByTestId('zone-save').click();
    await item.getByTestId('zone-edit-form').waitFor({ state: 'detached' });
    await zones.getByTestId('zone-saved').waitFor();
    expect(await updates()).toHaveLength(1);

    // Back to "with a booking" only.
    await item.getByTestId('zone-edit').click();
    await item.getByTestId('zone-edit-anytime').uncheck();
    await stewardPage.screenshot({ path: join(ARTIFACTS, 'steward-zone-edit.png') });
    await item.getByTestId('zone-save').click();
    await zones.locator(`[data-testid="zone"][data-zone-id="${zone.id}"][data-anytime="no"]`).waitFor();
    expect(await row()).toEqual({ name: 'Ateliers du fond (nuit)', open_to_members_anytime: false });
    expect(await updates()).toHaveLength(2);
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

    // A zone's form on a phone, then in Arabic: one column, the 24/7 hint readable.
    await panel.getByTestId('space-cancel').click();
    const zones = panel.getByTestId('zones');
    const item = zones.locator('[data-testid="zone"]', { hasText: 'Ateliers du fond (nuit)' });
    await item.getByTestId('zone-edit').click();
    await item.getByTestId('zone-edit-form').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(phone, item, 'steward-zones-phone.png');
    await phone.context().close();

    const arabic = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await arabic.goto(`${t.baseUrl}/steward`);
    const arZones = arabic.getByTestId('spaces-panel').getByTestId('zones');
    const arItem = arZones.locator('[data-testid="zone"]', { hasText: 'Ateliers du fond (nuit)' });
    await arItem.getByTestId('zone-edit').click();
    const arForm = arItem.getByTestId('zone-edit-form');
    await arForm.getByTestId('zone-edit-name').fill('');
    await arForm.getByTestId('zone-save').click();
    await arForm.getByText(ar['spaces.zoneNameMissing']).waitFor();
    expect(plain(await arForm.innerText())).toContain(ar['spaces.zoneAnytimeHint']);
    expect(await arabic.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(arabic, arItem, 'steward-zones-phone-ar.png');
    await arabic.context().close();
  });
});

declare const document: {
  documentElement: { scrollWidth: number };
  activeElement: { id?: string; getAttribute(name: string): string | null } | null;
};
