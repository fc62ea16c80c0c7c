import { Scheduler } from '../src/database/scheduler';
import { PROPOSAL_TRANSITIONS_JOB } from '../src/governance/governance.jobs';
import { countVotes } from '../src/governance/proposals.service';
import { TariffTier } from '../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from './support/house';
import { connectLive } from './support/live-client';
import { holding, lockWaiters } from './support/lock-waits';
import { BOOK, SpacesBuilder } from './support/spaces';
import { ManualClock, TestApp, errorCodes, startTestApp } from './support/test-app';

const START = '2027-03-01T10:00:00+01:00';
const HOUR = 3_600_000;

describe('one person, one vote', () => {
  let t: TestApp;
  let clock: ManualClock;
  let house: HouseBuilder;
  let admin: TestPerson;

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await startTestApp({ clock });
    house = new HouseBuilder(t);
    admin = await house.admin();
  });
  afterAll(() => t.close());

  /** Ends every membership so that a scenario controls its electorate exactly; time moves on a day each scenario. */
  async function freshHouse(): Promise<void> {
    clock.advance(24 * HOUR);
    await t.sql(`UPDATE membership SET ends_at = $1 WHERE (ends_at IS NULL OR ends_at > $1) AND starts_at < $1`, [clock.now()]);
  }

  async function members(count: number): Promise<Array<TestPerson & { collectiveId: string }>> {
    const collective = await house.collective();
    return Promise.all(Array.from({ length: count }, () => house.member(collective.id)));
  }

  async function propose(author: TestPerson, ruleChanges: unknown[] = []): Promise<{ id: string; discussionEndsAt: Date; votingEndsAt: Date }> {
    const discussionEndsAt = new Date(clock.now().getTime() + 72 * HOUR);
    const votingEndsAt = new Date(discussionEndsAt.getTime() + 48 * HOUR);
    const data = await t.gqlOk(
      `mutation($input: ProposalInput!) { createProposal(input: $input) { id status quorumPercent thresholdPercent electorateSize } }`,
      { input: { title: 'Une règle', body: 'Pourquoi pas ?', discussionEndsAt: discussionEndsAt.toISOString(), votingEndsAt: votingEndsAt.toISOString(), ruleChanges } },
      author.token,
    );
    expect(data.createProposal).toMatchObject({ status: 'DISCUSSION', electorateSize: null });
    return { id: data.createProposal.id, discussionEndsAt, votingEndsAt };
  }

  const transitions = () => t.app.get(Scheduler).runNow(PROPOSAL_TRANSITIONS_JOB);
  async function openVoting(p: { discussionEndsAt: Date }) {
    clock.set(p.discussionEndsAt);
    await transitions();
  }
  async function closeVoting(p: { votingEndsAt: Date }) {
    clock.set(p.votingEndsAt);
    await transitions();
  }
  const vote = (person: TestPerson, id: string, choice: string) =>
    t.gql(`mutation($id: ID!, $c: VoteChoice!) { castVote(proposalId: $id, choice: $c) { proposalId receipt castAt } }`, { id, c: choice }, person.token);
  const read = (id: string, token: string) =>
    t.gqlOk(`query($id: ID!) { proposal(id: $id) { status electorateSize turnout myVote canVote tally { yes no abstain electorateSize turnout quorumReached adopted } } }`, { id }, token);

  it('counts a person in three collectives once, and keeps out who joined after the proposal was made, backdated or not', async () => {
    await freshHouse();
    const [a, b, c] = [await house.collective(), await house.collective(), await house.collective()];
    const multi = await house.person();
    for (const collective of [a, b, c]) await house.membership(multi.id, collective.id);
    const other = await house.member(a.id);
    const proposal = await propose(other);
    clock.advance(HOUR);
    const late = await house.person();
    await house.membership(late.id, a.id, { startsAt: clock.now() });
    // Recorded after the proposal by a steward, dated a month back: still out.
    const backdated = await house.person();
    const steward = await house.steward();
    await t.gqlOk(
      `mutation($input: MembershipInput!) { addMembership(input: $input) { id } }`,
      { input: { personId: backdated.id, collectiveId: b.id, startsAt: new Date(clock.now().getTime() - 30 * 24 * HOUR).toISOString() } },
      steward.token,
    );
    await openVoting(proposal);

    const opened = await read(proposal.id, multi.token);
    expect(opened.proposal).toMatchObject({ status: 'VOTING', electorateSize: 2, turnout: 0, canVote: true, tally: null });
    expect((await vote(multi, proposal.id, 'YES')).errors).toBeUndefined();
    expect((await read(proposal.id, multi.token)).proposal.turnout).toBe(1);
    for (const outsider of [late, backdated]) {
      expect(errorCodes(await vote(outsider, proposal.id, 'YES'))).toEqual(['FORBIDDEN']);
      expect((await read(proposal.id, outsider.token)).proposal.canVote).toBe(false);
    }
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM ballot WHERE proposal_id = $1`, [proposal.id]);
    expect(n).toBe(1);
  });

  it('leaves exactly one ballot after 20 concurrent casts by one person, with the last committed choice', async () => {
    await freshHouse();
    const [voter, other] = await members(2);
    const proposal = await propose(other);
    await openVoting(proposal);
    clock.advance(HOUR);
    const choices = Array.from({ length: 20 }, (_, i) => ['YES', 'NO', 'ABSTAIN'][i % 3]);
    const responses = await Promise.all(choices.map((choice) => vote(voter, proposal.id, choice)));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM ballot WHERE proposal_id = $1`, [proposal.id]);
    expect(n).toBe(1);
    await closeVoting(proposal);
    const verified = await Promise.all(
      responses.map((r) => t.gqlOk(`query($p: ID!, $r: String!) { verifyReceipt(proposalId: $p, receipt: $r) }`, { p: proposal.id, r: r.data.castVote.receipt }, voter.token)),
    );
    const counted = verified.map((v, i) => (v.verifyReceipt ? choices[i] : null)).filter(Boolean);
    expect(counted).toHaveLength(1);
    const { tally } = (await read(proposal.id, voter.token)).proposal;
    expect(tally.turnout).toBe(1);
    expect({ YES: tally.yes, NO: tally.no, ABSTAIN: tally.abstain }[counted[0] as 'YES' | 'NO' | 'ABSTAIN']).toBe(1);
    expect(responses.every((r) => Buffer.from(r.data.castVote.receipt, 'base64url').length >= 16)).toBe(true);
  });

  it('counts a ballot cast just before the close even when its write is slow: every receipt given out is in the tally', async () => {
    await freshHouse();
    const [voter, other] = await members(2);
    const proposal = await propose(other);
    await openVoting(proposal);
    clock.set(new Date(proposal.votingEndsAt.getTime() - 1000));
    // The ballot's write waits (its foreign key on the voter's row) while the close is due.
    const slowWrite = await holding(t, `SELECT 1 FROM proposal_voter WHERE proposal_id = $1 AND person_id = $2 FOR UPDATE`, [proposal.id, voter.id]);
    const cast = vote(voter, proposal.id, 'YES');
    await lockWaiters(t, 1);
    clock.set(proposal.votingEndsAt);
    await transitions();
    await slowWrite.release();
    const { receipt } = (await cast).data.castVote;
    expect((await read(proposal.id, voter.token)).proposal.canVote).toBe(false); // due to close: no longer
    await transitions();
    const { proposal: closed } = await read(proposal.id, voter.token);
    expect(closed.status).not.toBe('VOTING');
    expect(closed.tally.turnout).toBe(1);
    expect((await t.gqlOk(`query($p: ID!, $r: String!) { verifyReceipt(proposalId: $p, receipt: $r) }`, { p: proposal.id, r: receipt }, voter.token)).verifyReceipt).toBe(true);
  });

  it('reports a turnout that counts every earlier ballot when two people vote at the same moment', async () => {
    await freshHouse();
    const [a, b, other] = await members(3);
    const proposal = await propose(other);
    await openVoting(proposal);
    // Both casts reach their commit together.
    const slowCommit = await holding(t, `SELECT 1 FROM event_log_head FOR UPDATE`);
    const casts = [vote(a, proposal.id, 'YES'), vote(b, proposal.id, 'NO')];
    await lockWaiters(t, 2);
    await slowCommit.release();
    expect((await Promise.all(casts)).map((r) => r.errors)).toEqual([undefined, undefined]);
    const events = await t.sql(`SELECT payload FROM event_log WHERE subject_id = $1 AND type = 'proposal.ballot_cast' ORDER BY seq`, [proposal.id]);
    expect(events.map((e) => e.payload.proposal.turnout)).toEqual([1, 2]);
  });

  it('counts only the last choice of a member who changed their vote', async () => {
    await freshHouse();
    const [voter, other] = await members(2);
    const proposal = await propose(other);
    await openVoting(proposal);
    const first = await vote(voter, proposal.id, 'NO');
    expect((await read(proposal.id, voter.token)).proposal.myVote).toBe('NO');
    const second = await vote(voter, proposal.id, 'YES');
    expect((await read(proposal.id, voter.token)).proposal).toMatchObject({ myVote: 'YES', turnout: 1, tally: null });
    await closeVoting(proposal);
    const closed = (await read(proposal.id, voter.token)).proposal;
    expect(closed.tally).toMatchObject({ yes: 1, no: 0, abstain: 0, turnout: 1 });
    const verify = (receipt: string) => t.gqlOk(`query($p: ID!, $r: String!) { verifyReceipt(proposalId: $p, receipt: $r) }`, { p: proposal.id, r: receipt }, other.token);
    expect((await verify(first.data.castVote.receipt)).verifyReceipt).toBe(false);
    expect((await verify(second.data.castVote.receipt)).verifyReceipt).toBe(true);
  });

  it('never lets anyone, admins included, read another person\'s choice; the tally waits for the close', async () => {
    await freshHouse();
    const [voter, other] = await members(2);
    const proposal = await propose(other);
    await openVoting(proposal);
    const receipt = (await vote(voter, proposal.id, 'NO')).data.castVote.receipt;
    for (const reader of [admin, other]) {
      const seen = await read(proposal.id, reader.token);
      expect(seen.proposal).toMatchObject({ myVote: null, tally: null, turnout: 1 });
    }
    expect(errorCodes(await t.gql(`query($p: ID!, $r: String!) { verifyReceipt(proposalId: $p, receipt: $r) }`, { p: proposal.id, r: receipt }, admin.token))).toEqual(['INVALID_STATE']);
    // No type in the schema carries a choice other than the caller's own myVote.
    const schema = await t.gqlOk(`{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }`, {}, admin.token);
    const choiceFields = schema.__schema.types
      .flatMap((type: { name: string; fields: Array<{ name: string; type: any }> | null }) => (type.fields ?? []).map((f) => ({ type: type.name, field: f.name, returns: JSON.stringify(f.type) })))
      .filter((f: { returns: string }) => f.returns.includes('VoteChoice'));
    expect(choiceFields.map((f: { type: string; field: string }) => `${f.type}.${f.field}`)).toEqual(['Proposal.myVote']);
    expect(JSON.stringify(schema)).not.toMatch(/"ballots?"/i);
  });

  it('decides the quorum and threshold edges exactly', async () => {
    expect(countVotes(3, 0, 0, 10, 30, 50)).toMatchObject({ quorumReached: true, adopted: true });
    expect(countVotes(2, 0, 0, 10, 30, 50)).toMatchObject({ quorumReached: false, adopted: false });
    expect(countVotes(2, 2, 0, 10, 30, 50)).toMatchObject({ quorumReached: true, adopted: false });
    expect(countVotes(1, 0, 2, 10, 30, 50)).toMatchObject({ quorumReached: true, adopted: true, turnout: 3 });
    expect(countVotes(1, 1, 8, 10, 30, 50)).toMatchObject({ quorumReached: true, adopted: false });

    const scenario = async (yes: number, no: number, abstain: number) => {
      await freshHouse();
      const electorate = await members(10);
      const proposal = await propose(electorate[0]);
      await openVoting(proposal);
      const choices = [...Array(yes).fill('YES'), ...Array(no).fill('NO'), ...Array(abstain).fill('ABSTAIN')];
      for (const [i, choice] of choices.entries()) expect((await vote(electorate[i], proposal.id, choice)).errors).toBeUndefined();
      await closeVoting(proposal);
      return (await read(proposal.id, electorate[0].token)).proposal;
    };
    expect((await scenario(3, 0, 0)).status).toBe('ADOPTED');
    const below = await scenario(2, 0, 0);
    expect(below).toMatchObject({ status: 'NO_QUORUM', tally: { quorumReached: false, electorateSize: 10, turnout: 2 } });
    expect((await scenario(2, 2, 0)).status).toBe('REJECTED');
    expect(await scenario(1, 0, 2)).toMatchObject({ status: 'ADOPTED', tally: { yes: 1, no: 0, abstain: 2, quorumReached: true, adopted: true } });
  });

  it('applies an adopted kitchen quota at the close: the next over-quota booking fails, and houseRules names the proposal', async () => {
    await freshHouse();
    const steward = await house.steward();
    const kitchen = await new SpacesBuilder(t, steward.token).resource({ kind: 'KITCHEN', minMinutes: 60 });
    const collective = await house.collective({ tariffTier: TariffTier.SOLIDARITY });
    const cooks = await Promise.all([house.member(collective.id), house.member(collective.id)]);
    const proposal = await propose(cooks[0], [{ key: 'WEEKLY_QUOTA_MINUTES', resourceId: kitchen, value: 120 }]);
    await openVoting(proposal);
    for (const cook of cooks) await vote(cook, proposal.id, 'YES');
    const before = await t.gqlOk(`{ houseRules { key value resource { id } } }`, {}, cooks[0].token);
    expect(before.houseRules.find((r: { resource: { id: string } | null }) => r.resource?.id === kitchen)).toBeUndefined();
    await closeVoting(proposal);

    const rules = await t.gqlOk(`{ houseRules { key value resource { id } setBy { id status } } }`, {}, cooks[0].token);
    expect(rules.houseRules.find((r: { resource: { id: string } | null }) => r.resource?.id === kitchen)).toEqual({ key: 'WEEKLY_QUOTA_MINUTES', value: 120, resource: { id: kitchen }, setBy: { id: proposal.id, status: 'ADOPTED' } });
    const day = new Date(clock.now().getTime() + 48 * HOUR).toISOString().slice(0, 10);
    const slot = (from: string, to: string) => ({ resourceId: kitchen, collectiveId: collective.id, title: 'Cuisine', startsAt: `${day}T${from}:00+01:00`, endsAt: `${day}T${to}:00+01:00` });
    expect((await t.gql(BOOK, { input: slot('08:00', '10:00') }, cooks[0].token)).errors).toBeUndefined();
    expect(errorCodes(await t.gql(BOOK, { input: slot('12:00', '13:00') }, cooks[1].token))).toEqual(['QUOTA_EXCEEDED']);
    const [logged] = await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE type = 'rule.set' AND payload->>'proposalId' = $1`, [proposal.id]);
    expect(logged.n).toBe(1);
  });

  it('validates proposals, lets the author withdraw during discussion, and takes comments', async () => {
    await freshHouse();
    const [author, other] = await members(2);
    const outsider = await house.person();
    const auditor = await house.auditor();
    const create = `mutation($input: ProposalInput!) { createProposal(input: $input) { id } }`;
    const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString();
    const base = { title: 'T', body: 'B', discussionEndsAt: at(72), votingEndsAt: at(96) };
    expect(errorCodes(await t.gql(create, { input: { ...base, discussionEndsAt: at(71) } }, author.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(create, { input: { ...base, votingEndsAt: at(72) } }, author.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(create, { input: { ...base, ruleChanges: [{ key: 'QUORUM_PERCENT', value: 101 }] } }, author.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(create, { input: { ...base, ruleChanges: [{ key: 'WEEKLY_QUOTA_MINUTES', value: -5 }] } }, author.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(create, { input: { ...base, ruleChanges: [{ key: 'WEEKLY_QUOTA_MINUTES', resourceId: '00000000-0000-4000-8000-000000000000', value: 60 }] } }, author.token))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await t.gql(create, { input: base }, outsider.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.gql(create, { input: base }, auditor.token))).toEqual(['FORBIDDEN']);
    // Text the declared limits let through but the database refuses: still the user's input.
    expect(errorCodes(await t.gql(create, { input: { ...base, title: '❤️'.repeat(101) } }, author.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(create, { input: { ...base, title: 'a\u0000b' } }, author.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await t.gql(create, { input: { ...base, body: 'a\u0000b' } }, author.token))).toEqual(['BAD_USER_INPUT']);
    // One rule changed twice, the second time with its resource id in capitals.
    const kitchen = await new SpacesBuilder(t, (await house.steward()).token).resource({ kind: 'KITCHEN' });
    const twice = [{ key: 'WEEKLY_QUOTA_MINUTES', resourceId: kitchen, value: 120 }, { key: 'WEEKLY_QUOTA_MINUTES', resourceId: kitchen.toUpperCase(), value: 600 }];
    expect(errorCodes(await t.gql(create, { input: { ...base, ruleChanges: twice } }, author.token))).toEqual(['BAD_USER_INPUT']);
    // A discussion that ends now, even when the house allows zero hours of discussion.
    await t.gqlOk(`mutation { setHouseRule(key: DISCUSSION_MIN_HOURS, value: 0) { value } }`, {}, admin.token);
    expect(errorCodes(await t.gql(create, { input: { ...base, discussionEndsAt: at(0) } }, author.token))).toEqual(['BAD_USER_INPUT']);
    await t.gqlOk(`mutation { setHouseRule(key: DISCUSSION_MIN_HOURS, value: 72) { value } }`, {}, admin.token);
    expect((await t.sql(`SELECT count(*)::int AS n FROM proposal WHERE author_id = $1`, [author.id]))[0].n).toBe(0);

    const proposal = await propose(author, [{ key: 'ACCESS_GRACE_MINUTES', value: 30 }]);
    const comment = await t.gqlOk(`mutation($p: ID!) { addComment(proposalId: $p, body: "D'accord !") { id body author { id } } }`, { p: proposal.id }, other.token);
    expect(comment.addComment).toMatchObject({ body: "D'accord !", author: { id: other.id } });
    expect(errorCodes(await t.gql(`mutation($p: ID!, $b: String!) { addComment(proposalId: $p, body: $b) { id } }`, { p: proposal.id, b: 'a\u0000b' }, other.token))).toEqual(['BAD_USER_INPUT']);
    const seen = await t.gqlOk(`query($id: ID!) { proposal(id: $id) { ruleChanges { key value resource { id } } comments { body } author { id } } }`, { id: proposal.id }, other.token);
    expect(seen.proposal).toEqual({ ruleChanges: [{ key: 'ACCESS_GRACE_MINUTES', value: 30, resource: null }], comments: [{ body: "D'accord !" }], author: { id: author.id } });
    expect(errorCodes(await t.gql(`query($id: ID!) { proposal(id: $id) { author { id } } }`, { id: proposal.id }, auditor.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await t.gql(`query($id: ID!) { proposal(id: $id) { comments { body } } }`, { id: proposal.id }, auditor.token))).toEqual(['FORBIDDEN']);
    expect((await t.gqlOk(`query($id: ID!) { proposal(id: $id) { title status } }`, { id: proposal.id }, auditor.token)).proposal.status).toBe('DISCUSSION');
    const withdraw = `mutation($id: ID!) { withdrawProposal(id: $id) { status } }`;
    expect(errorCodes(await t.gql(withdraw, { id: proposal.id }, other.token))).toEqual(['FORBIDDEN']);
    expect((await t.gqlOk(withdraw, { id: proposal.id }, author.token)).withdrawProposal.status).toBe('WITHDRAWN');
    expect(errorCodes(await t.gql(withdraw, { id: proposal.id }, author.token))).toEqual(['INVALID_STATE']);
    expect(errorCodes(await vote(other, proposal.id, 'YES'))).toEqual(['INVALID_STATE']);
  });

  it('pushes proposal.changed with the turnout, never a choice', async () => {
    await freshHouse();
    const [voter, other] = await members(2);
    const proposal = await propose(other);
    await openVoting(proposal);
    const live = await connectLive(t.baseUrl, other.token);
    try {
      await live.subscribe();
      await vote(voter, proposal.id, 'ABSTAIN');
      const [event] = await live.waitFor(1);
      expect(event).toEqual({ name: 'proposal.changed', body: { seq: expect.any(Number), proposal: { id: proposal.id, status: 'VOTING', turnout: 1 } } });
    } finally {
      live.close();
    }
  });

  it('closes the other due proposals when one of them cannot be acted on, and logs nothing of the failed one', async () => {
    await freshHouse();
    const [author] = await members(1);
    const stuck = await propose(author, [{ key: 'ACCESS_GRACE_MINUTES', value: 20 }]);
    const fine = await propose(author);
    await openVoting(stuck);
    expect((await vote(author, stuck.id, 'YES')).errors).toBeUndefined();
    // Fault injection: the database refuses the rule change the stuck proposal adopts, after its result is written and logged.
    await t.sql(`CREATE FUNCTION refuse_stuck_rule() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'stuck'; END $$`);
    await t.sql(`CREATE TRIGGER refuse_stuck_rule BEFORE INSERT ON house_rule FOR EACH ROW WHEN (NEW.set_by_proposal_id = '${stuck.id}') EXECUTE FUNCTION refuse_stuck_rule()`);
    try {
      await closeVoting(stuck);
      const statuses = await t.sql(`SELECT id, status FROM proposal WHERE id = ANY($1)`, [[stuck.id, fine.id]]);
      expect(Object.fromEntries(statuses.map((p) => [p.id, p.status]))).toEqual({ [stuck.id]: 'VOTING', [fine.id]: 'NO_QUORUM' });
      const closed = await t.sql(`SELECT subject_id FROM event_log WHERE type = 'proposal.closed' AND subject_id = ANY($1)`, [[stuck.id, fine.id]]);
      expect(closed.map((e) => e.subject_id)).toEqual([fine.id]);
    } finally {
      await t.sql(`DROP TRIGGER refuse_stuck_rule ON house_rule`);
      await t.sql(`DROP FUNCTION refuse_stuck_rule`);
    }
    await transitions();
    expect((await t.sql(`SELECT status FROM proposal WHERE id = $1`, [stuck.id]))[0].status).toBe('ADOPTED');
  });

  it('acts on each due transition once with two instances, on time, and catches up after a restart', async () => {
    await freshHouse();
    const [author, voter] = await members(2);
    const proposal = await propose(author);
    const second = await startTestApp({ clock, databaseUrl: t.databaseUrl });
    try {
      clock.set(proposal.discussionEndsAt);
      await Promise.all([transitions(), second.app.get(Scheduler).runNow(PROPOSAL_TRANSITIONS_JOB), transitions()]);
      await vote(voter, proposal.id, 'YES');
      clock.set(proposal.votingEndsAt);
      await Promise.all([transitions(), second.app.get(Scheduler).runNow(PROPOSAL_TRANSITIONS_JOB)]);
      const events = await t.sql(`SELECT type FROM event_log WHERE subject_id = $1 AND type IN ('proposal.voting_opened', 'proposal.closed') ORDER BY seq`, [proposal.id]);
      expect(events.map((e) => e.type)).toEqual(['proposal.voting_opened', 'proposal.closed']);
    } finally {
      await second.close();
    }

    // Scheduled for real: an instance started after both due times (a restart) closes it within 2 seconds.
    const late = await propose(author);
    clock.set(new Date(late.votingEndsAt.getTime() + HOUR));
    const restarted = await startTestApp({ clock, databaseUrl: t.databaseUrl, env: { SCHEDULER: '1' } });
    try {
      const started = Date.now();
      let status = 'DISCUSSION';
      while (Date.now() - started < 2000 && status !== 'NO_QUORUM') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        [{ status }] = await t.sql(`SELECT status FROM proposal WHERE id = $1`, [late.id]);
      }
      expect(status).toBe('NO_QUORUM');
    } finally {
      await restarted.close();
    }
  });
});
