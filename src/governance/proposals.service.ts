import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { uuidKey } from '../common/ids';
import { Clock } from '../common/time/clock';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { groupedByParent } from '../common/grouped-by-parent';
import { MembershipsRepository } from '../identity/memberships.repository';
import { sha256 } from '../identity/secret-codes';
import { HouseRulesService } from './house-rules.service';
import { CommentRow, ProposalEntity, ProposalStatusName, RuleChangeRow, VoteChoiceName } from './proposal.entity';
import { ProposalsRepository } from './proposals.repository';
import { RuleKeyName } from './house-rule.entity';

export interface NewProposal {
  title: string;
  body: string;
  discussionEndsAt: Date;
  votingEndsAt: Date;
  ruleChanges: RuleChangeRow[];
}

export interface Tally {
  yes: number;
  no: number;
  abstain: number;
  electorateSize: number;
  turnout: number;
  quorumReached: boolean;
  adopted: boolean;
}

const MAX_HORIZON_DAYS = 366;
const MAX_RULE_CHANGES = 20;

/** The result of a closed vote, exactly as DESIGN.md defines it. */
export function countVotes(yes: number, no: number, abstain: number, electorateSize: number, quorumPercent: number, thresholdPercent: number): Tally {
  const turnout = yes + no + abstain;
  const quorumReached = turnout * 100 >= quorumPercent * electorateSize;
  const adopted = quorumReached && yes * 100 > thresholdPercent * (yes + no);
  return { yes, no, abstain, electorateSize, turnout, quorumReached, adopted };
}

