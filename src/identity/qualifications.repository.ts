import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { LocalizedNames } from '../common/i18n/localized-names';
import { QualificationEntity, QualificationGrantEntity } from './qualification.entity';

@Injectable()
export class QualificationsRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<QualificationEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.repository(QualificationEntity).findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<QualificationEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.db.repository(QualificationEntity).findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  findAll(): Promise<QualificationEntity[]> {
    return this.db.repository(QualificationEntity).find({ order: { name: 'ASC' } });
  }

  /** Locked until the end of the transaction: two stewards' edits apply one after the other. */
  findByIdForUpdate(id: string): Promise<QualificationEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.db.repository(QualificationEntity).createQueryBuilder('q').setLock('for_no_key_update').where('q.id = :id', { id }).getOne();
  }

  /** Whether another qualification than `exceptId` has this name, in any case. */
  async nameTaken(name: string, exceptId: string | null = null): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM qualification WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2::uuid', [name, exceptId])) !== undefined;
  }

  insert(name: string, names: LocalizedNames): Promise<QualificationEntity> {
    const repo = this.db.repository(QualificationEntity);
    return repo.save(repo.create({ name, names }));
  }

  async update(id: string, name: string, names: LocalizedNames): Promise<void> {
    await this.db.query(`UPDATE qualification SET name = $2, names = $3 WHERE id = $1`, [id, name, names]);
  }

  /** The grants of several persons in one query, each person's from the earliest granted. */
  grantsOfPersons(personIds: string[]): Promise<QualificationGrantEntity[]> {
    const valid = personIds.filter(isUuid);
    return valid.length ? this.db.repository(QualificationGrantEntity).find({ where: { personId: In(valid) }, order: { grantedAt: 'ASC' } }) : Promise.resolve([]);
  }

  /** Locked until the end of the transaction, so that a grant and a withdrawal at once apply one after the other. */
  grantForUpdate(personId: string, qualificationId: string): Promise<QualificationGrantEntity | null> {
    if (!isUuid(personId) || !isUuid(qualificationId)) return Promise.resolve(null);
    return this.db.repository(QualificationGrantEntity).createQueryBuilder('g').setLock('for_no_key_update').where('g.personId = :personId AND g.qualificationId = :qualificationId', { personId, qualificationId }).getOne();
  }

  async endGrant(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE qualification_grant SET expires_at = $2 WHERE id = $1`, [id, at]);
  }

  /** A re-grant renews the existing grant (new granter, date and expiry). */
  async upsertGrant(grant: Omit<QualificationGrantEntity, 'id'>): Promise<QualificationGrantEntity> {
    const [row] = await this.db.query(
      `INSERT INTO qualification_grant (person_id, qualification_id, granted_by_id, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (person_id, qualification_id)
       DO UPDATE SET granted_by_id = EXCLUDED.granted_by_id, granted_at = EXCLUDED.granted_at, expires_at = EXCLUDED.expires_at
       RETURNING id`,
      [grant.personId, grant.qualificationId, grant.grantedById, grant.grantedAt, grant.expiresAt],
    );
    return { id: row.id, ...grant };
  }

  /** Whether the person holds the qualification from `from` until `until` (granted by then, not expiring before). */
  async holdsThrough(personId: string, qualificationId: string, from: Date, until: Date): Promise<boolean> {
    const row = await this.db.one(
      `SELECT 1 FROM qualification_grant WHERE person_id = $1 AND qualification_id = $2
          AND granted_at <= $3 AND (expires_at IS NULL OR expires_at >= $4)`,
      [personId, qualificationId, from, until],
    );
    return row !== undefined;
  }

  /** Whether the person holds the qualification at `at` (granted and not expired). */
  async holds(personId: string, qualificationId: string, at: Date): Promise<boolean> {
    const row = await this.db.one(
      `SELECT 1 FROM qualification_grant WHERE person_id = $1 AND qualification_id = $2
          AND granted_at <= $3 AND (expires_at IS NULL OR expires_at > $3)`,
      [personId, qualificationId, at],
    );
    return row !== undefined;
  }
}
