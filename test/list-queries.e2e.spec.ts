import { Scheduler } from '../src/database/scheduler';
import { PROPOSAL_TRANSITIONS_JOB } from '../src/governance/governance.jobs';
import { HouseBuilder, TestPerson } from './support/house';
import { SpacesBuilder, hours } from './support/spaces';
import { recordStatements, statementsReading } from './support/sql-statements';
import { ManualClock, TestApp, startTestApp } from './support/test-app';

const START = '2027-03-01T10:00:00+01:00';
const HOUR = 3_600_000;
const NAMES = 'names { lang text }';

/**
 * The lists the client reads, with what it reads of each item: as many SQL statements for
 * 15 items as for 3, whoever they point to.
 */
describe('lists read what their items point to with as many statements however long they are', () => {
  let t: TestApp;
  let clock: ManualClock;
  let house: HouseBuilder;
  let spaces: SpacesBuilder;
  let steward: TestPerson;
  let admin: TestPerson;
  let recorded: ReturnType<typeof recordStatements>;

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await startTestApp({ clock });
    house = new HouseBuilder(t);
    steward = await house.steward();
    admin = await house.admin();
    spaces = new SpacesBuilder(t, steward.token);
    recorded = recordStatements(t);
  });
  afterAll(async () => {
    recorded.stop();
    await t.close();
  });

  /** Runs a query and counts its statements that read these tables. */
  async function counted<T = any>(tables: string[], query: string, token: string, variables: Record<string, unknown> = {}): Promise<{ data: T; statements: number }> {
    recorded.statements.length = 0;
    const data = await t.gqlOk<T>(query, variables, token);
    return { data, statements: statementsReading(recorded.statements, tables) };
  }

  const grant = (personId: string, qualificationId: string) =>
    t.gqlOk(`mutation($p: ID!, $q: ID!) { grantQualification(personId: $p, qualificationId: $q) { grantedAt } }`, { p: personId, q: qualificationId }, steward.token);

  it("reads a steward's list of people with their memberships and trainings", async () => {
    const trainings = [await house.qualification('Hygiène (liste)'), await house.qualification('Laser (liste)')];
    const expected = new Map<string, { handle: string; collectives: string[]; training: string }>();
    const addPeople = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = expected.size;
        const collective = await house.collective({ name: `Collectif de la liste ${n}` });
        const person = await house.person({ handle: `roster${n}` });
        const collectives = [collective.name];
        if (n % 4 === 0) {
          // An earlier membership, ended: listed first.
          const former = await house.collective({ name: `Ancien collectif ${n}` });
          await house.membership(person.id, former.id, { startsAt: new Date(clock.now().getTime() - 90 * 24 * HOUR), endsAt: new Date(clock.now().getTime() - 30 * 24 * HOUR) });
          collectives.unshift(former.name);
        }
        await house.membership(person.id, collective.id);
        await grant(person.id, trainings[n % 2]);
        expected.set(person.id, { handle: `roster${n}`, collectives, training: n % 2 ? 'Laser (liste)' : 'Hygiène (liste)' });
      }
    };
    const read = async () => {
      const { data, statements: n } = await counted(
        ['person', 'membership', 'collective', 'qualification', 'qualification_grant'],
        `query($s: String) { persons(search: $s) { id displayName handle memberships { startsAt endsAt collective { name } } qualifications { qualification { name } grantedBy { id } person { id } } } }`,
        steward.token,
        { s: 'roster' },
      );
      expect(data.persons).toHaveLength(expected.size);
      for (const person of data.persons) {
        const want = expected.get(person.id)!;
        expect(person.handle).toBe(want.handle);
        expect(person.memberships.map((m: { collective: { name: string } }) => m.collective.name)).toEqual(want.collectives);
        expect(person.qualifications).toEqual([{ qualification: { name: want.training }, grantedBy: { id: steward.id }, person: { id: person.id } }]);
      }
      return n;
    };

    await addPeople(3);
    const few = await read();
    await addPeople(12);
    expect(await read()).toBe(few);
  });

  it("reads a steward's list of collectives with their members", async () => {
    const expected = new Map<string, string[]>();
    const addCollectives = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const collective = await house.collective();
        const members = [await house.member(collective.id), await house.member(collective.id)];
        expected.set(collective.id, members.map((m) => m.id));
      }
    };
    const read = async () => {
      const { data, statements: n } = await counted(
        ['person', 'membership', 'collective'],
        `{ collectives { id members { person { id } collective { id } } } }`,
        steward.token,
      );
      const mine = data.collectives.filter((c: { id: string }) => expected.has(c.id));
      expect(mine).toHaveLength(expected.size);
      for (const collective of mine) {
        // Both joined at the same instant: in either order.
        expect(collective.members.map((m: { person: { id: string } }) => m.person.id).sort()).toEqual([...expected.get(collective.id)!].sort());
        expect(collective.members.map((m: { collective: { id: string } }) => m.collective.id)).toEqual([collective.id, collective.id]);
      }
      return n;
    };

    await addCollectives(3);
    const few = await read();
    await addCollectives(12);
    expect(await read()).toBe(few);
  });

  it("reads a member's list of the people of their collective, with where they belong and their trainings", async () => {
    const collective = await house.collective();
    const reader = await house.member(collective.id);
    const training = await house.qualification('Couture (liste)');
    // Each colleague also belongs elsewhere, which the reader sees too.
    const expected = new Map<string, string[]>([[reader.id, [collective.id]]]);
    const addColleagues = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const elsewhere = await house.collective();
        const colleague = await house.member(collective.id);
        await house.membership(colleague.id, elsewhere.id);
        await grant(colleague.id, training);
        expected.set(colleague.id, [collective.id, elsewhere.id]);
      }
    };
    const read = async () => {
      const { data, statements: n } = await counted(
        ['person', 'membership', 'qualification', 'qualification_grant'],
        `query($id: ID!) { collective(id: $id) { members { person { id memberships { collective { id } } qualifications { qualification { name } } } } } }`,
        reader.token,
        { id: collective.id },
      );
      expect(data.collective.members).toHaveLength(expected.size);
      for (const { person } of data.collective.members) {
        expect(person.memberships.map((m: { collective: { id: string } }) => m.collective.id).sort()).toEqual([...expected.get(person.id)!].sort());
        expect(person.qualifications).toEqual(person.id === reader.id ? [] : [{ qualification: { name: 'Couture (liste)' } }]);
      }
      return n;
    };

    await addColleagues(2);
    const few = await read();
    await addColleagues(12);
    expect(await read()).toBe(few);
  });

  it('reads the list of spaces with their zones, trainings, opening hours and rates', async () => {
    const training = await house.qualification('Découpe laser (liste)');
    const expected = new Map<string, { zone: { name: string; names: unknown[] }; training: string | null; weekday: number; rate: number }>();
    const addResources = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const n = expected.size;
        const zone = (
          await t.gqlOk(
            `mutation($n: String!, $names: [LocalizedNameInput!]) { createZone(name: $n, openToMembersAnytime: false, names: $names) { id } }`,
            { n: `Zone de la liste ${n}`, names: [{ lang: 'en', text: `Listed zone ${n}` }] },
            steward.token,
          )
        ).createZone.id;
        const weekday = (n % 7) + 1;
        const id = await spaces.resource({
          name: `Espace de la liste ${n}`,
          zoneId: zone,
          requiredQualificationId: n % 2 ? training : null,
          // Listed by weekday, then opening: given in another order.
          openingHours: [...hours([weekday], '14:00', '18:00'), ...hours([weekday], '08:00', '12:00')],
          rates: [
            { tier: 'STANDARD', centsPerHour: 1000 + n },
            { tier: 'SOLIDARITY', centsPerHour: 0 },
          ],
        });
        expected.set(id, { zone: { name: `Zone de la liste ${n}`, names: [{ lang: 'en', text: `Listed zone ${n}` }] }, training: n % 2 ? 'Découpe laser (liste)' : null, weekday, rate: 1000 + n });
      }
    };
    const read = async () => {
      const { data, statements: n } = await counted(
        ['zone', 'resource', 'qualification', 'resource_opening_hours', 'resource_rate'],
        `{ resources { id zone { id name ${NAMES} } requiredQualification { id name } openingHours { weekday opens closes } rates { tier centsPerHour } } }`,
        steward.token,
      );
      const mine = data.resources.filter((r: { id: string }) => expected.has(r.id));
      expect(mine).toHaveLength(expected.size);
      for (const resource of mine) {
        const want = expected.get(resource.id)!;
        expect(resource.zone).toMatchObject(want.zone);
        expect(resource.requiredQualification?.name ?? null).toBe(want.training);
        expect(resource.openingHours).toEqual([
          { weekday: want.weekday, opens: '08:00', closes: '12:00' },
          { weekday: want.weekday, opens: '14:00', closes: '18:00' },
        ]);
        expect([...resource.rates].sort((a: { tier: string }, b: { tier: string }) => a.tier.localeCompare(b.tier))).toEqual([
          { tier: 'SOLIDARITY', centsPerHour: 0 },
          { tier: 'STANDARD', centsPerHour: want.rate },
        ]);
      }
      return n;
    };

    await addResources(3);
    const few = await read();
    await addResources(12);
    expect(await read()).toBe(few);
  });

  it("reads a steward's list of badges with their holders", async () => {
    const expected = new Map<string, string>();
    let uid = 0x5000;
    const addBadges = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const member = await house.member();
        const { issueBadge } = await t.gqlOk(
          `mutation($p: ID!, $u: String!) { issueBadge(personId: $p, uid: $u, label: "Carte") { id } }`,
          { p: member.id, u: `04B2${(uid++).toString(16).toUpperCase().padStart(6, '0')}` },
          steward.token,
        );
        expected.set(issueBadge.id, member.id);
      }
    };
    const read = async () => {
      const { data, statements: n } = await counted(['badge', 'person'], `{ badges { id person { id } } }`, steward.token);
      expect(data.badges).toHaveLength(expected.size);
      for (const badge of data.badges) expect(badge.person.id).toBe(expected.get(badge.id));
      return n;
    };

    await addBadges(3);
    const few = await read();
    await addBadges(12);
    expect(await read()).toBe(few);
  });

  describe('governance', () => {
    let author: TestPerson;
    let viewer: TestPerson;
    let voter: TestPerson;
    let space: { id: string; name: string };
    const transitions = () => t.app.get(Scheduler).runNow(PROPOSAL_TRANSITIONS_JOB);

    beforeAll(async () => {
      // Only the people made here vote, so that quorums are reached.
      clock.advance(24 * HOUR);
      await t.sql(`UPDATE membership SET ends_at = $1 WHERE (ends_at IS NULL OR ends_at > $1) AND starts_at < $1`, [clock.now()]);
      const collective = await house.collective();
      [author, viewer, voter] = [await house.member(collective.id), await house.member(collective.id), await house.member(collective.id)];
      const zoneId = await spaces.zone();
      const input = { name: 'Salle des votes', names: [{ lang: 'en', text: 'Voting room' }], kind: 'ROOM', capacity: 40, zoneId, slotMinutes: 30, minMinutes: 30, maxMinutes: 240, bufferMinutes: 0, openingHours: [] };
      space = { id: (await t.gqlOk(`mutation($input: ResourceInput!) { createResource(input: $input) { id } }`, { input }, steward.token)).createResource.id, name: 'Salle des votes' };
    });

    async function propose(by: TestPerson, title: string, discussionHours: number, ruleChanges: unknown[]): Promise<{ id: string; discussionEndsAt: Date; votingEndsAt: Date }> {
      const discussionEndsAt = new Date(clock.now().getTime() + discussionHours * HOUR);
      const votingEndsAt = new Date(discussionEndsAt.getTime() + 48 * HOUR);
      const { createProposal } = await t.gqlOk(
        `mutation($input: ProposalInput!) { createProposal(input: $input) { id } }`,
        { input: { title, body: 'Pourquoi pas ?', discussionEndsAt: discussionEndsAt.toISOString(), votingEndsAt: votingEndsAt.toISOString(), ruleChanges } },
        by.token,
      );
      return { id: createProposal.id, discussionEndsAt, votingEndsAt };
    }

    const comment = (by: TestPerson, proposalId: string, body: string) =>
      t.gqlOk(`mutation($p: ID!, $b: String!) { addComment(proposalId: $p, body: $b) { id } }`, { p: proposalId, b: body }, by.token);
    const vote = (by: TestPerson, proposalId: string, choice: string) =>
      t.gqlOk(`mutation($p: ID!, $c: VoteChoice!) { castVote(proposalId: $p, choice: $c) { receipt } }`, { p: proposalId, c: choice }, by.token);

    it("reads a member's list of proposals with their rule changes, ballots, authors and comments", async () => {
      interface Expected {
        title: string;
        author: string;
        status: string;
        myVote: string | null;
        turnout: number;
        canVote: boolean;
        tally: { yes: number; no: number; adopted: boolean } | null;
        value: number;
      }
      const expected = new Map<string, Expected>();
      /** A batch: some proposals put to the vote (the viewer votes on some), one still discussed. */
      const addProposals = async (count: number) => {
        const batch: Array<{ id: string; discussionEndsAt: Date; votingEndsAt: Date }> = [];
        for (let i = 0; i < count; i++) {
          const n = expected.size;
          const by = n % 2 ? viewer : author;
          const discussed = i === count - 1;
          const proposal = await propose(by, `Proposition ${n}`, discussed ? 240 : 72, [
            { key: 'MAX_ADVANCE_DAYS', resourceId: space.id, value: 60 + n },
            { key: 'CANCELLATION_NOTICE_MINUTES', value: 120 + n },
          ]);
          await comment(voter, proposal.id, 'Pour.');
          clock.advance(1000);
          await comment(viewer, proposal.id, 'Plutôt pour.');
          clock.advance(1000);
          if (!discussed) batch.push(proposal);
          expected.set(proposal.id, { title: `Proposition ${n}`, author: by.id, status: 'DISCUSSION', myVote: null, turnout: 0, canVote: false, tally: null, value: 60 + n });
        }
        clock.set(batch[batch.length - 1].discussionEndsAt);
        await transitions();
        for (const [i, proposal] of batch.entries()) {
          const want = expected.get(proposal.id)!;
          Object.assign(want, { status: 'VOTING', canVote: true });
          if (i % 3 !== 2) {
            await vote(viewer, proposal.id, i % 3 ? 'NO' : 'YES');
            Object.assign(want, { myVote: i % 3 ? 'NO' : 'YES', turnout: 1 });
          }
          if (i % 2 === 0) {
            await vote(voter, proposal.id, 'YES');
            want.turnout++;
          }
        }
        return batch;
      };
      const read = async () => {
        const { data, statements: n } = await counted(
          ['proposal', 'proposal_rule_change', 'ballot', 'proposal_voter', 'proposal_comment', 'person', 'resource'],
          `{ proposals { id title status createdAt discussionEndsAt votingEndsAt turnout electorateSize myVote canVote quorumPercent thresholdPercent
               ruleChanges { key value resource { id name ${NAMES} } } author { id displayName } tally { yes no adopted } comments { author { id } } } }`,
          viewer.token,
        );
        expect(data.proposals).toHaveLength(expected.size);
        for (const proposal of data.proposals) {
          const want = expected.get(proposal.id)!;
          expect(proposal).toMatchObject({
            title: want.title,
            status: want.status,
            turnout: want.turnout,
            myVote: want.myVote,
            canVote: want.canVote,
            tally: want.tally,
            electorateSize: want.status === 'DISCUSSION' ? null : 3,
            author: { id: want.author, displayName: expect.stringContaining('Person ') },
            comments: [{ author: { id: voter.id } }, { author: { id: viewer.id } }],
          });
          expect(proposal.ruleChanges).toEqual([
            { key: 'MAX_ADVANCE_DAYS', value: want.value, resource: { id: space.id, name: space.name, names: [{ lang: 'en', text: 'Voting room' }] } },
            { key: 'CANCELLATION_NOTICE_MINUTES', value: want.value + 60, resource: null },
          ]);
        }
        return n;
      };

      const first = await addProposals(3);
      const few = await read();
      // The first batch closes while the next one is discussed: a tally, and no vote any more.
      clock.set(first[first.length - 1].votingEndsAt);
      await transitions();
      for (const [i, proposal] of first.entries()) {
        const want = expected.get(proposal.id)!;
        const yes = (i % 3 === 0 ? 1 : 0) + (i % 2 === 0 ? 1 : 0);
        const no = i % 3 === 1 ? 1 : 0;
        Object.assign(want, { status: yes > no ? 'ADOPTED' : 'REJECTED', canVote: false, tally: { yes, no, adopted: yes > no } });
      }
      await addProposals(12);
      expect(await read()).toBe(few);
    });

    it('reads the house rules with their spaces and the proposals that set them', async () => {
      const expected = new Map<string, { value: number; proposal: { id: string; title: string } }>();
      const adopt = async (count: number) => {
        const adopted: Array<{ id: string; discussionEndsAt: Date; votingEndsAt: Date }> = [];
        for (let i = 0; i < count; i++) {
          const n = expected.size;
          const resource = await spaces.resource({ name: `Espace réglé ${n}` });
          const proposal = await propose(author, `Règle ${n}`, 72, [{ key: 'WEEKLY_QUOTA_MINUTES', resourceId: resource, value: 600 + n }]);
          adopted.push(proposal);
          expected.set(resource, { value: 600 + n, proposal: { id: proposal.id, title: `Règle ${n}` } });
        }
        clock.set(adopted[adopted.length - 1].discussionEndsAt);
        await transitions();
        for (const proposal of adopted) for (const by of [author, viewer]) await vote(by, proposal.id, 'YES');
        clock.set(adopted[adopted.length - 1].votingEndsAt);
        await transitions();
      };
      const read = async () => {
        const { data, statements: n } = await counted(['house_rule', 'resource', 'proposal'], `{ houseRules { key value resource { id name } setBy { id title } } }`, admin.token);
        const mine = data.houseRules.filter((r: { key: string; resource: { id: string } | null }) => r.key === 'WEEKLY_QUOTA_MINUTES' && r.resource && expected.has(r.resource.id));
        expect(mine).toHaveLength(expected.size);
        for (const rule of mine) {
          const want = expected.get(rule.resource.id)!;
          expect(rule).toMatchObject({ value: want.value, setBy: want.proposal });
          expect(rule.resource.name).toMatch(/^Espace réglé \d+$/);
        }
        // A founding value: no space, no proposal.
        expect(data.houseRules.find((r: { key: string }) => r.key === 'QUORUM_PERCENT')).toMatchObject({ resource: null, setBy: null });
        return n;
      };

      await adopt(3);
      const few = await read();
      await adopt(12);
      expect(await read()).toBe(few);
    });
  });
});
