import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { MembershipEntity } from './membership.entity';

@Injectable()
export class MembershipsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(MembershipEntity);
  }

  findById(id: string): Promise<MembershipEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.findOneBy({ id });
  }

  /** Locks the row until the end of the transaction, so concurrent edits are serialized. */
  findByIdForUpdate(id: string): Promise<MembershipEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.createQueryBuilder('m').setLock('for_no_key_update').where('m.id = :id', { id }).getOne();
  }

  forCollective(collectiveId: string): Promise<MembershipEntity[]> {
    return this.repo.find({ where: { collectiveId }, order: { startsAt: 'ASC' } });
  }

  /** The memberships of several persons in one query, each person's from the earliest. */
  forPersons(personIds: string[]): Promise<MembershipEntity[]> {
    const valid = personIds.filter(isUuid);
    return valid.length ? this.repo.find({ where: { personId: In(valid) }, order: { startsAt: 'ASC' } }) : Promise.resolve([]);
  }

  /** The memberships of several collectives in one query, each collective's from the earliest, as forCollective. */
  forCollectives(collectiveIds: string[]): Promise<MembershipEntity[]> {
    const valid = collectiveIds.filter(isUuid);
    return valid.length ? this.repo.find({ where: { collectiveId: In(valid) }, order: { startsAt: 'ASC' } }) : Promise.resolve([]);
  }

  /** Collectives in which the person has a membership active at `at`. */
  async activeCollectiveIds(personId: string, at: Date): Promise<string[]> {
    const rows = await this.db.query<{ collective_id: string }>(
      `SELECT DISTINCT collective_id FROM membership
        WHERE person_id = $1 AND starts_at <= $2 AND (ends_at IS NULL OR ends_at > $2)`,
      [personId, at],
    );
    return rows.map((row) => row.collective_id);
  }

  async activeMembership(personId: string, collectiveId: string, at: Date): Promise<MembershipEntity | null> {
    return this.repo
      .createQueryBuilder('m')
      .where('m.personId = :personId AND m.collectiveId = :collectiveId', { personId, collectiveId })
      .andWhere('m.startsAt <= :at AND (m.endsAt IS NULL OR m.endsAt > :at)', { at })
      .getOne();
  }

  /** Everyone who, at `at`, is an active member of a collective the person is active in (the person included). */
  async peopleSharingActiveCollective(personId: string, at: Date): Promise<string[]> {
    const rows = await this.db.query<{ person_id: string }>(
      `SELECT DISTINCT b.person_id FROM membership a JOIN membership b ON a.collective_id = b.collective_id
        WHERE a.person_id = $1
          AND a.starts_at <= $2 AND (a.ends_at IS NULL OR a.ends_at > $2)
          AND b.starts_at <= $2 AND (b.ends_at IS NULL OR b.ends_at > $2)`,
      [personId, at],
    );
    return rows.map((row) => row.person_id);
  }

  /** Whether two persons are, at `at`, both active members of at least one collective. */
  async shareActiveCollective(personA: string, personB: string, at: Date): Promise<boolean> {
    const row = await this.db.one(
      `SELECT 1 FROM membership a JOIN membership b ON a.collective_id = b.collective_id
        WHERE a.person_id = $1 AND b.person_id = $2
          AND a.starts_at <= $3 AND (a.ends_at IS NULL OR a.ends_at > $3)
          AND b.starts_at <= $3 AND (b.ends_at IS NULL OR b.ends_at > $3)
        LIMIT 1`,
      [personA, personB, at],
    );
    return row !== undefined;
  }

  insert(row: Omit<MembershipEntity, 'id'>): Promise<MembershipEntity> {
    return this.repo.save(this.repo.create(row));
  }

  async setEnd(id: string, endsAt: Date): Promise<void> {
    await this.repo.update({ id }, { endsAt });
  }
}
