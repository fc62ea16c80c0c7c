import { Role } from '../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from './support/house';
import { BOOK, EVERY_DAY, SpacesBuilder, hours } from './support/spaces';
import { TestApp, errorCodes, startTestApp } from './support/test-app';

describe('identity over GraphQL', () => {
  let t: TestApp;
  let house: HouseBuilder;
  let admin: TestPerson;
  let steward: TestPerson;

  beforeAll(async () => {
    t = await startTestApp();
    house = new HouseBuilder(t);
    admin = await house.admin();
    steward = await house.steward();
  });
  afterAll(() => t.close());

  describe('login', () => {
    it('logs in by handle or e-mail, any case, and refuses a wrong password exactly like an unknown user', async () => {
      await house.person({ handle: 'kofi', email: 'Kofi@Example.org', password: 'correct horse' });
      const byHandle = await t.gql(`mutation { login(identifier: "kofi", password: "correct horse") { token person { handle } } }`);
      expect(byHandle.data.login.person.handle).toBe('kofi');
      const byEmail = await t.gql(`mutation { login(identifier: "kofi@example.ORG", password: "correct horse") { token } }`);
      expect(byEmail.data.login.token).toEqual(expect.any(String));

      const me = await t.gqlOk(`{ me { handle roles } }`, {}, byHandle.data.login.token);
      expect(me.me).toEqual({ handle: 'kofi', roles: ['MEMBER'] });

      const wrongPassword = await t.gql(`mutation { login(identifier: "kofi", password: "wrong horse") { token } }`);
      const unknownUser = await t.gql(`mutation { login(identifier: "nobody-here", password: "wrong horse") { token } }`);
      expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
      expect(wrongPassword.errors![0].message).toBe(unknownUser.errors![0].message);
      expect(JSON.stringify(wrongPassword)).toBe(JSON.stringify(unknownUser));
    });

    it('slows down password guessing: after 10 failures for one name, even the right password waits', async () => {
      await house.person({ handle: 'target', password: 'the real password' });
      const attempt = (password: string) => t.gql(`mutation($p: String!) { login(identifier: "target", password: $p) { token } }`, { p: password });
      for (let i = 0; i < 10; i++) expect(errorCodes(await attempt(`guess ${i}`))).toEqual(['UNAUTHENTICATED']);
      const locked = await attempt('the real password');
      expect(errorCodes(locked)).toEqual(['UNAUTHENTICATED']);
      expect(locked.errors![0].message).toMatch(/Too many attempts/);
      // Told apart from a wrong password, so that a page can say to wait instead of to try again.
      expect(locked.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOO_MANY_ATTEMPTS', retryAfterMinutes: 15 });
      // Another name is not slowed down.
      await house.person({ handle: 'bystander', password: 'correct horse' });
      const otherName = await t.gql(`mutation { login(identifier: "bystander", password: "correct horse") { token } }`);
      expect(otherName.errors).toBeUndefined();
    });

    it('counts attempts per name typed, so that a lockout never tells that an e-mail and a handle are one person', async () => {
      await house.person({ handle: 'twonames', email: 'two.names@example.org', password: 'the real password' });
      const attempt = (identifier: string, password: string) => t.gql(`mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }`, { i: identifier, p: password });
      // The same name however it is typed: one count.
      for (let i = 0; i < 5; i++) expect(errorCodes(await attempt('TWO.NAMES@example.org', `guess ${i}`))).toEqual(['UNAUTHENTICATED']);
      for (let i = 5; i < 10; i++) expect(errorCodes(await attempt(' two.names@example.org ', `guess ${i}`))).toEqual(['UNAUTHENTICATED']);
      const locked = await attempt('two.names@example.org', 'the real password');
      expect(locked.errors![0].extensions).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS' });
      // The handle is counted apart, exactly as an unknown name would be: it still logs in.
      const byHandle = await attempt('twonames', 'the real password');
      expect(byHandle.errors).toBeUndefined();
      expect(byHandle.data.login.token).toEqual(expect.any(String));
      // And its own guesses lock it after 10, like any other name.
      for (let i = 0; i < 10; i++) expect(errorCodes(await attempt('twonames', `guess ${i}`))).toEqual(['UNAUTHENTICATED']);
      expect((await attempt('twonames', 'the real password')).errors![0].extensions).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS' });
    });

    it("does not let a stranger's guesses lock a person out on a device they logged in from before", async () => {
      const LOGIN_WITH_DEVICE = `mutation($i: String!, $p: String!, $d: [String!]) { login(identifier: $i, password: $p, deviceKeys: $d) { token deviceKey person { id } } }`;
      const owner = await house.person({ handle: 'owner', password: 'the real password' });
      await house.person({ handle: 'flatmate', password: 'another password' });
      const first = await t.gqlOk(LOGIN_WITH_DEVICE, { i: 'owner', p: 'the real password' });
      const phoneKey: string = first.login.deviceKey;
      expect(phoneKey).toMatch(/^[\w-]+\.[\w-]+$/);
      const flatmateKey: string = (await t.gqlOk(LOGIN_WITH_DEVICE, { i: 'flatmate', p: 'another password' })).login.deviceKey;

      // Someone else, without the key, guesses until the name is locked.
      for (let i = 0; i < 10; i++) expect(errorCodes(await t.gql(LOGIN_WITH_DEVICE, { i: 'owner', p: `guess ${i}` }))).toEqual(['UNAUTHENTICATED']);
      expect((await t.gql(LOGIN_WITH_DEVICE, { i: 'owner', p: 'the real password' })).errors![0].message).toMatch(/Too many attempts/);
      // A key given to someone else, or a forged one, does not help.
      const forged = `${phoneKey.split('.')[0]}.${'A'.repeat(43)}`;
      for (const keys of [[flatmateKey], [forged], ['not a key']]) {
        expect((await t.gql(LOGIN_WITH_DEVICE, { i: 'owner', p: 'the real password', d: keys })).errors![0].message).toMatch(/Too many attempts/);
      }
      // The owner's phone, which may hold a flatmate's key too, still logs in, and keeps its key.
      const again = await t.gqlOk(LOGIN_WITH_DEVICE, { i: 'owner', p: 'the real password', d: [flatmateKey, phoneKey] });
      expect(again.login).toMatchObject({ deviceKey: phoneKey, person: { id: owner.id } });

      // The phone's own attempts are limited too (a thief with the phone but not the password).
      for (let i = 0; i < 10; i++) expect(errorCodes(await t.gql(LOGIN_WITH_DEVICE, { i: 'owner', p: `thief ${i}`, d: [phoneKey] }))).toEqual(['UNAUTHENTICATED']);
      expect((await t.gql(LOGIN_WITH_DEVICE, { i: 'owner', p: 'the real password', d: [phoneKey] })).errors![0].message).toMatch(/Too many attempts/);
    });

    it('treats a forged token as no login', async () => {
      const response = await t.gql(`{ collectives { id } }`, {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged');
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      const anonymous = await t.gql(`{ me { id } }`);
      expect(anonymous.data.me).toBeNull();
    });
  });

  describe('invitations', () => {
    it('creates a person with a one-time invite code that works once', async () => {
      const created = await t.gqlOk(
        `mutation($input: PersonInput!) { createPerson(input: $input) { inviteCode person { id displayName handle email locale roles } } }`,
        { input: { displayName: 'Aïssatou Bâ', locale: 'fr' } },
        steward.token,
      );
      const { inviteCode, person } = created.createPerson;
      expect(inviteCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(person).toMatchObject({ displayName: 'Aïssatou Bâ', handle: 'aissatou.ba', email: null, roles: ['MEMBER'] });

      const tooShort = await t.gql(`mutation($c: String!) { redeemInvite(code: $c, password: "short") { token } }`, { c: inviteCode });
      expect(errorCodes(tooShort)).toEqual(['BAD_USER_INPUT']);

      const redeemed = await t.gqlOk(`mutation($c: String!) { redeemInvite(code: $c, password: "my new secret") { token person { id } } }`, { c: inviteCode.toLowerCase() });
      expect(redeemed.redeemInvite.person.id).toBe(person.id);
      const again = await t.gql(`mutation($c: String!) { redeemInvite(code: $c, password: "another secret") { token } }`, { c: inviteCode });
      expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);

      const login = await t.gqlOk(`mutation { login(identifier: "aissatou.ba", password: "my new secret") { person { id } } }`);
      expect(login.login.person.id).toBe(person.id);
      const oldPassword = await t.gql(`mutation { login(identifier: "aissatou.ba", password: "another secret") { token } }`);
      expect(errorCodes(oldPassword)).toEqual(['UNAUTHENTICATED']);
    });

    it('creates a person in a collective in one step, or not at all', async () => {
      const collective = await house.collective();
      const CREATE = `mutation($input: PersonInput!) { createPerson(input: $input) { person { id memberships { role collective { id } } } } }`;
      const created = await t.gqlOk(CREATE, { input: { displayName: 'Mariam Kone', membership: { collectiveId: collective.id, role: 'COORDINATOR' } } }, steward.token);
      expect(created.createPerson.person.memberships).toEqual([{ role: 'COORDINATOR', collective: { id: collective.id } }]);
      const plain = await t.gqlOk(CREATE, { input: { displayName: 'Mariam Kone', membership: { collectiveId: collective.id } } }, steward.token);
      expect(plain.createPerson.person.memberships).toEqual([{ role: 'MEMBER', collective: { id: collective.id } }]);

      const before = await t.sql(`SELECT (SELECT count(*) FROM person)::int AS persons, (SELECT count(*) FROM event_log)::int AS log`);
      const unknown = await t.gql(CREATE, { input: { displayName: 'Nulle part', handle: 'nulle.part', membership: { collectiveId: '00000000-0000-4000-8000-000000000000' } } }, steward.token);
      expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
      const malformed = await t.gql(CREATE, { input: { displayName: 'Nulle part', membership: { collectiveId: 'collectif' } } }, steward.token);
      expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
      expect(malformed.errors![0].extensions!.field).toBe('membership.collectiveId');
      expect(await t.sql(`SELECT (SELECT count(*) FROM person)::int AS persons, (SELECT count(*) FROM event_log)::int AS log`)).toEqual(before);
      // The handle of the refused person is still free.
      expect((await t.gqlOk(`mutation { createPerson(input: { displayName: "Nulle part", handle: "nulle.part" }) { person { handle } } }`, {}, steward.token)).createPerson.person.handle).toBe('nulle.part');
    });

    it('makes a login name people can type from a name in another script', async () => {
      const handleFor = async (displayName: string) =>
        (await t.gqlOk(`mutation($input: PersonInput!) { createPerson(input: $input) { person { handle } } }`, { input: { displayName } }, steward.token)).createPerson.person.handle;
      expect(await handleFor('فاطمة الزهراء')).toBe('fatma.alzhra');
      expect(await handleFor('ሙሉጌታ ተስፋይ')).toBe('mulugeta.tesfay');
      expect(await handleFor('Олександр')).toBe('oleksandr');
      // The second person of the same name gets the next number.
      expect(await handleFor('Олександр')).toBe('oleksandr2');
      // A script with no Latin reading here still gets a login name.
      expect(await handleFor('李明')).toBe('member');
    });

    it('lets only admins give roles beyond MEMBER, and only staff create people', async () => {
      const member = await house.member();
      const byMember = await t.gql(`mutation { createPerson(input: { displayName: "X" }) { inviteCode } }`, {}, member.token);
      expect(errorCodes(byMember)).toEqual(['FORBIDDEN']);
      const stewardMakesAdmin = await t.gql(`mutation { createPerson(input: { displayName: "Y", roles: [ADMIN] }) { inviteCode } }`, {}, steward.token);
      expect(errorCodes(stewardMakesAdmin)).toEqual(['FORBIDDEN']);
      const adminMakesSteward = await t.gqlOk(`mutation { createPerson(input: { displayName: "Z", roles: [STEWARD] }) { person { roles } } }`, {}, admin.token);
      expect(adminMakesSteward.createPerson.person.roles).toEqual(['STEWARD']);
    });

    it('refuses a duplicate e-mail or handle, and overlong input, writing nothing', async () => {
      await house.person({ handle: 'taken.handle', email: 'taken@example.org' });
      const before = await t.sql(`SELECT count(*)::int AS n FROM person`);
      const duplicates = await Promise.all([
        t.gql(`mutation { createPerson(input: { displayName: "A", email: "TAKEN@example.org" }) { inviteCode } }`, {}, steward.token),
        t.gql(`mutation { createPerson(input: { displayName: "B", handle: "taken.handle" }) { inviteCode } }`, {}, steward.token),
        t.gql(`mutation($n: String!) { createPerson(input: { displayName: $n }) { inviteCode } }`, { n: 'x'.repeat(101) }, steward.token),
        t.gql(`mutation { createPerson(input: { displayName: "C", email: "not-an-email" }) { inviteCode } }`, {}, steward.token),
        t.gql(`mutation { createPerson(input: { displayName: "D", handle: "Bad Handle!" }) { inviteCode } }`, {}, steward.token),
      ]);
      for (const response of duplicates) expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      // Each names its field, whether a service or the declared limits refused it.
      expect(duplicates.map(({ errors }) => [errors![0].extensions!.field, errors![0].extensions!.reason])).toEqual([
        ['email', 'TAKEN'],
        ['handle', 'TAKEN'],
        ['displayName', undefined],
        ['email', undefined],
        ['handle', undefined],
      ]);
      expect(await t.sql(`SELECT count(*)::int AS n FROM person`)).toEqual(before);
    });
  });

  describe('a new code (lost code, forgotten password)', () => {
    const RESET = `mutation($p: ID!) { resetInvite(personId: $p) { inviteCode inviteExpiresAt person { id handle } } }`;
    const REDEEM = `mutation($c: String!, $p: String!) { redeemInvite(code: $c, password: $p) { token } }`;
    const LOGIN = `mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { token } }`;
    const signedIn = async (token: string) => (await t.gqlOk(`{ me { id } }`, {}, token)).me?.id ?? null;
    const inThirtyDays = () => Date.now() + 30 * 86_400_000;

    it('replaces the earlier code; the password works until the new code is redeemed, which signs out every other device', async () => {
      const before = inThirtyDays();
      const created = (await t.gqlOk(`mutation { createPerson(input: { displayName: "Oubliée" }) { inviteCode inviteExpiresAt person { id handle } } }`, {}, steward.token)).createPerson;
      expect(Date.parse(created.inviteExpiresAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(created.inviteExpiresAt)).toBeLessThanOrEqual(inThirtyDays() + 1000);
      const { id, handle } = created.person;
      const firstPhone = (await t.gqlOk(REDEEM, { c: created.inviteCode, p: 'first password' })).redeemInvite.token;

      const reset = (await t.gqlOk(RESET, { p: id }, steward.token)).resetInvite;
      expect(reset.inviteCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(reset.inviteCode).not.toBe(created.inviteCode);
      expect(reset.person).toEqual({ id, handle });
      expect(Math.abs(Date.parse(reset.inviteExpiresAt) - inThirtyDays())).toBeLessThan(60_000);
      // Until the new code is used, nothing else changes: the password and the sessions still work.
      const secondPhone = (await t.gqlOk(LOGIN, { i: handle, p: 'first password' })).login.token;
      expect(await signedIn(firstPhone)).toBe(id);
      // Someone guesses meanwhile until the name is locked.
      for (let i = 0; i < 10; i++) expect(errorCodes(await t.gql(LOGIN, { i: handle, p: `guess ${i}` }))).toEqual(['UNAUTHENTICATED']);

      expect(errorCodes(await t.gql(REDEEM, { c: created.inviteCode, p: 'stolen password' }))).toEqual(['BAD_USER_INPUT']);
      const newPhone = (await t.gqlOk(REDEEM, { c: reset.inviteCode, p: 'second password' })).redeemInvite.token;
      expect(await signedIn(newPhone)).toBe(id);
      expect(await signedIn(firstPhone)).toBeNull();
      expect(await signedIn(secondPhone)).toBeNull();
      expect(errorCodes(await t.gql(LOGIN, { i: handle, p: 'first password' }))).toEqual(['UNAUTHENTICATED']);
      // The new password is not kept waiting by the guesses made against the old one.
      expect(await signedIn((await t.gqlOk(LOGIN, { i: handle, p: 'second password' })).login.token)).toBe(id);
      expect(errorCodes(await t.gql(REDEEM, { c: reset.inviteCode, p: 'third password' }))).toEqual(['BAD_USER_INPUT']);

      const logged = await t.sql(`SELECT type, actor_id AS "actorId", payload FROM event_log WHERE subject_id = $1 AND type LIKE 'person.invite%' ORDER BY seq`, [id]);
      expect(logged).toEqual([
        { type: 'person.invite_redeemed', actorId: id, payload: { replacedPassword: false } },
        { type: 'person.invite_reset', actorId: steward.id, payload: { expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
        { type: 'person.invite_redeemed', actorId: id, payload: { replacedPassword: true } },
      ]);
    });

    it('a redeemed code lifts the lockout of both names, the e-mail and the handle', async () => {
      const person = await house.person({ handle: 'forgetful', email: 'Forgetful@Example.org', password: 'old password' });
      for (const name of ['forgetful', 'forgetful@example.org']) {
        for (let i = 0; i < 10; i++) expect(errorCodes(await t.gql(LOGIN, { i: name, p: `guess ${i}` }))).toEqual(['UNAUTHENTICATED']);
        expect((await t.gql(LOGIN, { i: name, p: 'old password' })).errors![0].extensions).toMatchObject({ reason: 'TOO_MANY_ATTEMPTS' });
      }
      const { inviteCode } = (await t.gqlOk(RESET, { p: person.id }, steward.token)).resetInvite;
      await t.gqlOk(REDEEM, { c: inviteCode, p: 'new password' });
      for (const name of ['forgetful', 'FORGETFUL@example.org']) expect(await signedIn((await t.gqlOk(LOGIN, { i: name, p: 'new password' })).login.token)).toBe(person.id);
    });

    it('is for stewards, and only admins give one to staff; unknown people are NOT_FOUND; refusals change nothing', async () => {
      const member = await house.member();
      const otherSteward = await house.steward();
      const person = await house.person({ password: 'kept password' });
      const before = await t.sql(`SELECT id, invite_code_hash, invite_expires_at FROM person ORDER BY id`);
      const resets = () => t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'person.invite_reset'`);
      const resetsBefore = await resets();
      expect(errorCodes(await t.gql(RESET, { p: person.id }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(RESET, { p: member.id }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(RESET, { p: otherSteward.id }, steward.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(RESET, { p: admin.id }, steward.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(RESET, { p: '00000000-0000-4000-8000-000000000000' }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(RESET, { p: 'not-an-id' }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(RESET, { p: person.id }))).toEqual(['UNAUTHENTICATED']);
      expect(await t.sql(`SELECT id, invite_code_hash, invite_expires_at FROM person ORDER BY id`)).toEqual(before);
      expect(await resets()).toEqual(resetsBefore);
      // An admin may; a steward for a member may.
      expect((await t.gqlOk(RESET, { p: otherSteward.id }, admin.token)).resetInvite.person.id).toBe(otherSteward.id);
      expect((await t.gqlOk(RESET, { p: member.id.toUpperCase() }, steward.token)).resetInvite.person.id).toBe(member.id);
    });

    it('two stewards giving a new code at once: exactly one of the two codes works', async () => {
      const person = await house.person();
      const [first, second] = await Promise.all([t.gqlOk(RESET, { p: person.id }, steward.token), t.gqlOk(RESET, { p: person.id }, admin.token)]);
      const redeemed = await Promise.all([first, second].map((r, i) => t.gql(REDEEM, { c: r.resetInvite.inviteCode, p: `password ${i}-long` })));
      expect(redeemed.map((r) => (r.errors ? errorCodes(r)[0] : 'OK')).sort()).toEqual(['BAD_USER_INPUT', 'OK']);
      expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'person.invite_reset' AND subject_id = $1`, [person.id])).toEqual([{ n: 2 }]);
    });
  });

  describe('who sees whom', () => {
    let collectiveA: string;
    let collectiveB: string;
    let alice: TestPerson;
    let bob: TestPerson;
    let carol: TestPerson;
    let auditor: TestPerson;

    beforeAll(async () => {
      collectiveA = (await house.collective({ publicListing: true })).id;
      collectiveB = (await house.collective()).id;
      alice = await house.person({ email: 'alice@example.org' });
      bob = await house.person({ email: 'bob@example.org' });
      carol = await house.person();
      auditor = await house.auditor();
      await house.membership(alice.id, collectiveA);
      await house.membership(bob.id, collectiveA);
      await house.membership(carol.id, collectiveB);
    });

    const personQuery = `query($id: ID!) { person(id: $id) { id displayName email } }`;

    it('a member reads people of their collectives without their e-mail, and no one else', async () => {
      const coMember = await t.gql(personQuery, { id: bob.id }, alice.token);
      expect(coMember.data.person).toMatchObject({ id: bob.id, email: null });
      const outsider = await t.gql(personQuery, { id: carol.id }, alice.token);
      expect(errorCodes(outsider)).toEqual(['FORBIDDEN']);
      const self = await t.gqlOk(personQuery, { id: alice.id }, alice.token);
      expect(self.person.email).toBe('alice@example.org');
      const byStaff = await t.gqlOk(personQuery, { id: bob.id }, steward.token);
      expect(byStaff.person.email).toBe('bob@example.org');
    });

    it('an auditor reads collectives but nothing about persons', async () => {
      expect(errorCodes(await t.gql(personQuery, { id: alice.id }, auditor.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(personQuery, { id: 'not-a-uuid' }, auditor.token))).toEqual(['FORBIDDEN']);
      const collectives = await t.gql(`{ collectives { id name } }`, {}, auditor.token);
      expect(collectives.data.collectives.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([collectiveA, collectiveB]));
      const members = await t.gql(`query($id: ID!) { collective(id: $id) { name members { id } } }`, { id: collectiveA }, auditor.token);
      expect(errorCodes(members)).toEqual(['FORBIDDEN']);
    });

    it('members list their own collective, not others', async () => {
      const own = await t.gqlOk(`query($id: ID!) { collective(id: $id) { members { person { id } role } } }`, { id: collectiveA }, alice.token);
      expect(own.collective.members.map((m: { person: { id: string } }) => m.person.id).sort()).toEqual([alice.id, bob.id].sort());
      const other = await t.gql(`query($id: ID!) { collective(id: $id) { members { id } } }`, { id: collectiveB }, alice.token);
      expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    });

    it('shows where a person belongs and what they may use only to whoever may see the person', async () => {
      // Carol (collective B only) writes a proposal, which every member reads; she holds a qualification.
      await house.grant(carol.id, await house.qualification());
      const day = 24 * 3600_000;
      const { createProposal } = await t.gqlOk(
        `mutation($input: ProposalInput!) { createProposal(input: $input) { id } }`,
        { input: { title: 'Un atelier', body: 'Le samedi', discussionEndsAt: new Date(Date.now() + 4 * day).toISOString(), votingEndsAt: new Date(Date.now() + 6 * day).toISOString(), ruleChanges: [] } },
        carol.token,
      );
      const authorQuery = `query($id: ID!) { proposal(id: $id) { author { id displayName memberships { collective { id } } qualifications { grantedAt } } } }`;
      const seenByAlice = await t.gqlOk(authorQuery, { id: createProposal.id }, alice.token);
      expect(seenByAlice.proposal.author).toMatchObject({ id: carol.id, memberships: [], qualifications: [] });
      for (const viewer of [carol, steward]) {
        const { proposal } = await t.gqlOk(authorQuery, { id: createProposal.id }, viewer.token);
        expect(proposal.author.memberships).toEqual([{ collective: { id: collectiveB } }]);
        expect(proposal.author.qualifications).toHaveLength(1);
      }

      // Dan left collective A yesterday: its members no longer see him, nor where he went.
      const dan = await house.person();
      await house.membership(dan.id, collectiveA, { startsAt: new Date(Date.now() - 10 * day), endsAt: new Date(Date.now() - day) });
      await house.membership(dan.id, collectiveB);
      const membersQuery = `query($id: ID!) { collective(id: $id) { members { person { id memberships { collective { id } } } } } }`;
      const byMember = await t.gqlOk(membersQuery, { id: collectiveA }, alice.token);
      expect(byMember.collective.members.map((m: { person: { id: string } }) => m.person.id).sort()).toEqual([alice.id, bob.id].sort());
      const byStaff = await t.gqlOk(membersQuery, { id: collectiveA }, steward.token);
      const danSeenByStaff = byStaff.collective.members.find((m: { person: { id: string } }) => m.person.id === dan.id);
      expect(danSeenByStaff.person.memberships).toHaveLength(2);
    });

    it('the directory needs no login and lists only collectives that opted in', async () => {
      const directory = await t.gqlOk(`{ directory { id publicListing } }`);
      const ids = directory.directory.map((c: { id: string }) => c.id);
      expect(ids).toContain(collectiveA);
      expect(ids).not.toContain(collectiveB);
      const members = await t.gql(`{ directory { members { id } } }`);
      expect(errorCodes(members)).toContain('UNAUTHENTICATED');
    });

    it('asks for a login for everything else', async () => {
      expect(errorCodes(await t.gql(personQuery, { id: alice.id }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await t.gql(`{ collectives { id } }`))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await t.gql(`{ qualifications { id } }`))).toEqual(['UNAUTHENTICATED']);
    });

    it('answers NOT_FOUND for an id that names nothing', async () => {
      expect(errorCodes(await t.gql(personQuery, { id: 'not-a-uuid' }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(personQuery, { id: '00000000-0000-4000-8000-000000000000' }, steward.token))).toEqual(['NOT_FOUND']);
    });
  });

  describe('memberships', () => {
    it('lets a coordinator add members to their own collective only, and never name coordinators', async () => {
      const own = await house.collective();
      const other = await house.collective();
      const coordinator = await house.member(own.id, 'COORDINATOR' as never);
      const newcomer = await house.person();
      const add = `mutation($input: MembershipInput!) { addMembership(input: $input) { id role person { id } collective { id } endsAt } }`;
      const added = await t.gqlOk(add, { input: { personId: newcomer.id, collectiveId: own.id } }, coordinator.token);
      expect(added.addMembership).toMatchObject({ role: 'MEMBER', person: { id: newcomer.id }, collective: { id: own.id }, endsAt: null });
      expect(errorCodes(await t.gql(add, { input: { personId: newcomer.id, collectiveId: other.id } }, coordinator.token))).toEqual(['FORBIDDEN']);
      const another = await house.person();
      expect(errorCodes(await t.gql(add, { input: { personId: another.id, collectiveId: own.id, role: 'COORDINATOR' } }, coordinator.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(add, { input: { personId: newcomer.id, collectiveId: own.id } }, steward.token))).toEqual(['CONFLICT']);
      // A start in the past would let a coordinator put people in the electorate of proposals made before they joined.
      const late = await house.person();
      const lastYear = new Date(Date.now() - 365 * 86_400_000).toISOString();
      expect(errorCodes(await t.gql(add, { input: { personId: late.id, collectiveId: own.id, startsAt: lastYear } }, coordinator.token))).toEqual(['FORBIDDEN']);
      expect((await t.sql(`SELECT count(*)::int AS n FROM membership WHERE person_id = $1`, [late.id]))[0].n).toBe(0);
      await t.gqlOk(add, { input: { personId: late.id, collectiveId: own.id, startsAt: new Date(Date.now() - 60_000).toISOString() } }, coordinator.token);
    });

    it('keeps a person in several collectives, and short-lived memberships end on a date', async () => {
      const person = await house.person();
      const [c1, c2, c3] = [await house.collective(), await house.collective(), await house.collective()];
      const add = `mutation($input: MembershipInput!) { addMembership(input: $input) { id startsAt endsAt } }`;
      for (const c of [c1, c2]) await t.gqlOk(add, { input: { personId: person.id, collectiveId: c.id } }, steward.token);
      const shortLived = await t.gqlOk(add, { input: { personId: person.id, collectiveId: c3.id, startsAt: '2026-01-01T00:00:00+01:00', endsAt: '2026-03-01T00:00:00+01:00' } }, steward.token);
      expect(shortLived.addMembership).toMatchObject({ startsAt: '2026-01-01T00:00:00+01:00', endsAt: '2026-03-01T00:00:00+01:00' });
      const me = await t.gqlOk(`{ me { memberships { collective { id } endsAt } } }`, {}, person.token);
      expect(me.me.memberships).toHaveLength(3);

      const backwards = await t.gql(add, { input: { personId: person.id, collectiveId: (await house.collective()).id, startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' } }, steward.token);
      expect(errorCodes(backwards)).toEqual(['BAD_USER_INPUT']);
    });

    it('ends a membership (by the member themself) once', async () => {
      const member = await house.member();
      const [membership] = await t.sql(`SELECT id FROM membership WHERE person_id = $1`, [member.id]);
      const end = `mutation($id: ID!) { endMembership(id: $id) { id endsAt } }`;
      const ended = await t.gqlOk(end, { id: membership.id }, member.token);
      expect(ended.endMembership.endsAt).not.toBeNull();
      expect(errorCodes(await t.gql(end, { id: membership.id }, member.token))).toEqual(['INVALID_STATE']);
      const stranger = await house.member();
      const [other] = await t.sql(`SELECT id FROM membership WHERE person_id = $1`, [stranger.id]);
      expect(errorCodes(await t.gql(end, { id: other.id }, member.token))).toEqual(['FORBIDDEN']);
    });

    it('shows each mutation of one document what the ones before it changed', async () => {
      const collective = await house.collective();
      const leaving = await house.member(collective.id);
      const [leavingMembership] = await t.sql(`SELECT id FROM membership WHERE person_id = $1`, [leaving.id]);
      const newcomer = await house.person();
      const both = await t.gqlOk(
        `mutation($input: MembershipInput!, $leaving: ID!) {
          added: addMembership(input: $input) { collective { members { id endsAt } } }
          ended: endMembership(id: $leaving) { collective { members { id endsAt } } }
        }`,
        { input: { personId: newcomer.id, collectiveId: collective.id }, leaving: leavingMembership.id },
        steward.token,
      );
      const endsOf = (members: Array<{ id: string; endsAt: string | null }>) => members.find((m) => m.id === leavingMembership.id)?.endsAt;
      expect(both.added.collective.members).toHaveLength(2);
      expect(endsOf(both.added.collective.members)).toBeNull();
      expect(both.ended.collective.members).toHaveLength(2);
      expect(endsOf(both.ended.collective.members)).not.toBeNull();
    });

    it('refuses a DateTime without an offset with BAD_USER_INPUT and changes nothing', async () => {
      const person = await house.person();
      const collective = await house.collective();
      const before = await t.sql(`SELECT (SELECT count(*) FROM membership)::int AS m, (SELECT count(*) FROM event_log)::int AS e`);
      const asVariable = await t.gql(
        `mutation($input: MembershipInput!) { addMembership(input: $input) { id } }`,
        { input: { personId: person.id, collectiveId: collective.id, startsAt: '2027-01-01T10:00:00' } },
        steward.token,
      );
      expect(errorCodes(asVariable)).toEqual(['BAD_USER_INPUT']);
      const asLiteral = await t.gql(
        `mutation { addMembership(input: { personId: "${person.id}", collectiveId: "${collective.id}", startsAt: "2027-01-01 10:00" }) { id } }`,
        {},
        steward.token,
      );
      expect(errorCodes(asLiteral)).toEqual(['BAD_USER_INPUT']);
      const impossible = await t.gql(
        `mutation($input: MembershipInput!) { addMembership(input: $input) { id } }`,
        { input: { personId: person.id, collectiveId: collective.id, startsAt: '2027-02-30T10:00:00+01:00' } },
        steward.token,
      );
      expect(errorCodes(impossible)).toEqual(['BAD_USER_INPUT']);
      expect(await t.sql(`SELECT (SELECT count(*) FROM membership)::int AS m, (SELECT count(*) FROM event_log)::int AS e`)).toEqual(before);
    });
  });

  describe('qualifications', () => {
    it('stewards create and grant qualifications with an optional expiry; members cannot', async () => {
      const member = await house.member();
      const created = await t.gqlOk(`mutation { createQualification(name: "Hygiène") { id name } }`, {}, steward.token);
      const id = created.createQualification.id;
      expect(errorCodes(await t.gql(`mutation { createQualification(name: "Other") { id } }`, {}, member.token))).toEqual(['FORBIDDEN']);
      const grant = `mutation($p: ID!, $q: ID!, $e: DateTime) { grantQualification(personId: $p, qualificationId: $q, expiresAt: $e) { qualification { name } person { id } grantedBy { id } expiresAt } }`;
      const granted = await t.gqlOk(grant, { p: member.id, q: id, e: '2099-01-01T00:00:00Z' }, steward.token);
      expect(granted.grantQualification).toMatchObject({ qualification: { name: 'Hygiène' }, person: { id: member.id }, grantedBy: { id: steward.id } });
      expect(errorCodes(await t.gql(grant, { p: member.id, q: id, e: '2000-01-01T00:00:00Z' }, steward.token))).toEqual(['BAD_USER_INPUT']);
      expect(errorCodes(await t.gql(grant, { p: member.id, q: id }, member.token))).toEqual(['FORBIDDEN']);
      const me = await t.gqlOk(`{ me { qualifications { qualification { id } expiresAt } } }`, {}, member.token);
      expect(me.me.qualifications).toEqual([{ qualification: { id }, expiresAt: '2099-01-01T01:00:00+01:00' }]);
      const list = await t.gqlOk(`{ qualifications { name } }`, {}, member.token);
      expect(list.qualifications).toContainEqual({ name: 'Hygiène' });
    });

    it('stewards withdraw a qualification now: it shows its end, new bookings need it again, a new grant renews it; refusals change nothing', async () => {
      const member = await house.member();
      const laser = await house.qualification('Découpe laser');
      const spaces = new SpacesBuilder(t, steward.token);
      const cutter = await spaces.resource({ kind: 'WORKSHOP', zoneId: await spaces.zone(false), requiredQualificationId: laser, openingHours: hours(EVERY_DAY, '00:00', '24:00') });
      await house.grant(member.id, laser);
      const REVOKE = `mutation($p: ID!, $q: ID!) { revokeQualification(personId: $p, qualificationId: $q) { qualification { id } person { id } expiresAt } }`;
      const nextHour = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
      const book = (day: number) => {
        const startsAt = new Date(nextHour + day * 86_400_000);
        const endsAt = new Date(startsAt.getTime() + 3_600_000);
        return t.gql(BOOK, { input: { resourceId: cutter, collectiveId: member.collectiveId, title: 'Découpe', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() } }, member.token);
      };
      expect((await book(1)).errors).toBeUndefined();

      const before = await t.sql(`SELECT * FROM qualification_grant ORDER BY id`);
      expect(errorCodes(await t.gql(REVOKE, { p: member.id, q: laser }, member.token))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await t.gql(REVOKE, { p: steward.id, q: laser }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(REVOKE, { p: member.id, q: '00000000-0000-4000-8000-000000000000' }, steward.token))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await t.gql(REVOKE, { p: member.id, q: 'laser' }, steward.token))).toEqual(['NOT_FOUND']);
      expect(await t.sql(`SELECT * FROM qualification_grant ORDER BY id`)).toEqual(before);

      const started = Date.now();
      const revoked = (await t.gqlOk(REVOKE, { p: member.id.toUpperCase(), q: laser }, steward.token)).revokeQualification;
      expect(revoked).toMatchObject({ qualification: { id: laser }, person: { id: member.id } });
      expect(Date.parse(revoked.expiresAt)).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(revoked.expiresAt)).toBeLessThanOrEqual(Date.now() + 1000);
      const mine = (await t.gqlOk(`{ me { qualifications { qualification { id } expiresAt } } }`, {}, member.token)).me.qualifications;
      expect(mine).toEqual([{ qualification: { id: laser }, expiresAt: revoked.expiresAt }]);
      expect(errorCodes(await book(2))).toEqual(['QUALIFICATION_REQUIRED']);
      // Once is enough.
      expect(errorCodes(await t.gql(REVOKE, { p: member.id, q: laser }, steward.token))).toEqual(['INVALID_STATE']);
      expect(await t.sql(`SELECT payload, actor_id AS "actorId" FROM event_log WHERE type = 'qualification.revoked' AND subject_id = $1`, [member.id])).toEqual([
        { payload: { personId: member.id, qualificationId: laser }, actorId: steward.id },
      ]);

      await t.gqlOk(`mutation($p: ID!, $q: ID!) { grantQualification(personId: $p, qualificationId: $q) { expiresAt } }`, { p: member.id.toUpperCase(), q: laser.toUpperCase() }, steward.token);
      expect((await book(3)).errors).toBeUndefined();
      const [granted] = await t.sql(`SELECT payload FROM event_log WHERE type = 'qualification.granted' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`, [member.id]);
      expect(granted.payload).toEqual({ personId: member.id, qualificationId: laser, expiresAt: null });
    });
  });

  describe('profile and directory of people', () => {
    it('lets a person choose their interface language, and only staff browse people', async () => {
      const member = await house.member();
      const changed = await t.gqlOk(`mutation { setMyLocale(locale: "ps") { id locale } }`, {}, member.token);
      expect(changed.setMyLocale.locale).toBe('ps');
      expect(errorCodes(await t.gql(`mutation { setMyLocale(locale: "not a language!") { id } }`, {}, member.token))).toEqual(['BAD_USER_INPUT']);
      await house.person({ handle: 'findable.name' });
      const found = await t.gqlOk(`{ persons(search: "findable") { handle } }`, {}, steward.token);
      expect(found.persons).toEqual([{ handle: 'findable.name' }]);
      expect((await t.gqlOk(`{ persons(search: "%") { id } }`, {}, steward.token)).persons).toEqual([]);
      expect(errorCodes(await t.gql(`{ persons { id } }`, {}, member.token))).toEqual(['FORBIDDEN']);
      const auditor = await house.auditor();
      expect(errorCodes(await t.gql(`{ persons { id } }`, {}, auditor.token))).toEqual(['FORBIDDEN']);
    });
  });

  describe('query limits', () => {
    it('refuses queries nested too deep', async () => {
      const deep = `{ me { memberships { collective { members { person { memberships { collective { members { person { memberships { id } } } } } } } } } } }`;
      const response = await t.gql(deep, {}, steward.token);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0].message).toMatch(/at most 10/);
    });
  });

  describe('roles are read fresh', () => {
    it('an admin who loses the role loses its powers at once', async () => {
      const former = await house.person({ roles: [Role.ADMIN] });
      const ok = await t.gql(`mutation { createCollective(input: { name: "Fresh roles", form: INFORMAL, tariffTier: SOLIDARITY }) { id } }`, {}, former.token);
      expect(ok.errors).toBeUndefined();
      await t.sql(`UPDATE person SET roles = '{MEMBER}' WHERE id = $1`, [former.id]);
      const refused = await t.gql(`mutation { createCollective(input: { name: "Fresh roles 2", form: INFORMAL, tariffTier: SOLIDARITY }) { id } }`, {}, former.token);
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    });
  });
});
