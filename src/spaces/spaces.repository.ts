import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { LocalizedNames } from '../common/i18n/localized-names';
import { BookableResource, bookableResourceJson, toBookableResource } from './bookable-resource';
import { OpeningHoursEntity, OpeningHoursRow, RateRow, ResourceEntity, ResourceKindName, ResourceRateEntity, ResourceRow } from './resource.entity';
import { ZoneEntity } from './zone.entity';

@Injectable()
export class SpacesRepository {
  constructor(private readonly db: Db) {}

  zones(): Promise<ZoneEntity[]> {
    return this.db.repository(ZoneEntity).find({ order: { name: 'ASC' } });
  }

  zone(id: string): Promise<ZoneEntity | null> {
    return isUuid(id) ? this.db.repository(ZoneEntity).findOneBy({ id }) : Promise.resolve(null);
  }

  /** Locked until the end of the transaction: two stewards' changes of a zone apply one after the other. */
  zoneForUpdate(id: string): Promise<ZoneEntity | null> {
    return isUuid(id) ? this.db.repository(ZoneEntity).createQueryBuilder('z').setLock('for_no_key_update').where('z.id = :id', { id }).getOne() : Promise.resolve(null);
  }

  /** Whether another zone than `exceptId` has this name, in any case. */
  async zoneNameTaken(name: string, exceptId: string | null = null): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM zone WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2', [name, exceptId])) !== undefined;
  }

  async updateZone(id: string, name: string, names: LocalizedNames, openToMembersAnytime: boolean): Promise<ZoneEntity> {
    await this.db.query(`UPDATE zone SET name = $2, names = $3, open_to_members_anytime = $4 WHERE id = $1`, [id, name, names, openToMembersAnytime]);
    return (await this.zone(id))!;
  }

  insertZone(row: Omit<ZoneEntity, 'id' | 'createdAt'>): Promise<ZoneEntity> {
    const repo = this.db.repository(ZoneEntity);
    return repo.save(repo.create(row));
  }

  resources(kind?: ResourceKindName | null): Promise<ResourceEntity[]> {
    return this.db.repository(ResourceEntity).find({ where: kind ? { kind } : {}, order: { name: 'ASC' } });
  }

  resource(id: string): Promise<ResourceEntity | null> {
    return isUuid(id) ? this.db.repository(ResourceEntity).findOneBy({ id }) : Promise.resolve(null);
  }

  resourcesByIds(ids: string[]): Promise<ResourceEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.db.repository(ResourceEntity).findBy({ id: In(valid) }) : Promise.resolve([]);
  }

  /** Whether another resource than `exceptId` has this name (names are unique whatever their case). */
  async resourceNameTaken(name: string, exceptId: string | null): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM resource WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2::uuid', [name, exceptId])) !== undefined;
  }

  async insertResource(row: ResourceRow, names: LocalizedNames, hours: OpeningHoursRow[], rates: RateRow[]): Promise<ResourceEntity> {
    const repo = this.db.repository(ResourceEntity);
    const resource = await repo.save(repo.create({ ...row, names }));
    await this.insertHoursAndRates(resource.id, hours, rates);
    return resource;
  }

  /**
   * The resource as it is, locked until the transaction ends. FOR NO KEY UPDATE: bookings
   * being made meanwhile (their foreign key takes KEY SHARE) do not wait for it.
   */
  async bookableForUpdate(id: string): Promise<BookableResource | null> {
    if (!isUuid(id) || !(await this.db.one('SELECT 1 FROM resource WHERE id = $1 FOR NO KEY UPDATE', [id]))) return null;
    return this.bookable(id);
  }

  /** Replaces the resource's values, opening hours and rates. */
  async replaceResource(id: string, row: ResourceRow, names: LocalizedNames, hours: OpeningHoursRow[], rates: RateRow[]): Promise<ResourceEntity> {
    await this.db.repository(ResourceEntity).update({ id }, { ...row, names });
    await this.db.query('DELETE FROM resource_opening_hours WHERE resource_id = $1', [id]);
    await this.db.query('DELETE FROM resource_rate WHERE resource_id = $1', [id]);
    await this.insertHoursAndRates(id, hours, rates);
    return (await this.resource(id))!;
  }

  private async insertHoursAndRates(resourceId: string, hours: OpeningHoursRow[], rates: RateRow[]): Promise<void> {
    if (hours.length) await this.db.repository(OpeningHoursEntity).insert(hours.map((h) => ({ ...h, resourceId })));
    if (rates.length) await this.db.repository(ResourceRateEntity).insert(rates.map((r) => ({ ...r, resourceId })));
  }

  /** The resource with its opening hours and rates, in one query. */
  async bookable(id: string): Promise<BookableResource | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.db.prepared('bookable-resource', `SELECT ${bookableResourceJson('$1::uuid')} AS resource`, [id]);
    return toBookableResource(row.resource);
  }

  /** The opening hours of several resources in one query, each resource's by weekday, then opening. */
  openingHoursOf(resourceIds: string[]): Promise<OpeningHoursEntity[]> {
    const valid = resourceIds.filter(isUuid);
    return valid.length ? this.db.repository(OpeningHoursEntity).find({ where: { resourceId: In(valid) }, order: { weekday: 'ASC', opensMinute: 'ASC' } }) : Promise.resolve([]);
  }

  ratesOf(resourceIds: string[]): Promise<ResourceRateEntity[]> {
    const valid = resourceIds.filter(isUuid);
    return valid.length ? this.db.repository(ResourceRateEntity).findBy({ resourceId: In(valid) }) : Promise.resolve([]);
  }
}
