/**
 * Names in other languages in a real browser. A steward gives the kitchen and its zone an
 * Arabic name through the steward's forms; a member whose interface is Arabic reads them in
 * the agenda while a French member reads the French ones, and an Arabic agenda already open
 * follows the zone's new name without reload (zone.changed). A training renamed and translated
 * by the steward (updateQualification) reads in Arabic in the agenda's training line and on
 * "my page", live; the member who holds it can still book (held trainings are recognised by
 * id, not by name). Editing a space keeps its names in languages the interface does not
 * offer (Ukrainian), unless the steward removes one. A steward adds a name in a language the
 * interface does not offer, Pashto from the form's list of common languages (each named in the
 * steward's language and in itself) and Albanian by its code (a wrong code is said at the field
 * and nothing is sent); a member whose own language is Pashto reads it in the agenda. The list
 * fits a 360 px phone in French and in Arabic. The 20-name limit counts the names given, not
 * the interface's empty fields; a language chosen but not added when the form is saved is
 * added then (the save waits for its name) rather than dropped. The house rules name a space
 * in the reader's language, and a refused rules query is said rather than asked again without
 * the names. Screenshots (desktop, phone, Arabic) go to test/artifacts/. Runs on the real clock.
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Browser, BrowserContextOptions, Page, Request } from 'playwright-core';
import { Role } from '../../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from '../support/house';
import { EVERY_DAY, SpacesBuilder, hours } from '../support/spaces';
import { TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, ZONE, fill, launchChromium, loginPage, plain, requireBuiltClient, shot, translations, waitLive } from './browser-support';

const PASSWORD = 'noms-traduits-2027';
const fr = translations('fr');
const ar = translations('ar');

const KITCHEN_AR = 'المطبخ المشترك';
const ZONE_AR = 'المطبخ';
const HYGIENE_AR = 'النظافة الغذائية';
const WORKSHOP_PS = 'د ګنډلو کارځای';
const WORKSHOP_SQ = 'Punishtja e qepjes';

interface Names {
  name: string;
  names: { lang: string; text: string }[];
}

describe('names in other languages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let steward: TestPerson;
  /** Holds the hygiene training; reads Arabic. */
  let cook: TestPerson;
  /** Has no training; reads French. */
  let reader: TestPerson;
  /** Speaks Ukrainian, which the interface does not: reads it in French. */
  let ukReader: TestPerson;
  /** Speaks Pashto, which the interface does not: reads it in French. */
  let psReader: TestPerson;
  let kitchen: string;
  let kitchenZone: string;
  let workshop: string;
  let hygiene: string;
  let stewardPage: Page;
  const pageErrors: string[] = [];

  // The week of tomorrow: its free time is bookable whatever the hour the tests run.
  const monday = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('week').toISODate()!;

  const resourceNames = async (id: string) =>
    (await t.gqlOk<{ resource: Names & { capacity: number } }>(`query($id: ID!) { resource(id: $id) { name names { lang text } capacity } }`, { id }, steward.token)).resource;
  const zoneNames = async (id: string) =>
    (await t.gqlOk<{ zones: (Names & { id: string })[] }>(`query { zones { id name names { lang text } } }`, {}, steward.token)).zones.find((z) => z.id === id);
  const trainingNames = async (id: string) =>
    (await t.gqlOk<{ qualifications: (Names & { id: string })[] }>(`query { qualifications { id name names { lang text } } }`, {}, steward.token)).qualifications.find((q) => q.id === id);

  /** Marks the document, so that a reload would show. */
  const markDocument = (page: Page) => page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
  const sameDocument = (page: Page) => page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument === true);
  const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.id ?? null, testid: document.activeElement?.getAttribute('data-testid') ?? null }));

  /** The kitchen's week in the agenda, live. `keepMe`: the page never reads `me` again (as when that answer is lost). */
  async function openAgenda(options: BrowserContextOptions, person: TestPerson, lang?: string, keepMe = false): Promise<Page> {
    const context = await browser.newContext(options);
    const page = await loginPage(context, t.baseUrl, person.handle, PASSWORD, { pageErrors, lang });
    await page.goto(`${t.baseUrl}/agenda?r=${kitchen}&w=${monday}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${kitchen}"][data-week="${monday}"][aria-busy="false"]`).waitFor();
    await waitLive(page);
    if (keepMe) await context.route('**/graphql', (route) => ((route.request().postData() ?? '').includes('query Me ') ? route.abort() : route.continue()));
    return page;
  }

  const option = (page: Page, id: string) => page.locator(`#resource-picker option[value="${id}"]`);

  beforeAll(async () => {
    requireBuiltClient();
    t = await startTestApp({ serveClient: true });
    const house = new HouseBuilder(t);
    steward = await house.person({ roles: [Role.STEWARD], password: PASSWORD });
    hygiene = await house.qualification('Hygiène alimentaire');
    await house.qualification('Initiation laser');
    kitchenZone = (await t.gqlOk(`mutation { createZone(name: "Cuisine", openToMembersAnytime: false) { id } }`, {}, steward.token)).createZone.id;
    const spaces = new SpacesBuilder(t, steward.token);
    kitchen = await spaces.resource({
      name: 'Cuisine partagée', kind: 'KITCHEN', capacity: 6, zoneId: kitchenZone, slotMinutes: 30, minMinutes: 60, maxMinutes: 240,
      requiredQualificationId: hygiene, openingHours: hours(EVERY_DAY, '07:00', '23:00'),
    });
    // A space whose names were given elsewhere, in a language the interface does not offer too.
    workshop = (
      await t.gqlOk(
        `mutation($input: ResourceInput!) { createResource(input: $input) { id } }`,
        {
          input: {
            name: 'Atelier couture', names: [{ lang: 'uk', text: 'Швейна майстерня' }, { lang: 'en', text: 'Sewing workshop' }],
            kind: 'WORKSHOP', capacity: 8, zoneId: await spaces.zone(), slotMinutes: 30, minMinutes: 60, maxMinutes: 240, bufferMinutes: 0,
            requiredQualificationId: null, requiresApproval: false, openingHours: hours(EVERY_DAY, '09:00', '21:00'), rates: [{ tier: 'SOLIDARITY', centsPerHour: 0 }],
          },
        },
        steward.token,
      )
    ).createResource.id;
    const collective = await house.collective({ name: 'Atemos' });
    cook = await house.person({ password: PASSWORD });
    await house.membership(cook.id, collective.id);
    await house.grant(cook.id, hygiene);
    reader = await house.person({ password: PASSWORD });
    await house.membership(reader.id, collective.id);
    ukReader = await house.person({ password: PASSWORD });
    await house.membership(ukReader.id, collective.id);
    await t.gqlOk(`mutation { setMyLocale(locale: "uk") { id } }`, {}, ukReader.token);
    psReader = await house.person({ password: PASSWORD });
    await house.membership(psReader.id, collective.id);
    await t.gqlOk(`mutation { setMyLocale(locale: "ps") { id } }`, {}, psReader.token);
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

  it('a steward names the kitchen and its zone in Arabic; an Arabic reader sees them (an open agenda follows the zone live), a French reader the French names', async () => {
    // A member reading Arabic has the kitchen open: no translation yet, the house's names.
    const arabic = await openAgenda(DESKTOP, cook, 'ar');
    await markDocument(arabic);
    expect(await option(arabic, kitchen).innerText()).toBe('Cuisine partagée');
    expect(plain(await arabic.getByTestId('resource-zone').innerText()).trim()).toBe('Cuisine');

    // The steward types the kitchen's Arabic and English names in its form.
    const panel = stewardPage.getByTestId('spaces-panel');
    const space = panel.locator(`[data-testid="space"][data-space-id="${kitchen}"]`);
    await space.getByTestId('space-edit').click();
    const form = panel.getByTestId('space-form');
    const names = form.getByTestId('other-names');
    // A field per interface language other than French, empty; the Arabic one right to left.
    expect(await names.getByTestId('other-name').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')))).toEqual(['en', 'ar']);
    expect(plain(await names.locator('legend').innerText())).toBe(fr['names.title']);
    const arField = names.getByTestId('name-ar');
    expect(await arField.inputValue()).toBe('');
    expect(await arField.getAttribute('dir')).toBe('rtl');
    expect(await arField.getAttribute('lang')).toBe('ar');
    expect(await names.getByTestId('other-name-remove').count()).toBe(0);
    await arField.pressSequentially(KITCHEN_AR);
    await names.getByTestId('name-en').fill('Shared kitchen');
    await shot(stewardPage, names, 'names-space-form.png');
    await form.getByTestId('space-save').click();
    await panel.getByTestId('space-saved').waitFor();
    expect(await resourceNames(kitchen)).toEqual({
      name: 'Cuisine partagée',
      names: [{ lang: 'ar', text: KITCHEN_AR }, { lang: 'en', text: 'Shared kitchen' }],
      capacity: 6,
    });
    // The steward's list shows them under the French name.
    expect(plain(await space.getByTestId('other-names-line').innerText())).toContain(KITCHEN_AR);

    // The open agenda reads the space again (resource.changed); its zone has no Arabic name yet.
    await option(arabic, kitchen).filter({ hasText: KITCHEN_AR }).waitFor({ state: 'attached' });
    expect(plain(await arabic.getByTestId('resource-zone').innerText()).trim()).toBe('Cuisine');

    // The zone's Arabic name, in the zone's own form.
    const zones = panel.getByTestId('zones');
    const zone = zones.locator(`[data-testid="zone"][data-zone-id="${kitchenZone}"]`);
    await zone.getByTestId('zone-edit').click();
    const zoneForm = zone.getByTestId('zone-edit-form');
    expect(await zoneForm.getByTestId('name-ar').inputValue()).toBe('');
    await zoneForm.getByTestId('name-ar').fill(ZONE_AR);
    await shot(stewardPage, zone, 'names-zone-form.png');
    await zoneForm.getByTestId('zone-save').click();
    await zones.getByTestId('zone-saved').waitFor();
    expect(await zoneNames(kitchenZone)).toEqual({ id: kitchenZone, name: 'Cuisine', names: [{ lang: 'ar', text: ZONE_AR }] });
    await zone.getByTestId('other-names-line').getByText(ZONE_AR).waitFor();

    // The Arabic agenda, open all along, names the zone in Arabic without reload (zone.changed).
    await arabic.getByTestId('resource-zone').getByText(ZONE_AR, { exact: true }).waitFor({ timeout: 3000 });
    expect(await sameDocument(arabic)).toBe(true);
    expect(await option(arabic, kitchen).innerText()).toBe(KITCHEN_AR);
    await arabic.screenshot({ path: join(ARTIFACTS, 'names-agenda-desktop-ar.png') });

    // A French reader: the French names. Switched to English: the English one, French where there is none.
    const french = await openAgenda(PHONE, reader);
    expect(await option(french, kitchen).innerText()).toBe('Cuisine partagée');
    expect(plain(await french.getByTestId('resource-zone').innerText()).trim()).toBe('Cuisine');
    await french.screenshot({ path: join(ARTIFACTS, 'names-agenda-phone-fr.png') });
    await french.getByTestId('lang-switcher').selectOption('en');
    await option(french, kitchen).filter({ hasText: 'Shared kitchen' }).waitFor({ state: 'attached' });
    expect(plain(await french.getByTestId('resource-zone').innerText()).trim()).toBe('Cuisine');
    await french.context().close();

    // An Arabic reader on a phone, from a fresh load.
    const phone = await openAgenda(PHONE, cook, 'ar');
    expect(await option(phone, kitchen).innerText()).toBe(KITCHEN_AR);
    expect(plain(await phone.getByTestId('resource-zone').innerText()).trim()).toBe(ZONE_AR);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.screenshot({ path: join(ARTIFACTS, 'names-agenda-phone-ar.png') });
    await phone.context().close();
    await arabic.context().close();
  });

  it('a training renamed and translated by the steward reads in Arabic in the agenda and on my page, live; its holder still books', async () => {
    // The agenda of the member who holds the training, in Arabic; this page never reads `me`
    // again, so it still knows the training by its old name: it is recognised by its id.
    const arabic = await openAgenda(DESKTOP, cook, 'ar', true);
    await markDocument(arabic);
    const line = arabic.getByTestId('resource-qualification');
    expect(plain(await line.innerText())).toBe(plain(fill(ar['resource.qualOk'], { name: 'Hygiène alimentaire' })));
    expect(await arabic.getByTestId('free-slot').count()).toBeGreaterThan(0);
    // Their page, open on a phone.
    const mine = await loginPage(await browser.newContext(PHONE), t.baseUrl, cook.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await waitLive(mine);
    await mine.getByTestId('nav-account').click();
    const held = mine.locator(`[data-testid="my-qualification"][data-qualification-id="${hygiene}"]`);
    expect(plain(await held.innerText())).toContain('Hygiène alimentaire');
    await markDocument(mine);

    const panel = stewardPage.getByTestId('trainings-panel');
    const item = panel.locator(`[data-testid="training"][data-training-id="${hygiene}"]`);
    await item.getByTestId('training-edit').click();
    const form = item.getByTestId('training-form');
    const name = form.getByTestId('training-name');
    expect(await name.inputValue()).toBe('Hygiène alimentaire');
    expect((await focused(stewardPage)).id).toBe(await name.getAttribute('id'));

    // Another training's name: said at the field (the server says TAKEN), nothing written.
    await name.fill('Initiation laser');
    await form.getByTestId('training-save').click();
    await form.getByTestId('field-error').getByText(fr['trainings.nameTaken']).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect((await focused(stewardPage)).id).toBe(await name.getAttribute('id'));
    expect(await trainingNames(hygiene)).toEqual({ id: hygiene, name: 'Hygiène alimentaire', names: [] });

    // Renamed, and named in Arabic.
    await name.fill('Hygiène alimentaire (AFSCA)');
    expect(await form.getByTestId('field-error').count()).toBe(0);
    await form.getByTestId('name-ar').fill(HYGIENE_AR);
    await shot(stewardPage, item, 'names-training-form.png');
    await form.getByTestId('training-save').click();
    const saved = panel.getByTestId('training-saved');
    await saved.waitFor();
    expect(plain(await saved.innerText())).toBe(plain(fill(fr['trainings.saved'], { name: 'Hygiène alimentaire (AFSCA)' })));
    await form.waitFor({ state: 'detached' });
    expect((await focused(stewardPage)).testid).toBe('training-edit');
    expect(await trainingNames(hygiene)).toEqual({ id: hygiene, name: 'Hygiène alimentaire (AFSCA)', names: [{ lang: 'ar', text: HYGIENE_AR }] });
    await item.getByTestId('training-name-shown').getByText('Hygiène alimentaire (AFSCA)').waitFor();
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'qualification.updated' AND subject_id = $1`, [hygiene])).toEqual([{ n: 1 }]);

    // The open Arabic agenda: the training's Arabic name, live; still held, still bookable.
    await line.getByText(HYGIENE_AR).waitFor({ timeout: 3000 });
    expect(plain(await line.innerText())).toBe(plain(fill(ar['resource.qualOk'], { name: HYGIENE_AR })));
    expect(await arabic.getByTestId('agenda-need-qualification').count()).toBe(0);
    expect(await arabic.getByTestId('free-slot').count()).toBeGreaterThan(0);
    expect(await sameDocument(arabic)).toBe(true);
    await arabic.getByTestId('free-slot').first().click();
    const dialog = arabic.getByTestId('book-dialog');
    expect(plain(await dialog.getByTestId('book-summary').innerText())).toContain(KITCHEN_AR);
    expect(await dialog.getByTestId('need-qualification').count()).toBe(0);
    await arabic.screenshot({ path: join(ARTIFACTS, 'names-book-dialog-ar.png') });
    await dialog.getByTestId('dialog-close').click();

    // My page, open all along, reads the training again.
    await held.getByText(HYGIENE_AR).waitFor({ timeout: 3000 });
    expect(await sameDocument(mine)).toBe(true);
    await shot(mine, mine.locator('h3', { hasText: ar['account.qualifications'] }), 'names-account-phone-ar.png');

    // A French reader without the training: its French name, and whom to ask.
    const french = await openAgenda(DESKTOP, reader, 'fr');
    expect(plain(await french.getByTestId('resource-qualification').innerText())).toBe(plain(fill(fr['resource.qualMissing'], { name: 'Hygiène alimentaire (AFSCA)' })));
    expect(plain(await french.getByTestId('agenda-need-qualification').innerText())).toContain('Hygiène alimentaire (AFSCA)');
    expect(await french.getByTestId('free-slot').count()).toBe(0);
    await french.context().close();
    await mine.context().close();
    await arabic.context().close();
  });

  it('reads a name in the person’s own language when the interface does not speak it: Ukrainian in a French interface', async () => {
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, ukReader.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/agenda?r=${workshop}&w=${monday}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${workshop}"][aria-busy="false"]`).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect((await option(page, workshop).innerText()).trim()).toBe('Швейна майстерня');
    // No Ukrainian name: the kitchen reads in the interface's language, French.
    expect((await option(page, kitchen).innerText()).trim()).toBe((await resourceNames(kitchen)).name);
    await page.screenshot({ path: join(ARTIFACTS, 'names-agenda-phone-uk.png') });
    await page.context().close();
  });

  it('editing a space keeps its names in languages the interface does not offer, unless the steward removes one', async () => {
    const panel = stewardPage.getByTestId('spaces-panel');
    const space = panel.locator(`[data-testid="space"][data-space-id="${workshop}"]`);
    await space.getByTestId('space-edit').click();
    const form = panel.getByTestId('space-form');
    const names = form.getByTestId('other-names');
    // The interface's languages, then Ukrainian, all filled in as they are.
    expect(await names.getByTestId('other-name').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')))).toEqual(['en', 'ar', 'uk']);
    expect(await names.getByTestId('name-en').inputValue()).toBe('Sewing workshop');
    expect(await names.getByTestId('name-ar').inputValue()).toBe('');
    expect(await names.getByTestId('name-uk').inputValue()).toBe('Швейна майстерня');
    const ukRow = names.locator('[data-testid="other-name"][data-lang="uk"]');
    expect(plain(await ukRow.locator('label').innerText())).toContain('(uk)');
    expect(await ukRow.getByTestId('other-name-remove').count()).toBe(1);
    await shot(stewardPage, names, 'names-space-form-uk.png');

    // Something else changed: the Ukrainian name stays.
    await form.getByTestId('space-capacity').fill('9');
    await form.getByTestId('space-save').click();
    await panel.getByTestId('space-saved').waitFor();
    expect(await resourceNames(workshop)).toEqual({
      name: 'Atelier couture',
      names: [{ lang: 'en', text: 'Sewing workshop' }, { lang: 'uk', text: 'Швейна майстерня' }],
      capacity: 9,
    });

    // Ukrainian removed, English emptied, Arabic given: only the Arabic one.
    await space.getByTestId('space-edit').click();
    await ukRow.getByTestId('other-name-remove').click();
    await ukRow.waitFor({ state: 'detached' });
    expect((await focused(stewardPage)).testid).toBe('name-ar');
    await names.getByTestId('name-en').fill('  ');
    await names.getByTestId('name-ar').fill('ورشة الخياطة');
    await form.getByTestId('space-save').click();
    await panel.getByTestId('space-saved').waitFor();
    expect(await resourceNames(workshop)).toEqual({ name: 'Atelier couture', names: [{ lang: 'ar', text: 'ورشة الخياطة' }], capacity: 9 });
  });

  it('creates a training with its Arabic name; the space form offers it at once', async () => {
    const panel = stewardPage.getByTestId('trainings-panel');
    await panel.getByTestId('training-new').click();
    const form = panel.getByTestId('training-form');
    expect((await focused(stewardPage)).testid).toBe('training-name');
    await form.getByTestId('training-save').click();
    await form.getByTestId('field-error').getByText(fr['trainings.nameMissing']).waitFor();
    await form.getByTestId('training-name').fill('Initiation couture');
    await form.getByTestId('name-ar').fill('مقدمة في الخياطة');
    await form.getByTestId('training-save').click();
    const saved = panel.getByTestId('training-saved');
    await saved.waitFor();
    expect(plain(await saved.innerText())).toBe(plain(fill(fr['trainings.created'], { name: 'Initiation couture' })));
    expect((await focused(stewardPage)).testid).toBe('training-new');
    const { qualifications } = await t.gqlOk<{ qualifications: (Names & { id: string })[] }>(`query { qualifications { id name names { lang text } } }`, {}, steward.token);
    const created = qualifications.find((q) => q.name === 'Initiation couture')!;
    expect(created.names).toEqual([{ lang: 'ar', text: 'مقدمة في الخياطة' }]);
    // The spaces' form knows it without a reload.
    const spaces = stewardPage.getByTestId('spaces-panel');
    await spaces.locator(`[data-testid="space"][data-space-id="${workshop}"]`).getByTestId('space-edit').click();
    await spaces.getByTestId('space-qualification').locator(`option[value="${created.id}"]`, { hasText: 'Initiation couture' }).waitFor({ state: 'attached' });
    await spaces.getByTestId('space-cancel').click();
  });

  it('fits a phone and reads right to left in Arabic: the steward’s forms and lists', async () => {
    const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors });
    await phone.goto(`${t.baseUrl}/steward`);
    const panel = phone.getByTestId('spaces-panel');
    await panel.locator(`[data-testid="space"][data-space-id="${kitchen}"]`).getByTestId('space-edit').click();
    const names = panel.getByTestId('space-form').getByTestId('other-names');
    await names.waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // One field under the other, each wide enough for a name.
    const en = (await names.getByTestId('name-en').boundingBox())!;
    const arBox = (await names.getByTestId('name-ar').boundingBox())!;
    expect(arBox.y).toBeGreaterThan(en.y);
    expect(arBox.width).toBeGreaterThan(250);
    await shot(phone, names, 'names-space-form-phone.png');
    await phone.context().close();

    const arabic = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await arabic.goto(`${t.baseUrl}/steward`);
    // The lists in Arabic: the kitchen, its zone and the training by their Arabic names, the French ones beside.
    const arPanel = arabic.getByTestId('spaces-panel');
    const kitchenItem = arPanel.locator(`[data-testid="space"][data-space-id="${kitchen}"]`);
    await kitchenItem.locator('strong').getByText(KITCHEN_AR).waitFor();
    expect(plain(await kitchenItem.getByTestId('space-zone-chip').innerText()).trim()).toBe(ZONE_AR);
    expect(plain(await kitchenItem.getByTestId('other-names-line').innerText())).toContain('Cuisine partagée');
    const training = arabic.getByTestId('trainings-panel').locator(`[data-testid="training"][data-training-id="${hygiene}"]`);
    expect(plain(await training.getByTestId('training-name-shown').innerText()).trim()).toBe(HYGIENE_AR);
    expect(plain(await training.getByTestId('other-names-line').innerText())).toContain('Hygiène alimentaire (AFSCA)');
    await shot(arabic, arabic.getByTestId('trainings-panel'), 'names-trainings-phone-ar.png');

    // The zone's form: French name left to right, Arabic right to left, the legend in Arabic.
    const zone = arPanel.getByTestId('zones').locator(`[data-testid="zone"][data-zone-id="${kitchenZone}"]`);
    await zone.getByTestId('zone-edit').click();
    const form = zone.getByTestId('zone-edit-form');
    const arNames = form.getByTestId('other-names');
    expect(plain(await arNames.locator('legend').innerText())).toBe(ar['names.title']);
    expect(await arNames.getByTestId('name-ar').inputValue()).toBe(ZONE_AR);
    const arField = (await arNames.getByTestId('name-ar').boundingBox())!;
    const label = (await arNames.locator('[data-testid="other-name"][data-lang="ar"] label').boundingBox())!;
    // The label starts at the right, like the field's text.
    expect(label.x + label.width).toBeGreaterThan(arField.x + arField.width - 20);
    expect(await arabic.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(arabic, zone, 'names-zone-form-phone-ar.png');
    await arabic.context().close();
  });

  it('adds names in languages the interface does not offer: Pashto from the list, Albanian by its code, a wrong code said and nothing sent; a Pashto reader reads it', async () => {
    const panel = stewardPage.getByTestId('spaces-panel');
    const space = panel.locator(`[data-testid="space"][data-space-id="${workshop}"]`);
    await space.getByTestId('space-edit').click();
    const form = panel.getByTestId('space-form');
    const names = form.getByTestId('other-names');
    const langs = () => names.getByTestId('other-name').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')));
    expect(await langs()).toEqual(['en', 'ar']);
    const choice = names.getByTestId('other-name-choice');
    const add = names.getByTestId('other-name-add');

    // The house's common languages, each named in the steward's language and in itself; not the
    // interface's (they have their fields).
    expect(plain(await choice.locator('option[value="ps"]').innerText())).toBe('pachto — پښتو');
    expect(plain(await choice.locator('option[value="ti"]').innerText())).toBe('tigrigna — ትግርኛ');
    for (const tag of ['so', 'ru', 'sq', 'uk', 'ti', 'fa-AF', 'ln', 'es', 'pt', 'tr', 'ro', 'ku']) expect(await choice.locator(`option[value="${tag}"]`).count()).toBe(1);
    expect(await choice.locator('option[value="en"], option[value="ar"], option[value="fr"]').count()).toBe(0);

    // Pashto from the list: its field, right to left, with the keyboard in it; no longer offered.
    await choice.selectOption('ps');
    await add.click();
    const psField = names.getByTestId('name-ps');
    await psField.waitFor();
    expect((await focused(stewardPage)).testid).toBe('name-ps');
    expect(await psField.getAttribute('dir')).toBe('rtl');
    expect(await psField.getAttribute('lang')).toBe('ps');
    expect(plain(await names.locator('[data-testid="other-name"][data-lang="ps"] label').innerText())).toBe('pachto — پښتو (ps)');
    await stewardPage.keyboard.type(WORKSHOP_PS);
    expect(await choice.locator('option[value="ps"]').count()).toBe(0);
    expect(await choice.inputValue()).toBe('');

    // Russian added, then removed: the keyboard goes to the field before it, Russian is offered again.
    await choice.selectOption('ru');
    await add.click();
    await names.getByTestId('name-ru').waitFor();
    await names.locator('[data-testid="other-name"][data-lang="ru"]').getByTestId('other-name-remove').click();
    await names.getByTestId('name-ru').waitFor({ state: 'detached' });
    expect((await focused(stewardPage)).testid).toBe('name-ps');
    expect(await choice.locator('option[value="ru"]').count()).toBe(1);

    // Codes that are none, a language's name and a typo: said at the field, nothing added and
    // nothing sent (Enter in the field does not send the form).
    const sent: string[] = [];
    const listen = (request: Request) => {
      if (request.url().endsWith('/graphql') && /^\s*mutation/.test(JSON.parse(request.postData() ?? '{}').query ?? '')) sent.push(request.postData()!);
    };
    stewardPage.on('request', listen);
    await choice.selectOption('other');
    const tag = names.getByTestId('other-name-tag');
    expect(await tag.getAttribute('dir')).toBe('ltr');
    const error = names.getByTestId('other-name-adder').getByTestId('field-error');
    await tag.fill('albanais');
    await tag.press('Enter');
    await error.waitFor();
    expect(plain(await error.innerText())).toBe(plain(fill(fr['names.tagInvalid'], { tag: 'albanais' })));
    expect(await tag.getAttribute('aria-invalid')).toBe('true');
    expect(await tag.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
    expect((await focused(stewardPage)).testid).toBe('other-name-tag');
    await tag.fill('sq!');
    expect(await error.count()).toBe(0);
    await add.click();
    expect(plain(await error.innerText())).toBe(plain(fill(fr['names.tagInvalid'], { tag: 'sq!' })));
    expect((await focused(stewardPage)).testid).toBe('other-name-tag');
    expect(await langs()).toEqual(['en', 'ar', 'ps']);
    await shot(stewardPage, names, 'names-add-language-invalid.png');
    // Time for a request the form would have sent.
    await stewardPage.waitForTimeout(300);
    stewardPage.off('request', listen);
    expect(sent).toEqual([]);
    expect(await form.count()).toBe(1);

    // Albanian by its code, typed loosely: written the canonical way.
    await tag.fill(' SQ ');
    await tag.press('Enter');
    await names.getByTestId('name-sq').waitFor();
    expect(await error.count()).toBe(0);
    expect((await focused(stewardPage)).testid).toBe('name-sq');
    expect(await names.getByTestId('name-sq').getAttribute('dir')).toBe('auto');
    await stewardPage.keyboard.type(WORKSHOP_SQ);
    expect(await langs()).toEqual(['en', 'ar', 'ps', 'sq']);
    await shot(stewardPage, names, 'names-add-language.png');

    // Saved: every name, the Arabic one it had too.
    await form.getByTestId('space-save').click();
    await panel.getByTestId('space-saved').waitFor();
    expect((await resourceNames(workshop)).names).toEqual([
      { lang: 'ar', text: 'ورشة الخياطة' },
      { lang: 'ps', text: WORKSHOP_PS },
      { lang: 'sq', text: WORKSHOP_SQ },
    ]);
    expect(plain(await space.getByTestId('other-names-line').innerText())).toContain(WORKSHOP_PS);

    // A member whose own language is Pashto reads it, in a French interface.
    const page = await loginPage(await browser.newContext(PHONE), t.baseUrl, psReader.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/agenda?r=${workshop}&w=${monday}`);
    await page.locator(`[data-testid="calendar-grid"][data-resource="${workshop}"][aria-busy="false"]`).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect((await option(page, workshop).innerText()).trim()).toBe(WORKSHOP_PS);
    await page.screenshot({ path: join(ARTIFACTS, 'names-agenda-phone-ps.png') });
    await page.context().close();
  });

  it('offers to add a language on a phone, in French and in Arabic (right to left), without sideways scrolling', async () => {
    for (const lang of ['fr', 'ar']) {
      const phone = await loginPage(await browser.newContext(PHONE), t.baseUrl, steward.handle, PASSWORD, { pageErrors, lang: lang === 'ar' ? 'ar' : undefined });
      const words = lang === 'ar' ? ar : fr;
      await phone.goto(`${t.baseUrl}/steward`);
      const panel = phone.getByTestId('spaces-panel');
      await panel.locator(`[data-testid="space"][data-space-id="${kitchen}"]`).getByTestId('space-edit').click();
      const names = panel.getByTestId('space-form').getByTestId('other-names');
      const adder = names.getByTestId('other-name-adder');
      const choice = adder.getByTestId('other-name-choice');
      expect(plain(await adder.locator('label').first().innerText())).toBe(words['names.addLabel']);
      expect(plain(await choice.locator('option[value="ps"]').innerText())).toBe(lang === 'ar' ? 'البشتو — پښتو' : 'pachto — پښتو');
      expect(plain(await choice.locator('option[value="so"]').innerText())).toBe(lang === 'ar' ? 'الصومالية — Soomaali' : 'somali — Soomaali');

      // Pashto from the list: a field wide enough for a name, its remove button beside it.
      await choice.selectOption('ps');
      await adder.getByTestId('other-name-add').click();
      const psRow = names.locator('[data-testid="other-name"][data-lang="ps"]');
      expect(plain(await psRow.locator('label').innerText())).toBe(lang === 'ar' ? 'البشتو — پښتو (ps)' : 'pachto — پښتو (ps)');
      const psField = (await psRow.getByTestId('name-ps').boundingBox())!;
      const remove = (await psRow.getByTestId('other-name-remove').boundingBox())!;
      expect(psField.width).toBeGreaterThan(200);
      expect(Math.abs(remove.y + remove.height / 2 - (psField.y + psField.height / 2))).toBeLessThan(4);
      // Another language by its code: the field under the list, the message under the button.
      await choice.selectOption('other');
      await adder.getByTestId('other-name-tag').fill('pachto');
      await adder.getByTestId('other-name-add').click();
      const error = adder.getByTestId('field-error');
      expect(plain(await error.innerText())).toBe(plain(fill(words['names.tagInvalid'], { tag: 'pachto' })));
      const list = (await choice.boundingBox())!;
      const code = (await adder.getByTestId('other-name-tag').boundingBox())!;
      const button = (await adder.getByTestId('other-name-add').boundingBox())!;
      expect(list.width).toBeGreaterThan(250);
      expect(code.y).toBeGreaterThan(list.y);
      expect(button.y).toBeGreaterThan(code.y);
      expect(button.height).toBeGreaterThanOrEqual(44);
      if (lang === 'ar') {
        // The list's label starts at the right, like the list.
        const label = (await adder.locator('label').first().boundingBox())!;
        expect(label.x + label.width).toBeGreaterThan(list.x + list.width - 20);
        expect(await phone.locator('html').getAttribute('dir')).toBe('rtl');
      }
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await shot(phone, psRow, `names-add-language-phone-${lang}.png`);
      await phone.context().close();
    }
  });

  it('the house rules name a space in the reader’s language; a refused rules query is said, never answered again without the spaces’ names', async () => {
    const STORE_AR = 'خزائن التخزين';
    const spaces = new SpacesBuilder(t, steward.token);
    const store = await spaces.resource({ name: 'Casiers de rangement', kind: 'STORAGE' });
    const { resource } = await t.gqlOk(
      `query($id: ID!) { resource(id: $id) { name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes zone { id } openingHours { weekday opens closes } } }`,
      { id: store },
      steward.token,
    );
    const { zone: storeZone, ...rest } = resource;
    await t.gqlOk(`mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id } }`, { id: store, input: { ...rest, zoneId: storeZone.id, names: [{ lang: 'ar', text: STORE_AR }] } }, steward.token);
    const admin = await new HouseBuilder(t).person({ roles: [Role.ADMIN] });
    await t.gqlOk(`mutation($r: ID!) { setHouseRule(key: CANCELLATION_NOTICE_MINUTES, resourceId: $r, value: 120) { key } }`, { r: store }, admin.token);

    const heading = (page: Page) => page.locator('h2', { hasText: STORE_AR });
    const context = await browser.newContext(PHONE);
    const page = await loginPage(context, t.baseUrl, cook.handle, PASSWORD, { pageErrors, lang: 'ar' });
    await page.goto(`${t.baseUrl}/rules`);
    await page.getByTestId('rule').first().waitFor();
    await heading(page).waitFor();
    expect(plain(await heading(page).innerText())).toBe(plain(fill(ar['rules.forResource'], { name: STORE_AR })));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, heading(page), 'names-rules-phone-ar.png');

    // The server refuses the rules' query (as one that does not know a field would): the page
    // says so, and asks nothing else that would show the rules without their spaces' names.
    const asked: string[] = [];
    await context.route('**/graphql', async (route) => {
      const query = (JSON.parse(route.request().postData() ?? '{}') as { query?: string }).query ?? '';
      if (!/houseRules/.test(query)) return route.continue();
      asked.push(query);
      if (asked.length > 1) return route.continue();
      await route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'Cannot query field "names" on type "Resource".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }),
      });
    });
    await page.reload();
    await page.locator('[data-testid="error"][data-code="GRAPHQL_VALIDATION_FAILED"]').waitFor();
    await page.waitForTimeout(300);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('names');
    expect(await page.getByTestId('rule').count()).toBe(0);
    await context.close();
  });

  it('counts the 20-name limit on the names given, not on the empty fields of the interface’s languages; a language chosen but not added is added by the save button, not dropped', async () => {
    // A zone with 19 names, none in English or Arabic: 21 fields, of which 19 are names.
    const given = ['am', 'ckb', 'de', 'es', 'fa', 'fa-AF', 'ff', 'it', 'kab', 'ku', 'ln', 'nl', 'ps', 'pt', 'ro', 'ru', 'rw', 'so', 'sq'];
    const many = (
      await t.gqlOk(`mutation($names: [LocalizedNameInput!]) { createZone(name: "Ateliers du fond", names: $names, openToMembersAnytime: false) { id } }`, { names: given.map((lang) => ({ lang, text: `Ateliers (${lang})` })) }, steward.token)
    ).createZone.id as string;
    const sent: string[] = [];
    const listen = (request: Request) => {
      if (request.url().endsWith('/graphql') && /^\s*mutation/.test(JSON.parse(request.postData() ?? '{}').query ?? '')) sent.push(request.postData()!);
    };
    stewardPage.on('request', listen);
    try {
      await stewardPage.reload();
      const zones = stewardPage.getByTestId('spaces-panel').getByTestId('zones');
      const zone = zones.locator(`[data-testid="zone"][data-zone-id="${many}"]`);
      await zone.getByTestId('zone-edit').click();
      const form = zone.getByTestId('zone-edit-form');
      const names = form.getByTestId('other-names');
      expect(await names.getByTestId('other-name').count()).toBe(21);
      // A 20th language may still be added.
      expect(await names.getByTestId('other-name-max').count()).toBe(0);
      await names.getByTestId('other-name-adder').waitFor();
      // The Arabic name is the 20th: no more; emptied, one may be added again.
      await names.getByTestId('name-ar').fill('ورشات الخلف');
      await names.getByTestId('other-name-max').waitFor();
      expect(await names.getByTestId('other-name-adder').count()).toBe(0);
      await names.getByTestId('name-ar').fill('');
      await names.getByTestId('other-name-adder').waitFor();

      // Wolof's code typed, then the form saved without pressing "Add": nothing is sent; the
      // language is added, with the keyboard in its field and why nothing was saved.
      await names.getByTestId('other-name-choice').selectOption('other');
      await names.getByTestId('other-name-tag').fill('wo');
      await form.getByTestId('zone-save').click();
      const wolof = names.locator('[data-testid="other-name"][data-lang="wo"]');
      await wolof.waitFor();
      expect((await focused(stewardPage)).testid).toBe('name-wo');
      const waiting = wolof.getByTestId('field-error');
      expect(plain(await waiting.innerText())).toBe(plain(fill(fr['names.addedOnSave'], { lang: 'wolof' })));
      expect(await names.getByTestId('name-wo').getAttribute('aria-describedby')).toBe(await waiting.getAttribute('id'));
      await shot(stewardPage, wolof, 'names-added-on-save.png');
      await stewardPage.waitForTimeout(300);
      expect(sent).toEqual([]);
      expect(await form.count()).toBe(1);
      await stewardPage.keyboard.type('Waañ yu ginnaaw');
      expect(await waiting.count()).toBe(0);
      // 20 names: the limit.
      await names.getByTestId('other-name-max').waitFor();
      await form.getByTestId('zone-save').click();
      await zones.getByTestId('zone-saved').waitFor();
      const saved = (await zoneNames(many))!.names;
      expect(saved).toHaveLength(20);
      expect(saved).toContainEqual({ lang: 'wo', text: 'Waañ yu ginnaaw' });

      // The new zone's form: a language chosen in the list, not added, then "Create": the zone
      // waits for the name in that language; created with it.
      sent.length = 0;
      const create = zones.getByTestId('zone-form');
      await create.getByTestId('zone-name').fill('Atelier bois');
      await create.getByTestId('other-name-choice').selectOption('tr');
      await create.getByTestId('zone-create').click();
      await create.getByTestId('name-tr').waitFor();
      expect((await focused(stewardPage)).testid).toBe('name-tr');
      await stewardPage.waitForTimeout(300);
      expect(sent).toEqual([]);
      await stewardPage.keyboard.type('Ahşap atölyesi');
      await create.getByTestId('zone-create').click();
      await zones.locator('[data-testid="zone"]', { hasText: 'Atelier bois' }).waitFor();
      const { zones: all } = await t.gqlOk<{ zones: Names[] }>(`query { zones { name names { lang text } } }`, {}, steward.token);
      expect(all.find((z) => z.name === 'Atelier bois')!.names).toEqual([{ lang: 'tr', text: 'Ahşap atölyesi' }]);
    } finally {
      stewardPage.off('request', listen);
    }
  });
});

// Callbacks given to evaluate run in the browser; this Node project has no DOM types.
declare const window: unknown;
declare const document: {
  documentElement: { scrollWidth: number };
  activeElement: { id?: string; getAttribute(name: string): string | null } | null;
};
