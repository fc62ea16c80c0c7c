import { Scheduler } from '../src/database/scheduler';
import { LOGIN_ATTEMPTS_JOB } from '../src/identity/identity.jobs';
import { MembershipRole } from '../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from './support/house';
import { TestApp, errorCodes, startTestApp } from './support/test-app';

const DAY = 86_400_000;
const LOGIN = `mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }`;

/** Identity under requests that arrive together, and the limits of what each role may change. */
describe('identity under concurrency', () => {
  let t: TestApp;
  let house: HouseBuilder;
  let steward: TestPerson;
  let otherSteward: TestPerson;

  beforeAll(async () => {
    // A small pool, so that requests holding connections would exhaust it quickly.
    t = await startTestApp({ poolSize: 4 });
    house = new HouseBuilder(t);
    steward = await house.steward();
    otherSteward = await house.steward();
  });
  afterAll(() => t.close());

  const withinSeconds = <T>(seconds: number, work: Promise<T>) =>
    Promise.race([work, new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), seconds * 1000).unref())]);

  it('keeps answering everyone during a burst of logins (password checks hold no database connection)', async () => {
    const member = await house.member();
    const burst = Promise.all(Array.from({ length: 16 }, (_, i) => t.gql(LOGIN, { i: `someone${i}`, p: 'a guess' })));
    const meanwhile = t.gql(`{ me { id } }`, {}, member.token);
    const logins = await withinSeconds(20, burst);
    expect(logins === 'no answer' ? logins : logins.map(errorCodes).flat()).toEqual(Array(16).fill('UNAUTHENTICATED'));
    expect(await withinSeconds(5, meanwhile)).toMatchObject({ data: { me: { id: member.id } } });
  });

  it('checks no more than 10 passwords of one account in a window, however many guesses arrive at once', async () => {
    await house.person({ handle: 'guessed.at', password: 'the real password' });
    const attempts = await Promise.all(Array.from({ length: 25 }, (_, i) => t.gql(LOGIN, { i: 'guessed.at', p: `guess ${i}` })));
    const messages = attempts.map((attempt) => attempt.errors?.[0]?.message);
    expect(messages.filter((message) => message === 'Wrong name or password.')).toHaveLength(10);
    expect(messages.filter((message) => /Too many attempts/.test(message ?? ''))).toHaveLength(15);
    expect(errorCodes(await t.gql(LOGIN, { i: 'guessed.at', p: 'the real password' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('forgets a count of login attempts once its window is over', async () => {
    await t.sql(`INSERT INTO login_failure (identifier_hash, failures, window_started_at) VALUES ('old', 3, now() - interval '16 minutes'), ('current', 3, now() - interval '1 minute')`);
    await t.app.get(Scheduler).runNow(LOGIN_ATTEMPTS_JOB);
    expect(await t.sql(`SELECT identifier_hash FROM login_failure WHERE identifier_hash IN ('old', 'current')`)).toEqual([{ identifier_hash: 'current' }]);
  });

  it('accepts an invitation code once when it is sent several times at the same moment', async () => {
    const created = await t.gqlOk(`mutation { createPerson(input: { displayName: "Invitée pressée" }) { inviteCode person { id handle } } }`, {}, steward.token);
    const redeem = (password: string) => t.gql(`mutation($c: String!, $p: String!) { redeemInvite(code: $c, password: $p) { token } }`, { c: created.createPerson.inviteCode, p: password });
    const results = await Promise.all(['first password', 'second password', 'third password'].map(redeem));
    const accepted = results.filter((result) => !result.errors);
    expect(accepted).toHaveLength(1);
    expect(results.flatMap(errorCodes)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'person.invite_redeemed' AND subject_id = $1`, [created.createPerson.person.id])).toEqual([{ n: 1 }]);
  });

  it('answers "already taken" (BAD_USER_INPUT with the field), never an internal error, to the same creation sent twice at once', async () => {
    const twice = <T>(make: (i: number) => Promise<T>) => Promise.all([make(1), make(2), make(3)]);
    const byEmail = await twice((i) => t.gql(`mutation($n: String!) { createPerson(input: { displayName: $n, email: "meme@example.org" }) { person { id } } }`, { n: `Même adresse ${i}` }, steward.token));
    const collectives = await twice(() => t.gql(`mutation { createCollective(input: { name: "Cuisine du monde", form: INFORMAL, tariffTier: SOLIDARITY }) { id } }`, {}, steward.token));
    const qualifications = await twice(() => t.gql(`mutation { createQualification(name: "Découpe laser") { id } }`, {}, otherSteward.token));
    for (const [results, field] of [[byEmail, 'email'], [collectives, 'name'], [qualifications, 'name']] as const) {
      expect(results.filter((result) => !result.errors)).toHaveLength(1);
      const refusals = results.flatMap((result) => result.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.field]);
      expect(refusals).toEqual([['BAD_USER_INPUT', field], ['BAD_USER_INPUT', field]]);
    }
    // Handles made from one name: each creation gets one or is told to try again.
    const sameName = await Promise.all(Array.from({ length: 4 }, () => t.gql(`mutation { createPerson(input: { displayName: "Fatou Sow" }) { person { handle } } }`, {}, steward.token)));
    expect(sameName.filter((result) => !result.errors).length).toBeGreaterThanOrEqual(1);
    expect(sameName.flatMap(errorCodes).filter((code) => code !== 'BAD_USER_INPUT')).toEqual([]);
  });

  it('keeps "erased-…" handles for erased accounts', async () => {
    const victim = await house.person();
    const squat = await t.gql(`mutation($h: String!) { createPerson(input: { displayName: "Squat", handle: $h }) { person { id } } }`, { h: `erased-${victim.id.replace(/-/g, '').slice(0, 12)}` }, steward.token);
    expect(errorCodes(squat)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: victim.id }, steward.token))).toEqual([]);
  });

  describe('ending a membership', () => {
    const END = `mutation($id: ID!, $e: DateTime) { endMembership(id: $id, endsAt: $e) { id endsAt } }`;

    it('lets a member or coordinator end theirs earlier, never later', async () => {
      const collective = await house.collective();
      const member = await house.person();
      const coordinator = await house.person();
      const endsAt = new Date(Date.now() + 7 * DAY);
      const membership = await house.membership(member.id, collective.id, { endsAt });
      const mandate = await house.membership(coordinator.id, collective.id, { role: MembershipRole.COORDINATOR, endsAt });
      for (const [id, person] of [[membership, member], [mandate, coordinator]] as const) {
        expect(errorCodes(await t.gql(END, { id, e: '2099-01-01T00:00:00Z' }, person.token))).toEqual(['FORBIDDEN']);
        expect(errorCodes(await t.gql(END, { id: membership, e: new Date(endsAt.getTime() + 60_000).toISOString() }, coordinator.token))).toEqual(['FORBIDDEN']);
      }
      expect((await t.sql(`SELECT ends_at FROM membership WHERE id = ANY($1)`, [[membership, mandate]])).map((row) => row.ends_at)).toEqual([endsAt, endsAt]);
      const earlier = new Date(endsAt.getTime() - DAY);
      await t.gqlOk(END, { id: membership, e: earlier.toISOString() }, member.token);
      expect((await t.sql(`SELECT ends_at FROM membership WHERE id = $1`, [membership]))[0].ends_at).toEqual(earlier);
    });

    it('withdraws a membership that has not started: never active, kept on record, the period free again', async () => {
      const collective = await house.collective();
      const member = await house.person();
      const startsAt = new Date(Date.now() + 10 * DAY);
      const future = await house.membership(member.id, collective.id, { startsAt });
      expect(errorCodes(await t.gql(END, { id: future, e: new Date(startsAt.getTime() - DAY).toISOString() }, steward.token))).toEqual(['BAD_USER_INPUT']);
      expect(Date.parse((await t.gqlOk(END, { id: future }, member.token)).endMembership.endsAt)).toBe(startsAt.getTime());
      expect(await t.sql(`SELECT starts_at, ends_at FROM membership WHERE id = $1`, [future])).toEqual([{ starts_at: startsAt, ends_at: startsAt }]);
      expect(await t.sql(`SELECT payload->>'endsAt' AS "endsAt" FROM event_log WHERE type = 'membership.ended' AND subject_id = $1`, [future])).toHaveLength(1);
      // Withdrawn once; the same period can be given again.
      expect(errorCodes(await t.gql(END, { id: future }, steward.token))).toEqual(['INVALID_STATE']);
      await house.membership(member.id, collective.id, { startsAt });
      // One that has started cannot be shrunk to nothing.
      const started = await house.membership((await house.person()).id, collective.id);
      const [{ starts_at: began }] = await t.sql(`SELECT starts_at FROM membership WHERE id = $1`, [started]);
      expect(errorCodes(await t.gql(END, { id: started, e: began.toISOString() }, steward.token))).toEqual(['BAD_USER_INPUT']);
    });

    it('answers CONFLICT when a steward extends one over the next membership in the same collective', async () => {
      const collective = await house.collective();
      const member = await house.person();
      const boundary = new Date(Date.now() + 7 * DAY);
      const first = await house.membership(member.id, collective.id, { endsAt: boundary });
      await house.membership(member.id, collective.id, { startsAt: boundary, endsAt: new Date(boundary.getTime() + 30 * DAY) });
      expect(errorCodes(await t.gql(END, { id: first, e: new Date(boundary.getTime() + 3 * DAY).toISOString() }, steward.token))).toEqual(['CONFLICT']);
      expect((await t.sql(`SELECT ends_at FROM membership WHERE id = $1`, [first]))[0].ends_at).toEqual(boundary);
    });
  });
});
