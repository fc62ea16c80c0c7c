import { DateTime } from 'luxon';
import { HouseBuilder, TestPerson } from './support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from './support/spaces';
import { TestApp, errorCodes, startTestApp } from './support/test-app';

describe('spaces and house rules', () => {
  let t: TestApp;
  let house: HouseBuilder;
  let admin: TestPerson;
  let steward: TestPerson;
  let member: TestPerson;
  let spaces: SpacesBuilder;

  beforeAll(async () => {
    t = await startTestApp();
    house = new HouseBuilder(t);
    admin = await house.admin();
    steward = await house.steward();
    member = await house.member();
    spaces = new SpacesBuilder(t, steward.token);
  });
  afterAll(() => t.close());

  const create = `mutation($input: ResourceInput!) { createResource(input: $input) { id name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes requiresApproval zone { id openToMembersAnytime } requiredQualification { name } openingHours { weekday opens closes } rates { tier centsPerHour } } }`;

  it('creates zones and resources with opening hours (24/7 too) and rates; members cannot', async () => {
    const zone = await spaces.zone(true);
    const qualification = await house.qualification('Induction laser');
    const input = {
      name: 'Laser', kind: 'WORKSHOP', capacity: 4, zoneId: zone, slotMinutes: 15, minMinutes: 30, maxMinutes: 120, bufferMinutes: 15,
      requiredQualificationId: qualification, requiresApproval: true, openingHours: hours(EVERY_DAY, '00:00', '24:00'),
      rates: [{ tier: 'SOLIDARITY', centsPerHour: 0 }, { tier: 'STANDARD', centsPerHour: 1500 }],
    };
    const created = await t.gqlOk(create, { input }, steward.token);
    expect(created.createResource).toMatchObject({
      name: 'Laser', kind: 'WORKSHOP', slotMinutes: 15, bufferMinutes: 15, requiresApproval: true,
      zone: { id: zone, openToMembersAnytime: true }, requiredQualification: { name: 'Induction laser' },
    });
    expect(created.createResource.openingHours).toHaveLength(7);
    expect(created.createResource.openingHours[0]).toEqual({ weekday: 1, opens: '00:00', closes: '24:00' });
    expect(errorCodes(await t.gql(create, { input: { ...input, name: 'Other' } }, member.token))).toEqual(['FORBIDDEN']);
    const listed = await t.gqlOk(`{ resources(kind: WORKSHOP) { id } zones { id } }`, {}, member.token);
    expect(listed.resources.map((r: { id: string }) => r.id)).toContain(created.createResource.id);
    expect(listed.zones.map((z: { id: string }) => z.id)).toContain(zone);
  });

  it('refuses inconsistent resources and writes nothing', async () => {
    const zone = await spaces.zone();
    const base = { name: 'Room X', kind: 'ROOM', capacity: 10, zoneId: zone, slotMinutes: 30, minMinutes: 60, maxMinutes: 240, bufferMinutes: 0, openingHours: hours([1], '09:00', '17:00') };
    const before = await t.sql(`SELECT count(*)::int AS n FROM resource`);
    const bad = [
      { ...base, slotMinutes: 7 },
      { ...base, minMinutes: 45 },
      { ...base, minMinutes: 300 },
      { ...base, openingHours: [{ weekday: 1, opens: '17:00', closes: '09:00' }] },
      { ...base, openingHours: [{ weekday: 8, opens: '09:00', closes: '17:00' }] },
      { ...base, openingHours: [{ weekday: 1, opens: '9h', closes: '17:00' }] },
      { ...base, openingHours: [{ weekday: 1, opens: '09:00', closes: '13:00' }, { weekday: 1, opens: '12:00', closes: '17:00' }] },
      { ...base, rates: [{ tier: 'STANDARD', centsPerHour: -1 }] },
      { ...base, capacity: 0 },
      { ...base, name: '' },
    ];
    for (const input of bad) expect({ input, codes: errorCodes(await t.gql(create, { input }, steward.token)) }).toEqual({ input, codes: ['BAD_USER_INPUT'] });
    expect(errorCodes(await t.gql(create, { input: { ...base, zoneId: '00000000-0000-4000-8000-000000000000' } }, steward.token))).toEqual(['NOT_FOUND']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM resource`)).toEqual(before);
  });

  describe('editing a resource', () => {
    const update = `mutation($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id name kind capacity slotMinutes minMinutes maxMinutes bufferMinutes requiresApproval zone { id } openingHours { weekday opens closes } rates { tier centsPerHour } } }`;
    const base = (zoneId: string, name: string) => ({
      name, kind: 'ROOM', capacity: 12, zoneId, slotMinutes: 30, minMinutes: 60, maxMinutes: 240, bufferMinutes: 0,
      openingHours: hours(EVERY_DAY, '08:00', '22:00'), rates: [{ tier: 'SOLIDARITY', centsPerHour: 0 }, { tier: 'STANDARD', centsPerHour: 1000 }],
    });
    const snapshot = async (id: string) => ({
      resource: await t.sql(`SELECT name, capacity, zone_id, slot_minutes, min_minutes, buffer_minutes FROM resource WHERE id = $1`, [id]),
      hours: await t.sql(`SELECT weekday, opens_minute, closes_minute FROM resource_opening_hours WHERE resource_id = $1 ORDER BY weekday, opens_minute`, [id]),
      rates: await t.sql(`SELECT tier, cents_per_hour FROM resource_rate WHERE resource_id = $1 ORDER BY tier`, [id]),
      log: await t.sql(`SELECT count(*)::int AS n FROM event_log`),
    });

    /** A Monday two to three weeks ahead (the app runs on the real clock here), at a local time, plus some days. */
    const ahead = (days: number, time: string) => {
      const [hour, minute] = time.split(':').map(Number);
      return DateTime.now().setZone('Europe/Brussels').startOf('week').plus({ weeks: 2, days }).set({ hour, minute }).toISO()!;
    };

    it('lets a steward change everything at once, logs what changed, and keeps the bookings already made as they were', async () => {
      const zone = await spaces.zone();
      const otherZone = await spaces.zone(true);
      const name = `Salle ${Date.now().toString(36)}`;
      const id = (await t.gqlOk(create, { input: base(zone, name) }, steward.token)).createResource.id;
      const collective = await house.collective();
      await house.membership(member.id, collective.id);
      const booked = await t.gqlOk(BOOK, { input: { resourceId: id, collectiveId: collective.id, title: 'Réunion', startsAt: ahead(0, '10:00'), endsAt: ahead(0, '12:00') } }, member.token);

      const edited = {
        ...base(otherZone, `${name} (grande)`), kind: 'WORKSHOP', capacity: 30, slotMinutes: 60, minMinutes: 120, maxMinutes: 480, bufferMinutes: 30, requiresApproval: true,
        openingHours: [...hours([1, 2, 3, 4, 5], '09:00', '18:00'), { weekday: 6, opens: '10:00', closes: '24:00' }], rates: [{ tier: 'STANDARD', centsPerHour: 2000 }],
      };
      const data = await t.gqlOk(update, { id, input: edited }, steward.token);
      expect(data.updateResource).toMatchObject({ name: `${name} (grande)`, kind: 'WORKSHOP', capacity: 30, slotMinutes: 60, minMinutes: 120, bufferMinutes: 30, requiresApproval: true, zone: { id: otherZone } });
      expect(data.updateResource.openingHours).toEqual(edited.openingHours);
      expect(data.updateResource.rates).toEqual([{ tier: 'STANDARD', centsPerHour: 2000 }]);
      // The booking made before keeps its times, buffer and price.
      expect(await t.sql(`SELECT starts_at, ends_at, buffer_minutes, price_cents, status FROM booking WHERE id = $1`, [booked.book[0].id])).toEqual([
        { starts_at: new Date(ahead(0, '10:00')), ends_at: new Date(ahead(0, '12:00')), buffer_minutes: 0, price_cents: booked.book[0].priceCents, status: 'CONFIRMED' },
      ]);
      // New bookings follow the new values: the 30-minute grid is gone, the buffer applies.
      const offGrid = await t.gql(BOOK, { input: { resourceId: id, collectiveId: collective.id, title: 'Atelier', startsAt: ahead(1, '10:30'), endsAt: ahead(1, '12:30') } }, member.token);
      expect(errorCodes(offGrid)).toEqual(['BAD_USER_INPUT']);
      const onGrid = await t.gqlOk(BOOK, { input: { resourceId: id, collectiveId: collective.id, title: 'Atelier', startsAt: ahead(1, '10:00'), endsAt: ahead(1, '12:00') } }, member.token);
      expect(onGrid.book[0].status).toBe('PENDING');
      expect((await t.sql(`SELECT buffer_minutes FROM booking WHERE id = $1`, [onGrid.book[0].id]))[0].buffer_minutes).toBe(30);

      const logged = await t.sql(`SELECT actor_id, payload FROM event_log WHERE type = 'resource.updated' AND subject_id = $1`, [id]);
      expect(logged).toEqual([{ actor_id: steward.id, payload: expect.objectContaining({ zoneId: otherZone, previousZoneId: zone }) }]);
      expect([...logged[0].payload.changed].sort()).toEqual(
        ['bufferMinutes', 'capacity', 'kind', 'maxMinutes', 'minMinutes', 'name', 'openingHours', 'rates', 'requiresApproval', 'slotMinutes', 'zoneId'].sort(),
      );

      // Saving the same values again changes and logs nothing (ids in capitals are the same ids); a new case of its own name is a change.
      await t.gqlOk(update, { id, input: edited }, steward.token);
      await t.gqlOk(update, { id, input: { ...edited, zoneId: otherZone.toUpperCase() } }, steward.token);
      expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'resource.updated' AND subject_id = $1`, [id])).toEqual([{ n: 1 }]);
      expect((await t.gqlOk(update, { id, input: { ...edited, name: edited.name.toUpperCase() } }, steward.token)).updateResource.name).toBe(edited.name.toUpperCase());
    });

    it('refuses members, unknown ids, another resource\'s name and inconsistent values, writing nothing', async () => {
      const zone = await spaces.zone();
      const name = `Atelier ${Date.now().toString(36)}`;
      const id = (await t.gqlOk(create, { input: base(zone, name) }, steward.token)).createResource.id;
      const other = (await t.gqlOk(create, { input: base(zone, `${name} bis`) }, steward.token)).createResource.id;
      const before = await snapshot(id);
      const good = base(zone, name);
      expect(errorCodes(await t.gql(update, { id, input: { ...good, capacity: 2 } }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(update, { id: '00000000-0000-4000-8000-000000000000', input: good }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(update, { id, input: { ...good, zoneId: '00000000-0000-4000-8000-000000000000' } }, steward.token))).toEqual(['NOT_FOUND']);
      const taken = await t.gql(update, { id, input: { ...good, name: `${name} BIS` } }, steward.token);
      expect(errorCodes(taken)).toEqual(['BAD_USER_INPUT']);
      expect(taken.errors?.[0].extensions?.field).toBe('name');
      const bad = [
        { ...good, name: '   ' },
        { ...good, slotMinutes: 7 },
        { ...good, minMinutes: 45 },
        { ...good, minMinutes: 300 },
        { ...good, capacity: 0 },
        { ...good, openingHours: [{ weekday: 1, opens: '17:00', closes: '09:00' }] },
        { ...good, rates: [{ tier: 'STANDARD', centsPerHour: 100 }, { tier: 'STANDARD', centsPerHour: 200 }] },
      ];
      for (const input of bad) expect({ input, codes: errorCodes(await t.gql(update, { id, input }, steward.token)) }).toEqual({ input, codes: ['BAD_USER_INPUT'] });
      expect(await snapshot(id)).toEqual(before);
      expect((await t.sql(`SELECT name FROM resource WHERE id = $1`, [other]))[0].name).toBe(`${name} bis`);
    });

    it('gives a name to one resource only when two stewards choose it at the same time', async () => {
      const zone = await spaces.zone();
      const stamp = Date.now().toString(36);
      const ids = await Promise.all([1, 2].map(async (i) => (await t.gqlOk(create, { input: base(zone, `Box ${stamp} ${i}`) }, steward.token)).createResource.id));
      const results = await Promise.all(ids.map((id) => t.gql(update, { id, input: base(zone, `Casier ${stamp}`) }, steward.token)));
      expect(results.map((r) => (r.errors ? errorCodes(r)[0] : 'OK')).sort()).toEqual(['BAD_USER_INPUT', 'OK']);
      expect(await t.sql(`SELECT count(*)::int AS n FROM resource WHERE lower(name) = lower($1)`, [`Casier ${stamp}`])).toEqual([{ n: 1 }]);
    });
  });

  describe('editing a zone', () => {
    const UPDATE_ZONE = `mutation($id: ID!, $n: String!, $o: Boolean!) { updateZone(id: $id, name: $n, openToMembersAnytime: $o) { id name openToMembersAnytime } }`;
    const zoneRow = async (id: string) => (await t.sql(`SELECT name, open_to_members_anytime FROM zone WHERE id = $1`, [id]))[0];
    const zoneLog = (id: string) => t.sql(`SELECT actor_id AS "actorId", payload FROM event_log WHERE type = 'zone.updated' AND subject_id = $1 ORDER BY seq`, [id]);

    it('renames a zone and opens it at any hour, logging what changed; the same values again write nothing', async () => {
      const id = await spaces.zone(false);
      const stamp = Date.now().toString(36);
      const renamed = await t.gqlOk(UPDATE_ZONE, { id: id.toUpperCase(), n: `  Ateliers ${stamp} `, o: false }, steward.token);
      expect(renamed.updateZone).toEqual({ id, name: `Ateliers ${stamp}`, openToMembersAnytime: false });
      const opened = await t.gqlOk(UPDATE_ZONE, { id, n: `Ateliers ${stamp}`, o: true }, admin.token);
      expect(opened.updateZone.openToMembersAnytime).toBe(true);
      // The very same values again are not a change.
      await t.gqlOk(UPDATE_ZONE, { id, n: `Ateliers ${stamp}`, o: true }, steward.token);
      expect(await zoneRow(id)).toEqual({ name: `Ateliers ${stamp}`, open_to_members_anytime: true });
      expect((await t.gqlOk(`{ zones { id name openToMembersAnytime } }`, {}, member.token)).zones).toContainEqual({ id, name: `Ateliers ${stamp}`, openToMembersAnytime: true });
      expect(await zoneLog(id)).toEqual([
        { actorId: steward.id, payload: { name: `Ateliers ${stamp}`, names: {}, openToMembersAnytime: false, changed: ['name'] } },
        { actorId: admin.id, payload: { name: `Ateliers ${stamp}`, names: {}, openToMembersAnytime: true, changed: ['openToMembersAnytime'] } },
      ]);
    });

    it('refuses members, unknown ids, an empty or too long name and another zone\'s name (any case), writing nothing', async () => {
      const id = await spaces.zone(false);
      const other = await spaces.zone(false);
      const [{ name: otherName }] = await t.sql(`SELECT name FROM zone WHERE id = $1`, [other]);
      const before = await zoneRow(id);
      expect(errorCodes(await t.gql(UPDATE_ZONE, { id, n: 'Par un membre', o: true }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(UPDATE_ZONE, { id: '00000000-0000-4000-8000-000000000000', n: 'Nulle part', o: true }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(UPDATE_ZONE, { id: 'zone-1', n: 'Nulle part', o: true }, steward.token))).toEqual(['NOT_FOUND']);
      for (const [n, reason] of [['', undefined], ['   ', undefined], ['x'.repeat(121), undefined], [otherName.toUpperCase(), 'TAKEN']]) {
        const refused = await t.gql(UPDATE_ZONE, { id, n, o: true }, steward.token);
        expect({ n, codes: errorCodes(refused), field: refused.errors?.[0].extensions?.field, reason: refused.errors?.[0].extensions?.reason }).toEqual({ n, codes: ['BAD_USER_INPUT'], field: 'name', reason });
      }
      expect(await zoneRow(id)).toEqual(before);
      expect(await zoneLog(id)).toEqual([]);
    });

    it('gives a name to one zone only when two stewards choose it at the same time', async () => {
      const ids = [await spaces.zone(), await spaces.zone()];
      const name = `Cour ${Date.now().toString(36)}`;
      const results = await Promise.all(ids.map((id) => t.gql(UPDATE_ZONE, { id, n: name, o: false }, steward.token)));
      expect(results.map((r) => (r.errors ? `${errorCodes(r)[0]} ${r.errors[0].extensions?.field} ${r.errors[0].extensions?.reason}` : 'OK')).sort()).toEqual(['BAD_USER_INPUT name TAKEN', 'OK']);
      expect(await t.sql(`SELECT count(*)::int AS n FROM zone WHERE lower(name) = lower($1)`, [name])).toEqual([{ n: 1 }]);
    });
  });

  describe('house rules', () => {
    const rules = `{ houseRules { key value updatedAt resource { id } } }`;
    const set = `mutation($k: RuleKey!, $r: ID, $v: Int!) { setHouseRule(key: $k, resourceId: $r, value: $v) { key value resource { id } } }`;

    it('tells what each rule may be set to', async () => {
      const data = await t.gqlOk(`{ ruleLimits { key min max perResource } }`, {}, member.token);
      expect(data.ruleLimits).toHaveLength(9);
      expect(data.ruleLimits).toContainEqual({ key: 'QUORUM_PERCENT', min: 1, max: 100, perResource: false });
      expect(data.ruleLimits).toContainEqual({ key: 'WEEKLY_QUOTA_MINUTES', min: 0, max: 10080, perResource: true });
    });

    it('starts with founding values for every key', async () => {
      const data = await t.gqlOk(rules, {}, member.token);
      const houseWide = Object.fromEntries(data.houseRules.filter((r: { resource: unknown }) => !r.resource).map((r: { key: string; value: number }) => [r.key, r.value]));
      expect(houseWide).toEqual({
        WEEKLY_QUOTA_MINUTES: 10080, MAX_ADVANCE_DAYS: 90, CANCELLATION_NOTICE_MINUTES: 60, NO_SHOW_RELEASE_MINUTES: 30, ACCESS_GRACE_MINUTES: 15,
        QUORUM_PERCENT: 30, ADOPTION_THRESHOLD_PERCENT: 50, DISCUSSION_MIN_HOURS: 72, ACCESS_LOG_RETENTION_DAYS: 90,
      });
    });

    it('lets only an admin set a value, validates it, logs it and keeps the history; a per-resource value wins', async () => {
      const resource = await spaces.resource();
      expect(errorCodes(await t.gql(set, { k: 'ACCESS_GRACE_MINUTES', v: 20 }, steward.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(set, { k: 'QUORUM_PERCENT', v: 101 }, admin.token))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await t.gql(set, { k: 'QUORUM_PERCENT', r: resource, v: 40 }, admin.token))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await t.gql(set, { k: 'WEEKLY_QUOTA_MINUTES', v: -1 }, admin.token))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await t.gql(set, { k: 'WEEKLY_QUOTA_MINUTES', r: '00000000-0000-4000-8000-000000000000', v: 60 }, admin.token))).toEqual(['NOT_FOUND']);

      await t.gqlOk(set, { k: 'ACCESS_GRACE_MINUTES', v: 20 }, admin.token);
      await t.gqlOk(set, { k: 'ACCESS_GRACE_MINUTES', r: resource, v: 5 }, admin.token);
      await t.gqlOk(set, { k: 'ACCESS_GRACE_MINUTES', v: 25 }, admin.token);
      const data = await t.gqlOk(rules, {}, member.token);
      const grace = data.houseRules.filter((r: { key: string }) => r.key === 'ACCESS_GRACE_MINUTES');
      expect(grace.map((r: { value: number; resource: { id: string } | null }) => [r.value, r.resource?.id ?? null])).toEqual([[25, null], [5, resource]]);

      const history = await t.gqlOk(`{ houseRuleHistory(key: ACCESS_GRACE_MINUTES) { value } }`, {}, member.token);
      expect(history.houseRuleHistory.map((r: { value: number }) => r.value)).toEqual([25, 20, 15]);
      const logged = await t.sql(`SELECT actor_id, payload FROM event_log WHERE type = 'rule.set' ORDER BY seq`);
      expect(logged.map((e) => [e.actor_id, e.payload.value, e.payload.previous])).toEqual([[admin.id, 20, 15], [admin.id, 5, null], [admin.id, 25, 20]]);
    });
  });
});
