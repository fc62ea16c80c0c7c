import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { CommentRow, ProposalEntity, ProposalStatusName, RuleChangeRow, VoteChoiceName } from './proposal.entity';

@Injectable()
export class ProposalsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(ProposalEntity);
  }

  async insert(row: Omit<ProposalEntity, 'id' | 'electorateSize' | 'yesCount' | 'noCount' | 'abstainCount' | 'quorumReached' | 'adopted' | 'closedAt'>, changes: RuleChangeRow[]): Promise<ProposalEntity> {
    const proposal = await this.repo.save(this.repo.create({ ...row, electorateSize: null, yesCount: null, noCount: null, abstainCount: null, quorumReached: null, adopted: null, closedAt: null }));
    for (const [position, change] of changes.entries()) {
      await this.db.query(`INSERT INTO proposal_rule_change (proposal_id, position, key, resource_id, value) VALUES ($1, $2, $3, $4, $5)`, [proposal.id, position, change.key, change.resourceId, change.value]);
    }
    return proposal;
  }

  findById(id: string): Promise<ProposalEntity | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  findByIds(ids: string[]): Promise<ProposalEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.repo.findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  findByIdForUpdate(id: string): Promise<ProposalEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.createQueryBuilder('p').setLock('for_no_key_update').where('p.id = :id', { id }).getOne();
  }

  list(status: ProposalStatusName | null): Promise<ProposalEntity[]> {
    return this.repo.find({ where: status ? { status } : {}, order: { createdAt: 'DESC' }, take: 500 });
  }

  /** Proposals whose next transition is due, locked; another instance skips them. */
  async lockDue(now: Date): Promise<ProposalEntity[]> {
    return this.repo
      .createQueryBuilder('p')
      .setLock('for_no_key_update')
      .setOnLocked('skip_locked')
      .where(`(p.status = 'DISCUSSION' AND p.discussionEndsAt <= :now) OR (p.status = 'VOTING' AND p.votingEndsAt <= :now)`, { now })
      .orderBy('p.discussionEndsAt')
      .limit(100)
      .getMany();
  }

  ruleChanges(proposalId: string): Promise<RuleChangeRow[]> {
    return this.db.query(`SELECT key, resource_id AS "resourceId", value FROM proposal_rule_change WHERE proposal_id = $1 ORDER BY position`, [proposalId]);
  }

  /** The rule changes of several proposals in one query, each proposal's in the order of ruleChanges. */
  ruleChangesOf(proposalIds: string[]): Promise<Array<RuleChangeRow & { proposalId: string }>> {
    return this.db.query(
      `SELECT proposal_id AS "proposalId", key, resource_id AS "resourceId", value FROM proposal_rule_change WHERE proposal_id = ANY($1::uuid[]) ORDER BY proposal_id, position`,
      [proposalIds.filter(isUuid)],
    );
  }

  async setStatus(id: string, status: ProposalStatusName): Promise<void> {
    await this.repo.update({ id }, { status });
  }

  /**
   * Freezes the electorate: every person with a membership active at `at` that began
   * before the proposal was created, once each, however many collectives they are in. A
   * membership recorded after the proposal was created stays out even when staff dated its
   * start earlier: backdating cannot add voters to a proposal already under discussion.
   */
  async freezeElectorate(proposal: ProposalEntity, at: Date): Promise<number> {
    await this.db.query(
      `INSERT INTO proposal_voter (proposal_id, person_id)
       SELECT DISTINCT $1::uuid, m.person_id FROM membership m JOIN person p ON p.id = m.person_id AND p.erased_at IS NULL
        WHERE m.starts_at < $2 AND m.created_at <= $2 AND m.starts_at <= $3 AND (m.ends_at IS NULL OR m.ends_at > $3)
       ON CONFLICT DO NOTHING`,
      [proposal.id, proposal.createdAt, at],
    );
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM proposal_voter WHERE proposal_id = $1`, [proposal.id]);
    await this.repo.update({ id: proposal.id }, { status: 'VOTING', electorateSize: n });
    return n;
  }

  async isVoter(proposalId: string, personId: string): Promise<boolean> {
    return (await this.db.one(`SELECT 1 FROM proposal_voter WHERE proposal_id = $1 AND person_id = $2`, [proposalId, personId])) !== undefined;
  }

  /** Casting again replaces the person's ballot: one row per person, whatever the concurrency. */
  async upsertBallot(proposalId: string, voterId: string, choice: VoteChoiceName, receiptHash: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO ballot (proposal_id, voter_id, choice, receipt_hash, cast_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT ballot_one_per_person
       DO UPDATE SET choice = EXCLUDED.choice, receipt_hash = EXCLUDED.receipt_hash, cast_at = EXCLUDED.cast_at`,
      [proposalId, voterId, choice, receiptHash, at],
    );
  }

  /** Of these proposals, those whose frozen electorate holds the person. */
  electoratesWith(proposalIds: string[], personId: string): Promise<Array<{ id: string }>> {
    return this.db.query(`SELECT proposal_id AS id FROM proposal_voter WHERE proposal_id = ANY($1::uuid[]) AND person_id = $2`, [proposalIds.filter(isUuid), personId]);
  }

  /** The voter's own choices among these proposals (none for a proposal they did not vote on). */
  ownChoices(proposalIds: string[], voterId: string): Promise<Array<{ id: string; choice: VoteChoiceName }>> {
    return this.db.query(`SELECT proposal_id AS id, choice FROM ballot WHERE proposal_id = ANY($1::uuid[]) AND voter_id = $2`, [proposalIds.filter(isUuid), voterId]);
  }

  async turnout(proposalId: string): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM ballot WHERE proposal_id = $1`, [proposalId]);
    return n;
  }

  /** The turnouts of several proposals in one query (none for a proposal without ballots). */
  turnouts(proposalIds: string[]): Promise<Array<{ id: string; turnout: number }>> {
    return this.db.query(`SELECT proposal_id AS id, count(*)::int AS turnout FROM ballot WHERE proposal_id = ANY($1::uuid[]) GROUP BY proposal_id`, [proposalIds.filter(isUuid)]);
  }

  async count(proposalId: string): Promise<{ yes: number; no: number; abstain: number }> {
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE choice = 'YES')::int AS yes, count(*) FILTER (WHERE choice = 'NO')::int AS no,
              count(*) FILTER (WHERE choice = 'ABSTAIN')::int AS abstain FROM ballot WHERE proposal_id = $1`,
      [proposalId],
    );
    return row;
  }

  async recordResult(id: string, result: { status: ProposalStatusName; yes: number; no: number; abstain: number; quorumReached: boolean; adopted: boolean; closedAt: Date }): Promise<void> {
    await this.repo.update(
      { id },
      { status: result.status, yesCount: result.yes, noCount: result.no, abstainCount: result.abstain, quorumReached: result.quorumReached, adopted: result.adopted, closedAt: result.closedAt },
    );
  }

  async receiptCounted(proposalId: string, receiptHash: string): Promise<boolean> {
    return (await this.db.one(`SELECT 1 FROM ballot WHERE proposal_id = $1 AND receipt_hash = $2`, [proposalId, receiptHash])) !== undefined;
  }

  async insertComment(row: Omit<CommentRow, 'id'>): Promise<CommentRow> {
    const [inserted] = await this.db.query(
      `INSERT INTO proposal_comment (proposal_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [row.proposalId, row.authorId, row.body, row.createdAt],
    );
    return { id: inserted.id, ...row };
  }

  /** The comments of several proposals in one query, each proposal's in the order they were written. */
  commentsOf(proposalIds: string[]): Promise<CommentRow[]> {
    return this.db.query(
      `SELECT id, proposal_id AS "proposalId", author_id AS "authorId", body, created_at AS "createdAt" FROM proposal_comment WHERE proposal_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [proposalIds.filter(isUuid)],
    );
  }
}
