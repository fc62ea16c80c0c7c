import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { CollectiveEntity } from './collective.entity';

@Injectable()
export class CollectivesRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.repository(CollectiveEntity);
  }

  findById(id: string): Promise<CollectiveEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<CollectiveEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.repo.findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  findAll(): Promise<CollectiveEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findListed(): Promise<CollectiveEntity[]> {
    return this.repo.find({ where: { publicListing: true }, order: { name: 'ASC' } });
  }

  async nameTaken(name: string): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM collective WHERE lower(name) = lower($1)', [name])) !== undefined;
  }

  insert(row: Omit<CollectiveEntity, 'id' | 'createdAt'>): Promise<CollectiveEntity> {
    return this.repo.save(this.repo.create(row));
  }
}