/** One person, one vote: proposals, their lifecycle, secret ballots and the rule changes they carry. */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly proposals: ProposalsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly rules: HouseRulesService,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
    private readonly db: Db,
  ) {}

  private readonly logger = new Logger('Proposals');

  async create(actor: Actor, input: NewProposal): Promise<ProposalEntity> {
    const now = this.clock.now();
    if (actor.isAuditorOnly || (await this.memberships.activeCollectiveIds(actor.personId, now)).length === 0) {
      throw AppError.forbidden('Only members of a collective can make proposals.');
    }
    const title = input.title.trim();
    const body = input.body.trim();
    if (!title || !body) throw AppError.badInput('A proposal needs a title and a text.');
    const minHours = await this.rules.value('DISCUSSION_MIN_HOURS');
    if (input.discussionEndsAt <= now) throw AppError.badInput('The discussion must end in the future.');
    if (input.discussionEndsAt.getTime() < now.getTime() + minHours * 3_600_000) {
      throw AppError.badInput(`The discussion lasts at least ${minHours} hours.`);
    }
    if (input.votingEndsAt <= input.discussionEndsAt) throw AppError.badInput('Voting ends after the discussion ends.');
    if (input.votingEndsAt.getTime() > now.getTime() + MAX_HORIZON_DAYS * 86_400_000) throw AppError.badInput('A proposal is decided within a year.');
    if (input.ruleChanges.length > MAX_RULE_CHANGES) throw AppError.badInput(`At most ${MAX_RULE_CHANGES} rule changes per proposal.`);
    const seen = new Set<string>();
    for (const change of input.ruleChanges) {
      await this.rules.assertValidChange(change.key, change.resourceId, change.value);
      const key = `${change.key}:${change.resourceId ? uuidKey(change.resourceId) : ''}`;
      if (seen.has(key)) throw AppError.badInput(`${change.key} is changed twice.`);
      seen.add(key);
    }
    const proposal = await this.proposals.insert(
      {
        title,
        body,
        authorId: actor.personId,
        status: 'DISCUSSION',
        createdAt: now,
        discussionEndsAt: input.discussionEndsAt,
        votingEndsAt: input.votingEndsAt,
        quorumPercent: await this.rules.value('QUORUM_PERCENT'),
        thresholdPercent: await this.rules.value('ADOPTION_THRESHOLD_PERCENT'),
      },
      input.ruleChanges,
    );
    this.record('proposal.created', actor.personId, proposal, 0);
    return proposal;
  }

  async withdraw(actor: Actor, id: string): Promise<ProposalEntity> {
    const proposal = await this.proposals.findByIdForUpdate(id);
    if (!proposal) throw AppError.notFound('Proposal');
    if (proposal.authorId !== actor.personId) throw AppError.forbidden('Only the author withdraws a proposal.');
    if (proposal.status !== 'DISCUSSION' || proposal.discussionEndsAt <= this.clock.now()) throw AppError.invalidState('A proposal can be withdrawn only during its discussion.');
    await this.proposals.setStatus(proposal.id, 'WITHDRAWN');
    const withdrawn = { ...proposal, status: 'WITHDRAWN' as const };
    this.record('proposal.withdrawn', actor.personId, withdrawn, 0);
    return withdrawn;
  }

  async comment(actor: Actor, proposalId: string, rawBody: string): Promise<CommentRow> {
    const proposal = await this.proposals.findById(proposalId);
    if (!proposal) throw AppError.notFound('Proposal');
    const now = this.clock.now();
    const member = (await this.memberships.activeCollectiveIds(actor.personId, now)).length > 0;
    if (actor.isAuditorOnly || !(member || actor.isStaff)) throw AppError.forbidden('Only members and the house team take part in the discussion.');
    if (proposal.status !== 'DISCUSSION' && proposal.status !== 'VOTING') throw AppError.invalidState('The discussion of this proposal is closed.');
    const body = rawBody.trim();
    if (body.length < 1 || body.length > 4000) throw AppError.badInput('A comment has 1 to 4000 characters.');
    const comment = await this.proposals.insertComment({ proposalId, authorId: actor.personId, body, createdAt: now });
    this.record('proposal.commented', actor.personId, proposal, await this.proposals.turnout(proposal.id));
    return comment;
  }

  /** Casting again replaces the ballot; the receipt (160 random bits) is shown once. */
  async castVote(actor: Actor, proposalId: string, choice: VoteChoiceName): Promise<{ receipt: string; castAt: Date }> {
    const now = this.clock.now();
    // Under the proposal's row lock: the close (which takes it too) counts this ballot or this
    // cast finds the vote closed, and casts follow one another, so each turnout it reports
    // counts the ballots committed before it.
    let proposal = await this.proposals.findByIdForUpdate(proposalId);
    if (!proposal) throw AppError.notFound('Proposal');
    // A vote due to open is opened here rather than waiting for the scheduler.
    if (proposal.status === 'DISCUSSION' && proposal.discussionEndsAt <= now) {
      await this.transition(proposal);
      proposal = (await this.proposals.findById(proposalId))!;
    }
    if (proposal.status !== 'VOTING' || now >= proposal.votingEndsAt) throw AppError.invalidState('This proposal is not open for voting.');
    if (!(await this.proposals.isVoter(proposal.id, actor.personId))) {
      throw AppError.forbidden('You are not in the electorate of this proposal (members whose membership began before it was made).');
    }
    const receipt = randomBytes(20).toString('base64url');
    await this.proposals.upsertBallot(proposal.id, actor.personId, choice, sha256(receipt), now);
    this.record('proposal.ballot_cast', actor.personId, proposal, await this.proposals.turnout(proposal.id));
    return { receipt, castAt: now };
  }

  async verifyReceipt(proposalId: string, receipt: string): Promise<boolean> {
    const proposal = await this.proposals.findById(proposalId);
    if (!proposal) throw AppError.notFound('Proposal');
    if (!isClosed(proposal.status)) throw AppError.invalidState('Receipts can be checked once the vote has closed.');
    return receipt.length <= 100 && this.proposals.receiptCounted(proposalId, sha256(receipt));
  }

  /** Runs every due transition (scheduler), inside the caller's transaction. */
  async runDueTransitions(): Promise<number> {
    const due = await this.proposals.lockDue(this.clock.now());
    let done = 0;
    for (const proposal of due) {
      // One proposal that cannot be acted on must not hold back the others' opens and closes.
      try {
        await this.db.savepoint(() => this.transition(proposal));
        done++;
      } catch (error) {
        this.logger.error(`proposal ${proposal.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return done;
  }

  private async transition(proposal: ProposalEntity): Promise<void> {
    const now = this.clock.now();
    let current = proposal;
    if (current.status === 'DISCUSSION' && current.discussionEndsAt <= now) {
      // The electorate is frozen at the instant voting was due to open, even when acted on late.
      const size = await this.proposals.freezeElectorate(current, current.discussionEndsAt);
      current = { ...current, status: 'VOTING', electorateSize: size };
      this.record('proposal.voting_opened', null, current, 0);
    }
    if (current.status === 'VOTING' && current.votingEndsAt <= now) await this.close(current, now);
  }

  private async close(proposal: ProposalEntity, now: Date): Promise<void> {
    const { yes, no, abstain } = await this.proposals.count(proposal.id);
    const tally = countVotes(yes, no, abstain, proposal.electorateSize ?? 0, proposal.quorumPercent, proposal.thresholdPercent);
    const status: ProposalStatusName = !tally.quorumReached ? 'NO_QUORUM' : tally.adopted ? 'ADOPTED' : 'REJECTED';
    await this.proposals.recordResult(proposal.id, { status, yes, no, abstain, quorumReached: tally.quorumReached, adopted: tally.adopted, closedAt: now });
    this.record('proposal.closed', null, { ...proposal, status }, tally.turnout);
    if (tally.adopted) {
      // The decision takes effect in the same transaction as the result.
      for (const change of await this.proposals.ruleChanges(proposal.id)) {
        await this.rules.set(change.key as RuleKeyName, change.resourceId, change.value, { actorId: null, proposalId: proposal.id });
      }
    }
  }

  list(status: ProposalStatusName | null): Promise<ProposalEntity[]> {
    return this.proposals.list(status);
  }

  get(id: string): Promise<ProposalEntity | null> {
    return this.proposals.findById(id);
  }

  byIds(ids: string[]): Promise<ProposalEntity[]> {
    return this.proposals.findByIds(ids);
  }

  /** Each proposal's rule changes, for a list of proposals read in one query. */
  async ruleChangesOf(ids: string[]): Promise<Array<{ id: string; items: RuleChangeRow[] }>> {
    return groupedByParent(ids, await this.proposals.ruleChangesOf(ids), (change) => change.proposalId);
  }

  /** Each proposal's comments, for a list of proposals read in one query. */
  async commentsOf(ids: string[]): Promise<Array<{ id: string; items: CommentRow[] }>> {
    return groupedByParent(ids, await this.proposals.commentsOf(ids), (comment) => comment.proposalId);
  }

  /** Ballots cast so far, for a list of proposals (none listed for a proposal without any). */
  turnouts(ids: string[]): Promise<Array<{ id: string; turnout: number }>> {
    return this.proposals.turnouts(ids);
  }

  /** The tally exists only once the vote has closed. */
  tally(proposal: Pick<ProposalEntity, 'status' | 'yesCount' | 'noCount' | 'abstainCount' | 'electorateSize' | 'quorumPercent' | 'thresholdPercent'>): Tally | null {
    if (!isClosed(proposal.status) || proposal.status === 'WITHDRAWN' || proposal.yesCount === null) return null;
    return countVotes(proposal.yesCount, proposal.noCount ?? 0, proposal.abstainCount ?? 0, proposal.electorateSize ?? 0, proposal.quorumPercent, proposal.thresholdPercent);
  }

  /** The caller's own choices among these proposals; there is deliberately no way to ask for anyone else's. */
  myVotes(actor: Actor, proposalIds: string[]): Promise<Array<{ id: string; choice: VoteChoiceName }>> {
    return this.proposals.ownChoices(proposalIds, actor.personId);
  }

  /** Of these proposals, those whose frozen electorate holds the caller. */
  myElectorates(actor: Actor, proposalIds: string[]): Promise<Array<{ id: string }>> {
    return this.proposals.electoratesWith(proposalIds, actor.personId);
  }

  /** `isVoter` tells whether the caller is in the proposal's electorate (a list asks it of many proposals at once). */
  canVote(
    actor: Actor,
    proposal: Pick<ProposalEntity, 'id' | 'status' | 'votingEndsAt'>,
    isVoter: (proposalId: string) => Promise<boolean> = (id) => this.proposals.isVoter(id, actor.personId),
  ): Promise<boolean> {
    // The close may be a second behind votingEndsAt; castVote refuses from votingEndsAt on.
    if (proposal.status !== 'VOTING' || this.clock.now() >= proposal.votingEndsAt) return Promise.resolve(false);
    return isVoter(proposal.id);
  }

  private record(type: 'proposal.created' | 'proposal.withdrawn' | 'proposal.commented' | 'proposal.ballot_cast' | 'proposal.voting_opened' | 'proposal.closed', actorId: string | null, proposal: ProposalEntity, turnout: number): void {
    this.events.append({ type, actorId, subjectType: 'proposal', subjectId: proposal.id, payload: { proposal: { id: proposal.id, status: proposal.status, turnout } } });
  }
}

function isClosed(status: ProposalStatusName): boolean {
  return status === 'ADOPTED' || status === 'REJECTED' || status === 'NO_QUORUM' || status === 'WITHDRAWN';
}
