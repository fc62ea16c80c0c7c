import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { isUuid } from '../common/ids';
import { OpeningHoursEntity, ResourceEntity, ResourceKindName, ResourceRateEntity } from './resource.entity';
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

  async zoneNameTaken(name: string): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM zone WHERE lower(name) = lower($1)', [name])) !== undefined;
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

  async resourceNameTaken(name: string): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM resource WHERE lower(name) = lower($1)', [name])) !== undefined;
  }

  async insertResource(row: Omit<ResourceEntity, 'id' | 'createdAt'>, hours: Omit<OpeningHoursEntity, 'resourceId'>[], rates: Omit<ResourceRateEntity, 'resourceId'>[]): Promise<ResourceEntity> {
    const repo = this.db.repository(ResourceEntity);
    const resource = await repo.save(repo.create(row));
    if (hours.length) await this.db.repository(OpeningHoursEntity).insert(hours.map((h) => ({ ...h, resourceId: resource.id })));
    if (rates.length) await this.db.repository(ResourceRateEntity).insert(rates.map((r) => ({ ...r, resourceId: resource.id })));
    return resource;
  }

  /** The resource with its opening hours and rates, in one query (read on every booking). */
  async bookable(id: string): Promise<(ResourceEntity & { openingHours: Omit<OpeningHoursEntity, 'resourceId'>[]; rates: Omit<ResourceRateEntity, 'resourceId'>[] }) | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.db.prepared(
      'bookable-resource',
      `SELECT r.*,
              coalesce((SELECT json_agg(json_build_object('weekday', h.weekday, 'opensMinute', h.opens_minute, 'closesMinute', h.closes_minute))
                          FROM resource_opening_hours h WHERE h.resource_id = r.id), '[]') AS opening_hours,
              coalesce((SELECT json_agg(json_build_object('tier', t.tier, 'centsPerHour', t.cents_per_hour))
                          FROM resource_rate t WHERE t.resource_id = r.id), '[]') AS rates
         FROM resource r WHERE r.id = $1`,
      [id],
    );
    if (!row) return null;
    return {
      id: row.id, name: row.name, kind: row.kind, capacity: row.capacity, zoneId: row.zone_id, slotMinutes: row.slot_minutes, minMinutes: row.min_minutes,
      maxMinutes: row.max_minutes, bufferMinutes: row.buffer_minutes, requiredQualificationId: row.required_qualification_id, requiresApproval: row.requires_approval,
      createdAt: row.created_at, openingHours: row.opening_hours, rates: row.rates,
    };
  }

  openingHours(resourceId: string): Promise<OpeningHoursEntity[]> {
    return this.db.repository(OpeningHoursEntity).find({ where: { resourceId }, order: { weekday: 'ASC', opensMinute: 'ASC' } });
  }

  rates(resourceId: string): Promise<ResourceRateEntity[]> {
    return this.db.repository(ResourceRateEntity).find({ where: { resourceId } });
  }
}
