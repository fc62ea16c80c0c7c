import { Scheduler } from '../src/database/scheduler';
import { REVOKED_TOKENS_JOB } from '../src/identity/identity.jobs';
import { Role } from '../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from './support/house';
import { LiveClient, connectLive } from './support/live-client';
import { TestApp, errorCodes, startTestApp } from './support/test-app';

const LOGIN = `mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }`;
const LOGOUT = `mutation { logout }`;
const LOGOUT_EVERYWHERE = `mutation($p: ID) { logoutEverywhere(personId: $p) }`;
const PASSWORD = 'two phones, one person';

/** Signing out: one device, or every device (a lost or shared phone), over GraphQL and the live socket. */
describe('signing out', () => {
  let t: TestApp;
  let house: HouseBuilder;
  let steward: TestPerson;
  let admin: TestPerson;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    house = new HouseBuilder(t);
    steward = await house.steward();
    admin = await house.admin();
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => t.close());

  /** A person with a password, signed in on two devices. */
  async function twoDevices(roles: Role[] = [Role.MEMBER]): Promise<{ person: TestPerson; phone: string; laptop: string }> {
    const person = await house.person({ roles, password: PASSWORD });
    const login = async () => (await t.gqlOk(LOGIN, { i: person.handle, p: PASSWORD })).login.token as string;
    return { person, phone: await login(), laptop: await login() };
  }

  const signedIn = async (token: string) => {
    const response = await t.gql(`{ me { id } }`, {}, token);
    return response.data?.me?.id ?? null;
  };
  const exportStatus = async (token: string) => (await fetch(`${t.baseUrl}/me/export.json`, { headers: { authorization: `Bearer ${token}` } })).status;
  const signOuts = (personId: string) =>
    t.sql(`SELECT actor_id AS "actorId", payload FROM event_log WHERE type = 'person.signed_out' AND subject_id = $1 ORDER BY seq`, [personId]);

  const live = async (token: string) => {
    const client = await connectLive(t.baseUrl, token);
    clients.push(client);
    expect((await client.subscribe()).ok).toBe(true);
    return client;
  };
  /** Why the server closed the socket, or 'still open' after 1.5 s. */
  const disconnection = (client: LiveClient) =>
    Promise.race([new Promise((resolve) => client.socket.once('disconnect', resolve)), new Promise((resolve) => setTimeout(() => resolve('still open'), 1500))]);

  it('signs out one device: its token stops working everywhere (GraphQL, export, live), the other device stays signed in', async () => {
    const { person, phone, laptop } = await twoDevices();
    const phoneLive = await live(phone);
    const laptopLive = await live(laptop);
    const phoneClosed = disconnection(phoneLive);
    const laptopClosed = disconnection(laptopLive);

    expect(await t.gqlOk(LOGOUT, {}, phone)).toEqual({ logout: true });

    expect(await signedIn(phone)).toBeNull();
    expect(errorCodes(await t.gql(`{ collectives { id } }`, {}, phone))).toEqual(['UNAUTHENTICATED']);
    expect(await exportStatus(phone)).toBe(401);
    expect(await phoneClosed).toBe('io server disconnect');
    expect(await laptopClosed).toBe('still open');
    expect(await signedIn(laptop)).toBe(person.id);
    expect(await signOuts(person.id)).toEqual([{ actorId: person.id, payload: { everywhere: false } }]);
    // The signed-out token cannot sign out again, nor open a socket.
    expect(errorCodes(await t.gql(LOGOUT, {}, phone))).toEqual(['UNAUTHENTICATED']);
    await expect(connectLive(t.baseUrl, phone)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('signs out every device of oneself, this one included; a new login works', async () => {
    const { person, phone, laptop } = await twoDevices();
    const laptopClosed = disconnection(await live(laptop));
    expect(await t.gqlOk(LOGOUT_EVERYWHERE, {}, phone)).toEqual({ logoutEverywhere: true });
    expect(await signedIn(phone)).toBeNull();
    expect(await signedIn(laptop)).toBeNull();
    expect(await laptopClosed).toBe('io server disconnect');
    const fresh = (await t.gqlOk(LOGIN, { i: person.handle, p: PASSWORD })).login.token;
    expect(await signedIn(fresh)).toBe(person.id);
    expect(await signOuts(person.id)).toEqual([{ actorId: person.id, payload: { everywhere: true } }]);
  });

  it('lets a steward sign out a member who lost their phone, and only that member', async () => {
    const { person, phone } = await twoDevices();
    const bystander = await twoDevices();
    const phoneClosed = disconnection(await live(phone));
    const bystanderClosed = disconnection(await live(bystander.phone));
    expect(await t.gqlOk(LOGOUT_EVERYWHERE, { p: person.id.toUpperCase() }, steward.token)).toEqual({ logoutEverywhere: true });
    expect(await signedIn(phone)).toBeNull();
    expect(await phoneClosed).toBe('io server disconnect');
    expect(await bystanderClosed).toBe('still open');
    expect(await signedIn(bystander.phone)).toBe(bystander.person.id);
    expect(await signedIn(steward.token)).toBe(steward.id);
    expect(await signOuts(person.id)).toEqual([{ actorId: steward.id, payload: { everywhere: true } }]);
  });

  it('refuses to sign out someone else without the role (FORBIDDEN, NOT_FOUND), and changes nothing', async () => {
    const member = await twoDevices();
    const otherMember = await twoDevices();
    const otherSteward = await twoDevices([Role.STEWARD]);
    const auditor = await twoDevices([Role.AUDITOR]);
    const generations = async () => t.sql(`SELECT id, session_generation FROM person ORDER BY id`);
    const before = await generations();
    const entriesBefore = await t.sql(`SELECT count(*)::int AS n FROM event_log`);

    expect(errorCodes(await t.gql(LOGOUT_EVERYWHERE, { p: otherMember.person.id }, member.phone))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.gql(LOGOUT_EVERYWHERE, { p: otherSteward.person.id }, steward.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.gql(LOGOUT_EVERYWHERE, { p: auditor.person.id }, steward.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.gql(LOGOUT_EVERYWHERE, { p: '00000000-0000-4000-8000-000000000000' }, steward.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.gql(LOGOUT_EVERYWHERE, { p: 'not-an-id' }, steward.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.gql(LOGOUT_EVERYWHERE, { p: member.person.id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await t.gql(LOGOUT))).toEqual(['UNAUTHENTICATED']);

    expect(await generations()).toEqual(before);
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_log`)).toEqual(entriesBefore);
    for (const { person, phone } of [otherMember, otherSteward, auditor]) expect(await signedIn(phone)).toBe(person.id);

    // An admin may sign out staff.
    expect(await t.gqlOk(LOGOUT_EVERYWHERE, { p: otherSteward.person.id }, admin.token)).toEqual({ logoutEverywhere: true });
    expect(await signedIn(otherSteward.phone)).toBeNull();
  });

  it('ends every session when a steward and the person sign out at the same moment, from several requests', async () => {
    const { person, phone, laptop } = await twoDevices();
    const results = await Promise.all([
      t.gql(LOGOUT_EVERYWHERE, { p: person.id }, steward.token),
      t.gql(LOGOUT_EVERYWHERE, {}, phone),
      t.gql(LOGOUT, {}, laptop),
    ]);
    // Each is either done or finds its token already signed out; never an internal error.
    for (const result of results) expect(result.errors === undefined || errorCodes(result).join() === 'UNAUTHENTICATED').toBe(true);
    expect(results[0].errors).toBeUndefined();
    expect(await signedIn(phone)).toBeNull();
    expect(await signedIn(laptop)).toBeNull();
  });

  it('forgets a signed-out token once it would have expired anyway', async () => {
    await t.sql(
      `INSERT INTO revoked_token (token_id, expires_at) VALUES ('11111111-1111-4111-8111-111111111111', now() - interval '1 minute'), ('22222222-2222-4222-8222-222222222222', now() + interval '1 day')`,
    );
    await t.app.get(Scheduler).runNow(REVOKED_TOKENS_JOB);
    expect(await t.sql(`SELECT token_id FROM revoked_token WHERE token_id IN ('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222')`)).toEqual([
      { token_id: '22222222-2222-4222-8222-222222222222' },
    ]);
  });
});
