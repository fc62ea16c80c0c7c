import { DemoHouseService, DEMO_PASSWORD } from '../src/demo/demo-house.service';
import { TestApp, errorCodes, startTestApp } from './support/test-app';

describe('first start', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD on an empty database, once', async () => {
    t = await startTestApp({ env: { DEMO: '0', ADMIN_EMAIL: 'house@example.org', ADMIN_PASSWORD: 'a long first password' } });
    const first = await t.app.get(DemoHouseService).seedOnFirstStart();
    expect(first.demoLogins).toEqual([]);
    const login = await t.gqlOk(`mutation { login(identifier: "house@example.org", password: "a long first password") { person { roles email } } }`);
    expect(login.login.person).toEqual({ roles: ['ADMIN'], email: 'house@example.org' });
    await t.app.get(DemoHouseService).seedOnFirstStart();
    expect((await t.sql(`SELECT count(*)::int AS n FROM person`))[0].n).toBe(1);
    expect((await t.sql(`SELECT count(*)::int AS n FROM collective`))[0].n).toBe(0);
  });

  it('loads the demo house once, with its people, spaces, rules, bookings, doors and badges', async () => {
    t = await startTestApp({ env: { DEMO: '1' } });
    const seeded = await t.app.get(DemoHouseService).seedOnFirstStart();
    expect(seeded.demoLogins.map((l) => l.handle)).toEqual(expect.arrayContaining(['admin', 'nadia', 'ville', 'amina', 'fatou', 'yusuf']));
    expect(seeded.demoDoors).toHaveLength(3);
    const counts = async () => (await t.sql(`SELECT (SELECT count(*) FROM collective)::int AS collectives, (SELECT count(*) FROM resource)::int AS resources,
      (SELECT count(*) FROM booking)::int AS bookings, (SELECT count(*) FROM badge)::int AS badges, (SELECT count(*) FROM person)::int AS people`))[0];
    const before = await counts();
    expect(before).toMatchObject({ collectives: 8, resources: 6, badges: 8 });
    expect(before.bookings).toBeGreaterThan(20);
    await t.app.get(DemoHouseService).seedOnFirstStart();
    expect(await counts()).toEqual(before);

    const { login } = await t.gqlOk(`mutation($p: String!) { login(identifier: "yusuf", password: $p) { token person { memberships { collective { name } } } } }`, { p: DEMO_PASSWORD });
    expect(login.person.memberships.map((m: { collective: { name: string } }) => m.collective.name).sort()).toEqual(['Migrations Libres', 'Sirius Hub', 'Univerbal']);
    const kitchen = await t.gqlOk(
      `{ resources(kind: KITCHEN) { name names { lang text } bufferMinutes zone { names { lang } } requiredQualification { name names { lang } } rates { tier centsPerHour } } houseRules { key value resource { name } } }`,
      {},
      login.token,
    );
    expect(kitchen.resources[0]).toMatchObject({ bufferMinutes: 30, requiredQualification: { name: expect.stringMatching(/Hygiène/) } });
    // Its names in the interface's other languages (and Olena's), for readers with little French.
    expect(kitchen.resources[0].names).toEqual([{ lang: 'ar', text: 'المطبخ المشترك' }, { lang: 'en', text: 'Shared kitchen' }, { lang: 'uk', text: 'Спільна кухня' }]);
    expect([kitchen.resources[0].zone.names, kitchen.resources[0].requiredQualification.names].map((names) => names.map((n: { lang: string }) => n.lang))).toEqual([['ar', 'en', 'uk'], ['ar', 'en', 'uk']]);
    expect(kitchen.resources[0].rates).toContainEqual({ tier: 'SOLIDARITY', centsPerHour: 0 });
    expect(kitchen.houseRules).toContainEqual({ key: 'WEEKLY_QUOTA_MINUTES', value: 720, resource: { name: kitchen.resources[0].name } });
    const directory = await t.gqlOk(`{ directory { name } }`);
    expect(directory.directory.map((c: { name: string }) => c.name)).not.toContain('Voix des Sans-Papiers');
    expect(errorCodes(await t.gql(`mutation { login(identifier: "yusuf", password: "wrong password") { token } }`))).toEqual(['UNAUTHENTICATED']);
  });
});
