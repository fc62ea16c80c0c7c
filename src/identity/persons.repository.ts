import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { PersonEntity, RoleName } from './person.entity';

export interface NewPersonRow {
  displayName: string;
  handle: string;
  email: string | null;
  locale: string;
  roles: RoleName[];
  passwordHash: string | null;
  inviteCodeHash: string | null;
  inviteExpiresAt: Date | null;
}

@Injectable()
export class PersonsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(PersonEntity);
  }

  findById(id: string): Promise<PersonEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.findOneBy({ id });
  }

  /** Locks the row until the end of the transaction, so that concurrent changes of the person are serialized. */
  findByIdForUpdate(id: string): Promise<PersonEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.createQueryBuilder('p').setLock('for_no_key_update').where('p.id = :id', { id }).getOne();
  }

  findByIds(ids: string[]): Promise<PersonEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.repo.findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  /** The person and their password hash, by e-mail (any case) or handle. */
  async findForLogin(identifier: string): Promise<(PersonEntity & { passwordHash: string | null }) | null> {
    const normalized = identifier.trim().toLowerCase();
    return this.repo
      .createQueryBuilder('p')
      .addSelect('p.passwordHash')
      .where('(lower(p.email) = :normalized OR p.handle = :normalized) AND p.erasedAt IS NULL', { normalized })
      .getOne();
  }

  findByInviteCodeHash(hash: string): Promise<PersonEntity | null> {
    return this.repo.createQueryBuilder('p').where('p.inviteCodeHash = :hash AND p.erasedAt IS NULL', { hash }).getOne();
  }

  async handleTaken(handle: string): Promise<boolean> {
    return (await this.repo.countBy({ handle })) > 0;
  }

  async emailTaken(email: string): Promise<boolean> {
    const row = await this.db.one('SELECT 1 FROM person WHERE lower(email) = lower($1)', [email]);
    return row !== undefined;
  }

  async insert(row: NewPersonRow): Promise<PersonEntity> {
    const saved = await this.repo.save(this.repo.create(row));
    return (await this.findById(saved.id))!;
  }

  /**
   * Counts a login attempt for this hashed identifier and returns the attempts in its window
   * of `windowMinutes`, this one included: one statement, so that attempts at the same moment
   * each get their own number. A successful login clears the count (the table keeps its name
   * from when only failures were counted).
   */
  async countLoginAttempt(identifierHash: string, now: Date, windowMinutes: number): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO login_failure (identifier_hash, failures, window_started_at) VALUES ($1, 1, $2)
       ON CONFLICT (identifier_hash) DO UPDATE SET
         failures = CASE WHEN login_failure.window_started_at < $2::timestamptz - make_interval(mins => $3) THEN 1 ELSE login_failure.failures + 1 END,
         window_started_at = CASE WHEN login_failure.window_started_at < $2::timestamptz - make_interval(mins => $3) THEN $2 ELSE login_failure.window_started_at END
       RETURNING failures`,
      [identifierHash, now, windowMinutes],
    );
    return row.failures;
  }

  /** Counts whose window ended before `before` limit nothing any more. */
  async forgetLoginAttemptsBefore(before: Date): Promise<void> {
    await this.db.query(`DELETE FROM login_failure WHERE window_started_at < $1`, [before]);
  }

  async clearLoginFailures(identifierHash: string): Promise<void> {
    await this.db.query(`DELETE FROM login_failure WHERE identifier_hash = $1`, [identifierHash]);
  }

  /**
   * Sets the password if the invitation code is still this one, and signs the person out on
   * every device: a code that replaces a forgotten password also shuts out whoever knew the old
   * one. Null when the code was used meanwhile; else whether a password was replaced.
   */
  async redeemInviteCode(id: string, inviteCodeHash: string, passwordHash: string): Promise<{ replacedPassword: boolean } | null> {
    const rows = await this.db.query(
      `WITH old AS (SELECT id, password_hash IS NOT NULL AS replaced_password FROM person WHERE id = $1 AND invite_code_hash = $2 FOR UPDATE)
       UPDATE person p SET password_hash = $3, invite_code_hash = NULL, invite_expires_at = NULL, session_generation = p.session_generation + 1
         FROM old WHERE p.id = old.id
       RETURNING old.replaced_password`,
      [id, inviteCodeHash, passwordHash],
    );
    const [row] = Array.isArray(rows[0]) ? rows[0] : rows;
    return row ? { replacedPassword: row.replaced_password } : null;
  }

  async setInviteCode(id: string, inviteCodeHash: string, expiresAt: Date): Promise<void> {
    await this.db.query(`UPDATE person SET invite_code_hash = $2, invite_expires_at = $3 WHERE id = $1`, [id, inviteCodeHash, expiresAt]);
  }

  /** Staff's directory of people, by name or handle. */
  search(text: string | null, limit: number): Promise<PersonEntity[]> {
    const query = this.repo.createQueryBuilder('p').where('p.erasedAt IS NULL').orderBy('p.displayName').limit(limit);
    if (text) query.andWhere('(p.displayName ILIKE :pattern OR p.handle ILIKE :pattern)', { pattern: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    return query.getMany();
  }

  async setLocale(id: string, locale: string): Promise<void> {
    await this.repo.update({ id }, { locale });
  }

  async countAll(): Promise<number> {
    return this.repo.count();
  }

  async setCalendarTokenHash(id: string, hash: string | null): Promise<void> {
    await this.repo.update({ id }, { calendarTokenHash: hash });
  }

  async findByCalendarTokenHash(hash: string): Promise<PersonEntity | null> {
    return this.repo.createQueryBuilder('p').where('p.calendarTokenHash = :hash AND p.erasedAt IS NULL', { hash }).getOne();
  }
}
