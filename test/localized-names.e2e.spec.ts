/**
 * Names in other languages than the house's: zones, spaces and trainings carry translations
 * that stewards set (and replace, or keep by sending none); readers get them all, the
 * calendar feed picks the subscriber's language; bad translations change nothing; a change of
 * names alone tells no door to fetch its allowlist again. Doors carry translations too.
 */
import { io, Socket } from 'socket.io-client';
import { signDoorRequest } from '../src/access/door-protocol';
import { doorRequest } from './support/door-client';
import { connectLive } from './support/live-client';
import { HouseBuilder, TestPerson } from './support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from './support/spaces';
import { TestApp, errorCodes, startTestApp } from './support/test-app';

const NAMES = `names { lang text }`;
const CREATE_ZONE = `mutation($n: String!, $names: [LocalizedNameInput!]) { createZone(name: $n, openToMembersAnytime: false, names: $names) { id name ${NAMES} } }`;
const UPDATE_ZONE = `mutation($id: ID!, $n: String!, $o: Boolean!, $names: [LocalizedNameInput!]) { updateZone(id: $id, name: $n, openToMembersAnytime: $o, names: $names) { id name ${NAMES} openToMembersAnytime } }`;
const CREATE_RESOURCE = `mutation($input: ResourceInput!) { createResource(input: $input) { id name ${NAMES} zone { ${NAMES} } requiredQualification { name ${NAMES} } } }`;
const UPDATE_RESOURCE = `mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id name ${NAMES} } }`;
const CREATE_QUALIFICATION = `mutation($n: String!, $names: [LocalizedNameInput!]) { createQualification(name: $n, names: $names) { id name ${NAMES} } }`;
const REGISTER_DOOR = `mutation($n: String!, $z: ID!, $names: [LocalizedNameInput!]) { registerDoor(name: $n, zoneId: $z, names: $names) { secret door { id name ${NAMES} } } }`;
const RENAME_DOOR = `mutation($id: ID!, $n: String!, $names: [LocalizedNameInput!]) { renameDoor(id: $id, name: $n, names: $names) { id name ${NAMES} } }`;
const UPDATE_QUALIFICATION = `mutation($id: ID!, $n: String!, $names: [LocalizedNameInput!]) { updateQualification(id: $id, name: $n, names: $names) { id name ${NAMES} } }`;

