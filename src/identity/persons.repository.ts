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

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.repo.update({ id }, { passwordHash, inviteCodeHash: null, inviteExpiresAt: null });
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