describe('names in other languages', () => {
  let t: TestApp;
  let house: HouseBuilder;
  let steward: TestPerson;
  let member: TestPerson;
  let spaces: SpacesBuilder;
  let stamp = 0;
  const unique = (name: string) => `${name} ${Date.now().toString(36)}${stamp++}`;

  beforeAll(async () => {
    t = await startTestApp();
    house = new HouseBuilder(t);
    steward = await house.steward();
    member = await house.member();
    spaces = new SpacesBuilder(t, steward.token);
  });
  afterAll(() => t.close());

  const resourceInput = (zoneId: string, name: string, extra: Record<string, unknown> = {}) => ({
    name, kind: 'KITCHEN', capacity: 6, zoneId, slotMinutes: 30, minMinutes: 60, maxMinutes: 240, bufferMinutes: 30, openingHours: hours(EVERY_DAY, '07:00', '23:00'), ...extra,
  });
  const logged = (type: string, subjectId: string) => t.sql(`SELECT payload FROM event_log WHERE type = $1 AND subject_id = $2 ORDER BY seq`, [type, subjectId]);

  it('keeps the translations a steward gives a zone, a space and a training, in canonical tags and order, and shows them to members', async () => {
    const training = (await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Hygiène'), names: [{ lang: 'en', text: ' Food hygiene ' }, { lang: 'AR', text: 'النظافة الغذائية' }] }, steward.token)).createQualification;
    expect(training.names).toEqual([{ lang: 'ar', text: 'النظافة الغذائية' }, { lang: 'en', text: 'Food hygiene' }]);
    const zone = (await t.gqlOk(CREATE_ZONE, { n: unique('Cuisine'), names: [{ lang: 'uk', text: 'Кухня' }, { lang: 'ar', text: 'المطبخ' }] }, steward.token)).createZone;
    expect(zone.names).toEqual([{ lang: 'ar', text: 'المطبخ' }, { lang: 'uk', text: 'Кухня' }]);
    const name = unique('Cuisine partagée');
    const names = [{ lang: 'pt-br', text: 'Cozinha compartilhada' }, { lang: 'ar', text: 'المطبخ المشترك' }, { lang: 'en', text: 'Shared kitchen' }];
    const created = (await t.gqlOk(CREATE_RESOURCE, { input: resourceInput(zone.id, name, { names, requiredQualificationId: training.id }) }, steward.token)).createResource;
    const expected = [{ lang: 'ar', text: 'المطبخ المشترك' }, { lang: 'en', text: 'Shared kitchen' }, { lang: 'pt-BR', text: 'Cozinha compartilhada' }];
    expect(created).toMatchObject({ name, names: expected, zone: { names: zone.names }, requiredQualification: { names: training.names } });

    // Members read them wherever the thing is named.
    const read = await t.gqlOk(`query($id: ID!) { resource(id: $id) { name ${NAMES} zone { name ${NAMES} } requiredQualification { ${NAMES} } } zones { id ${NAMES} } qualifications { id ${NAMES} } }`, { id: created.id }, member.token);
    expect(read.resource).toEqual({ name, names: expected, zone: { name: zone.name, names: zone.names }, requiredQualification: { names: training.names } });
    expect(read.zones).toContainEqual({ id: zone.id, names: zone.names });
    expect(read.qualifications).toContainEqual({ id: training.id, names: training.names });
    // The house's name stays the one that is unique: a translation may repeat another thing's name.
    expect(await t.sql(`SELECT name, names FROM resource WHERE id = $1`, [created.id])).toEqual([{ name, names: { ar: 'المطبخ المشترك', en: 'Shared kitchen', 'pt-BR': 'Cozinha compartilhada' } }]);

    expect((await logged('resource.created', created.id))[0].payload.names).toEqual({ ar: 'المطبخ المشترك', en: 'Shared kitchen', 'pt-BR': 'Cozinha compartilhada' });
    expect((await logged('zone.created', zone.id))[0].payload.names).toEqual({ ar: 'المطبخ', uk: 'Кухня' });
    expect((await logged('qualification.created', training.id))[0].payload).toEqual({ name: training.name, names: { ar: 'النظافة الغذائية', en: 'Food hygiene' } });
  });

  it('replaces translations when given, keeps them when not, and logs only a real change', async () => {
    const zoneId = await spaces.zone();
    const name = unique('Salle');
    const { id } = (await t.gqlOk(CREATE_RESOURCE, { input: resourceInput(zoneId, name, { names: [{ lang: 'en', text: 'Room' }, { lang: 'ar', text: 'قاعة' }] }) }, steward.token)).createResource;

    // An edit that does not speak of names keeps them, and is a change of capacity only.
    expect((await t.gqlOk(UPDATE_RESOURCE, { id, input: resourceInput(zoneId, name, { capacity: 8 }) }, steward.token)).updateResource.names).toEqual([{ lang: 'ar', text: 'قاعة' }, { lang: 'en', text: 'Room' }]);
    // The same translations in another order and case are no change.
    await t.gqlOk(UPDATE_RESOURCE, { id, input: resourceInput(zoneId, name, { capacity: 8, names: [{ lang: 'EN', text: 'Room' }, { lang: 'ar', text: ' قاعة' }] }) }, steward.token);
    // Given, they replace all of them: the English one goes.
    expect((await t.gqlOk(UPDATE_RESOURCE, { id, input: resourceInput(zoneId, name, { capacity: 8, names: [{ lang: 'ar', text: 'قاعة الاجتماعات' }] }) }, steward.token)).updateResource.names).toEqual([
      { lang: 'ar', text: 'قاعة الاجتماعات' },
    ]);
    // An empty list removes them.
    expect((await t.gqlOk(UPDATE_RESOURCE, { id, input: resourceInput(zoneId, name, { capacity: 8, names: [] }) }, steward.token)).updateResource.names).toEqual([]);
    expect((await logged('resource.updated', id)).map((e) => [e.payload.changed, e.payload.names])).toEqual([
      [['capacity'], { ar: 'قاعة', en: 'Room' }],
      [['names'], { ar: 'قاعة الاجتماعات' }],
      [['names'], {}],
    ]);

    const zone = (await t.gqlOk(CREATE_ZONE, { n: unique('Cour') }, steward.token)).createZone;
    expect(zone.names).toEqual([]);
    await t.gqlOk(UPDATE_ZONE, { id: zone.id, n: zone.name, o: false, names: [{ lang: 'ar', text: 'الساحة' }] }, steward.token);
    expect((await t.gqlOk(UPDATE_ZONE, { id: zone.id, n: zone.name, o: true }, steward.token)).updateZone.names).toEqual([{ lang: 'ar', text: 'الساحة' }]);
    await t.gqlOk(UPDATE_ZONE, { id: zone.id, n: zone.name, o: true, names: [{ lang: 'ar', text: 'الساحة' }] }, steward.token);
    expect((await logged('zone.updated', zone.id)).map((e) => e.payload.changed)).toEqual([['names'], ['openToMembersAnytime']]);

    const training = (await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Induction laser') }, steward.token)).createQualification;
    const renamed = unique('Initiation découpeuse laser');
    const updated = (await t.gqlOk(UPDATE_QUALIFICATION, { id: training.id.toUpperCase(), n: ` ${renamed} `, names: [{ lang: 'en', text: 'Laser cutter induction' }] }, steward.token)).updateQualification;
    expect(updated).toEqual({ id: training.id, name: renamed, names: [{ lang: 'en', text: 'Laser cutter induction' }] });
    expect((await t.gqlOk(UPDATE_QUALIFICATION, { id: training.id, n: renamed }, steward.token)).updateQualification.names).toEqual([{ lang: 'en', text: 'Laser cutter induction' }]);
    expect((await logged('qualification.updated', training.id)).map((e) => e.payload)).toEqual([{ name: renamed, names: { en: 'Laser cutter induction' }, changed: ['name', 'names'] }]);
  });

  it('refuses bad translations, members, unknown trainings and a training name someone has, writing nothing', async () => {
    const zoneId = await spaces.zone();
    const name = unique('Atelier');
    const { id } = (await t.gqlOk(CREATE_RESOURCE, { input: resourceInput(zoneId, name, { names: [{ lang: 'en', text: 'Workshop' }] }) }, steward.token)).createResource;
    const training = (await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Soudure') }, steward.token)).createQualification;
    const other = (await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Couture') }, steward.token)).createQualification;
    const before = await t.sql(`SELECT (SELECT count(*) FROM event_log)::int AS log, (SELECT count(*) FROM zone)::int AS zones, (SELECT count(*) FROM qualification)::int AS trainings`);
    const resourceBefore = await t.sql(`SELECT name, names FROM resource WHERE id = $1`, [id]);
    const trainingBefore = await t.sql(`SELECT name, names FROM qualification WHERE id = $1`, [training.id]);

    const bad: Array<[string, Array<{ lang: string; text: string }>]> = [
      ['not a tag', [{ lang: 'arabic!', text: 'قاعة' }]],
      ['digits', [{ lang: '12', text: 'x' }]],
      ['empty text', [{ lang: 'ar', text: '   ' }]],
      ['too long', [{ lang: 'ar', text: 'ق'.repeat(121) }]],
      ['twice, in two cases', [{ lang: 'ar', text: 'قاعة' }, { lang: 'AR', text: 'ورشة' }]],
      ['too many', Array.from({ length: 21 }, (_, i) => ({ lang: `x${String.fromCharCode(97 + i)}`, text: 'x' }))],
    ];
    for (const [why, names] of bad) {
      for (const result of [
        await t.gql(UPDATE_RESOURCE, { id, input: resourceInput(zoneId, name, { names }) }, steward.token),
        await t.gql(CREATE_ZONE, { n: unique('Zone'), names }, steward.token),
        await t.gql(CREATE_QUALIFICATION, { n: unique('Formation'), names }, steward.token),
        await t.gql(UPDATE_QUALIFICATION, { id: training.id, n: training.name, names }, steward.token),
      ]) {
        expect({ why, codes: errorCodes(result), field: result.errors?.[0].extensions?.field }).toEqual({ why, codes: ['BAD_USER_INPUT'], field: 'names' });
      }
    }
    expect(errorCodes(await t.gql(UPDATE_QUALIFICATION, { id: training.id, n: 'Par un membre' }, member.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.gql(UPDATE_QUALIFICATION, { id: '00000000-0000-4000-8000-000000000000', n: 'Nulle part' }, steward.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.gql(UPDATE_QUALIFICATION, { id: 'training-1', n: 'Nulle part' }, steward.token))).toEqual(['NOT_FOUND']);
    for (const n of ['', 'x'.repeat(121)]) {
      const refused = await t.gql(UPDATE_QUALIFICATION, { id: training.id, n }, steward.token);
      expect({ n, codes: errorCodes(refused), field: refused.errors?.[0].extensions?.field }).toEqual({ n, codes: ['BAD_USER_INPUT'], field: 'name' });
    }
    const taken = await t.gql(UPDATE_QUALIFICATION, { id: training.id, n: other.name.toUpperCase() }, steward.token);
    expect([errorCodes(taken), taken.errors?.[0].extensions?.field, taken.errors?.[0].extensions?.reason]).toEqual([['BAD_USER_INPUT'], 'name', 'TAKEN']);

    expect(await t.sql(`SELECT (SELECT count(*) FROM event_log)::int AS log, (SELECT count(*) FROM zone)::int AS zones, (SELECT count(*) FROM qualification)::int AS trainings`)).toEqual(before);
    expect(await t.sql(`SELECT name, names FROM resource WHERE id = $1`, [id])).toEqual(resourceBefore);
    expect(await t.sql(`SELECT name, names FROM qualification WHERE id = $1`, [training.id])).toEqual(trainingBefore);
  });

  it('gives a training name to one training only when two stewards choose it at the same time', async () => {
    const ids = [(await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Q') }, steward.token)).createQualification.id, (await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Q') }, steward.token)).createQualification.id];
    const name = unique('Hygiène (recyclage)');
    const results = await Promise.all(ids.map((id) => t.gql(UPDATE_QUALIFICATION, { id, n: name }, steward.token)));
    expect(results.map((r) => (r.errors ? `${errorCodes(r)[0]} ${r.errors[0].extensions?.field} ${r.errors[0].extensions?.reason}` : 'OK')).sort()).toEqual(['BAD_USER_INPUT name TAKEN', 'OK']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM qualification WHERE lower(name) = lower($1)`, [name])).toEqual([{ n: 1 }]);
  });

  it('applies two stewards\' translations of one zone or training one after the other: the same one sent twice at once is one change', async () => {
    const zone = (await t.gqlOk(CREATE_ZONE, { n: unique('Jardin') }, steward.token)).createZone;
    const names = [{ lang: 'ar', text: 'الحديقة' }];
    const results = await Promise.all([1, 2].map(() => t.gqlOk(UPDATE_ZONE, { id: zone.id, n: zone.name, o: false, names }, steward.token)));
    expect(results.map((r) => r.updateZone.names)).toEqual([names, names]);
    expect((await logged('zone.updated', zone.id)).map((e) => e.payload)).toEqual([{ name: zone.name, names: { ar: 'الحديقة' }, openToMembersAnytime: false, changed: ['names'] }]);

    const training = (await t.gqlOk(CREATE_QUALIFICATION, { n: unique('Jardinage') }, steward.token)).createQualification;
    const translated = [{ lang: 'en', text: 'Gardening' }];
    await Promise.all([1, 2].map(() => t.gqlOk(UPDATE_QUALIFICATION, { id: training.id, n: training.name, names: translated }, steward.token)));
    expect((await logged('qualification.updated', training.id)).map((e) => e.payload)).toEqual([{ name: training.name, names: { en: 'Gardening' }, changed: ['names'] }]);
  });

  it('names spaces in the calendar feed in the subscriber\'s language (its region falling back to the language), else in the house\'s', async () => {
    const zoneId = await spaces.zone();
    const name = unique('Salle polyvalente');
    const { id } = (await t.gqlOk(CREATE_RESOURCE, { input: { ...resourceInput(zoneId, name), kind: 'ROOM', bufferMinutes: 0, names: [{ lang: 'ar', text: 'القاعة متعددة الاستخدامات' }, { lang: 'en', text: 'Multi-purpose room' }] } }, steward.token)).createResource;
    const collective = await house.collective();
    const feedOf = async (locale: string) => {
      const person = await house.member();
      await house.membership(person.id, collective.id);
      await t.gqlOk(`mutation($l: String!) { setMyLocale(locale: $l) { locale } }`, { l: locale }, person.token);
      return { person, url: (await t.gqlOk(`mutation { resetCalendarFeed }`, {}, person.token)).resetCalendarFeed as string };
    };
    const readers = { ar: await feedOf('ar-MA'), en: await feedOf('en'), ps: await feedOf('ps') };
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await t.gqlOk(BOOK, { input: { resourceId: id, collectiveId: collective.id, title: 'Réunion', startsAt: `${day}T10:00:00+01:00`, endsAt: `${day}T11:00:00+01:00` } }, readers.en.person.token);
    const summary = async (url: string) => {
      const text = await (await fetch(`${t.baseUrl}${new URL(url).pathname}`)).text();
      return text.split('\r\n').find((line) => line.startsWith('SUMMARY:'));
    };
    expect(await summary(readers.ar.url)).toBe('SUMMARY:Réunion · القاعة متعددة الاستخدامات');
    expect(await summary(readers.en.url)).toBe('SUMMARY:Réunion · Multi-purpose room');
    expect(await summary(readers.ps.url)).toBe(`SUMMARY:Réunion · ${name}`);
  });

  describe('doors', () => {
    let socket: Socket | undefined;
    afterAll(() => socket?.disconnect());

    it('keep the translations a steward gives them, which members read in their own entries, and tell live pages of each change', async () => {
      const zone = (await t.gqlOk(CREATE_ZONE, { n: unique('Hall') }, steward.token)).createZone;
      await t.gqlOk(UPDATE_ZONE, { id: zone.id, n: zone.name, o: true }, steward.token);
      const live = await connectLive(t.baseUrl, member.token);
      await live.subscribe();
      const name = unique('Porte de la cour');
      const registered = (await t.gqlOk(REGISTER_DOOR, { n: ` ${name} `, z: zone.id, names: [{ lang: 'AR', text: ' باب الساحة ' }, { lang: 'en', text: 'Courtyard door' }] }, steward.token)).registerDoor;
      const door = registered.door;
      expect(door).toEqual({ id: door.id, name, names: [{ lang: 'ar', text: 'باب الساحة' }, { lang: 'en', text: 'Courtyard door' }] });
      expect((await logged('door.registered', door.id))[0].payload).toEqual({ name, names: { ar: 'باب الساحة', en: 'Courtyard door' }, zoneId: zone.id });

      // The member badges in, and reads the door's name in their language among their entries.
      const uid = `D00${Date.now().toString(16).toUpperCase().slice(-8)}`;
      await t.gqlOk(`mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u) { id } }`, { p: member.id, u: uid }, steward.token);
      const entered = await doorRequest({ baseUrl: t.baseUrl, doorId: door.id, secret: registered.secret, method: 'POST', path: '/access/v1/decisions', body: JSON.stringify({ badgeUid: uid }), timestamp: Date.now() });
      expect(entered.body.reason).toBe('MEMBER_ANYTIME');
      const range = { f: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
      const mine = async () => (await t.gqlOk(`query($f: DateTime!, $to: DateTime!) { myAccessEvents(from: $f, to: $to) { door { id name ${NAMES} } } }`, range, member.token)).myAccessEvents;
      expect(await mine()).toEqual([{ door }]);

      // Renamed without a word on translations: they stay. Then only translated. Then the same again: no change.
      const renamed = unique('Porte du jardin');
      expect((await t.gqlOk(RENAME_DOOR, { id: door.id.toUpperCase(), n: renamed }, steward.token)).renameDoor).toEqual({ ...door, name: renamed });
      const translated = [{ lang: 'ar', text: 'باب الحديقة' }];
      expect((await t.gqlOk(RENAME_DOOR, { id: door.id, n: renamed, names: translated }, steward.token)).renameDoor).toEqual({ id: door.id, name: renamed, names: translated });
      await t.gqlOk(RENAME_DOOR, { id: door.id, n: renamed, names: [{ lang: 'AR', text: 'باب الحديقة ' }] }, steward.token);
      expect(await mine()).toEqual([{ door: { id: door.id, name: renamed, names: translated } }]);
      expect((await logged('door.renamed', door.id)).map((e) => e.payload)).toEqual([
        { name: renamed, names: { ar: 'باب الساحة', en: 'Courtyard door' }, changed: ['name'] },
        { name: renamed, names: { ar: 'باب الحديقة' }, changed: ['names'] },
      ]);

      // A retired door keeps its entries, and may still be renamed: they name it.
      await t.gqlOk(`mutation($id: ID!) { retireDoor(id: $id) { id } }`, { id: door.id }, steward.token);
      await t.gqlOk(RENAME_DOOR, { id: door.id, n: renamed, names: [] }, steward.token);
      const changes = (await live.waitForNamed('door.changed', 5)).map((body) => body.door);
      live.close();
      expect(changes).toEqual([
        { id: door.id, change: 'created' },
        { id: door.id, change: 'updated' },
        { id: door.id, change: 'updated' },
        { id: door.id, change: 'retired' },
        { id: door.id, change: 'updated' },
      ]);
    });

    it('refuse bad names, members and unknown doors, writing nothing', async () => {
      const zoneId = await spaces.zone();
      const door = (await t.gqlOk(REGISTER_DOOR, { n: unique('Porte'), z: zoneId, names: [{ lang: 'en', text: 'Door' }] }, steward.token)).registerDoor.door;
      const counts = `SELECT (SELECT count(*) FROM event_log)::int AS log, (SELECT count(*) FROM door)::int AS doors`;
      const before = await t.sql(counts);
      const doorBefore = await t.sql(`SELECT name, names FROM door WHERE id = $1`, [door.id]);
      const refusal = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => [...errorCodes(result as never), result.errors?.[0].extensions?.field];

      for (const names of [[{ lang: 'arabic!', text: 'باب' }], [{ lang: 'ar', text: ' ' }], [{ lang: 'ar', text: 'ب'.repeat(121) }], [{ lang: 'ar', text: 'باب' }, { lang: 'AR', text: 'مدخل' }]]) {
        expect(refusal(await t.gql(REGISTER_DOOR, { n: unique('Porte'), z: zoneId, names }, steward.token))).toEqual(['BAD_USER_INPUT', 'names']);
        expect(refusal(await t.gql(RENAME_DOOR, { id: door.id, n: door.name, names }, steward.token))).toEqual(['BAD_USER_INPUT', 'names']);
      }
      for (const n of ['  ', 'x'.repeat(121)]) {
        expect(refusal(await t.gql(REGISTER_DOOR, { n, z: zoneId }, steward.token))).toEqual(['BAD_USER_INPUT', 'name']);
        expect(refusal(await t.gql(RENAME_DOOR, { id: door.id, n }, steward.token))).toEqual(['BAD_USER_INPUT', 'name']);
      }
      expect(errorCodes(await t.gql(RENAME_DOOR, { id: door.id, n: 'Par un membre' }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(REGISTER_DOOR, { n: 'Par un membre', z: zoneId }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(RENAME_DOOR, { id: '00000000-0000-4000-8000-000000000000', n: 'Nulle part' }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(RENAME_DOOR, { id: 'door-1', n: 'Nulle part' }, steward.token))).toEqual(['NOT_FOUND']);

      expect(await t.sql(counts)).toEqual(before);
      expect(await t.sql(`SELECT name, names FROM door WHERE id = $1`, [door.id])).toEqual(doorBefore);
    });

    it('apply two stewards\' renames of a door one after the other: the same one sent twice at once is one change', async () => {
      const door = (await t.gqlOk(REGISTER_DOOR, { n: unique('Porte'), z: await spaces.zone() }, steward.token)).registerDoor.door;
      const name = unique('Porte de l\'atelier');
      const names = [{ lang: 'ar', text: 'باب الورشة' }];
      const results = await Promise.all([1, 2].map(() => t.gqlOk(RENAME_DOOR, { id: door.id, n: name, names }, steward.token)));
      expect(results.map((r) => r.renameDoor)).toEqual([{ id: door.id, name, names }, { id: door.id, name, names }]);
      expect((await logged('door.renamed', door.id)).map((e) => e.payload)).toEqual([{ name, names: { ar: 'باب الورشة' }, changed: ['name', 'names'] }]);
    });

    it('are not told to fetch their allowlist again when a zone, a space or the door itself is only renamed or translated', async () => {
      const zone = (await t.gqlOk(CREATE_ZONE, { n: unique('Entrée') }, steward.token)).createZone;
      const { id: resourceId } = (await t.gqlOk(CREATE_RESOURCE, { input: resourceInput(zone.id, unique('Cuisine')) }, steward.token)).createResource;
      const door = (await t.gqlOk(`mutation($n: String!, $z: ID!) { registerDoor(name: $n, zoneId: $z) { secret door { id } } }`, { n: unique('Porte'), z: zone.id }, steward.token)).registerDoor;
      const pushes: number[] = [];
      socket = io(`${t.baseUrl}/doors`, {
        transports: ['websocket'],
        auth: (callback) => {
          const timestamp = String(Date.now());
          callback({ doorId: door.door.id, timestamp, signature: signDoorRequest(door.secret, timestamp, 'GET', '/doors', '') });
        },
      });
      socket.on('allowlist.changed', (body: { seq: number }) => pushes.push(body.seq));
      await new Promise<void>((resolve, reject) => {
        socket!.once('connect', resolve);
        socket!.once('connect_error', reject);
      });

      await t.gqlOk(UPDATE_ZONE, { id: zone.id, n: unique('Entrée principale'), o: false, names: [{ lang: 'ar', text: 'المدخل' }] }, steward.token);
      await t.gqlOk(UPDATE_RESOURCE, { id: resourceId, input: resourceInput(zone.id, unique('Cuisine du bas'), { names: [{ lang: 'en', text: 'Kitchen' }] }) }, steward.token);
      await t.gqlOk(RENAME_DOOR, { id: door.door.id, n: unique('Porte principale'), names: [{ lang: 'ar', text: 'الباب الرئيسي' }] }, steward.token);
      // A change doors do follow, logged after both: the first push they get is for it.
      await t.gqlOk(UPDATE_ZONE, { id: zone.id, n: unique('Entrée principale'), o: true }, steward.token);
      const [{ seq: opened }] = await t.sql(`SELECT seq::int FROM event_log WHERE type = 'zone.updated' AND subject_id = $1 AND payload->'changed' ? 'openToMembersAnytime'`, [zone.id]);
      const started = Date.now();
      while (pushes.length === 0 && Date.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(pushes[0]).toBe(opened);
    });
  });
});
