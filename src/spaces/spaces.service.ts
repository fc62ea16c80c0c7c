import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { uuidKey } from '../common/ids';
import { NamesInput, sameNames, validLocalizedNames } from '../common/i18n/localized-names';
import { EventLogRepository } from '../audit/event-log.repository';
import { groupedByParent } from '../common/grouped-by-parent';
import { QualificationsRepository } from '../identity/qualifications.repository';
import { ResourceInput } from './dto/spaces.inputs';
import { WeeklyOpening, parseClock } from './opening-hours';
import { OpeningHoursEntity, RateRow, ResourceEntity, ResourceKindName, ResourceRateEntity, ResourceRow } from './resource.entity';
import { BookableResource } from './bookable-resource';
import { SpacesRepository } from './spaces.repository';
import { ZoneEntity } from './zone.entity';

const ZONE_NAME_MAX = 120;
const RESOURCE_NAME_MAX = 120;

@Injectable()
export class SpacesService {
  constructor(
    private readonly spaces: SpacesRepository,
    private readonly qualifications: QualificationsRepository,
    private readonly events: EventLogRepository,
  ) {}

  zones(): Promise<ZoneEntity[]> {
    return this.spaces.zones();
  }

  zone(id: string): Promise<ZoneEntity | null> {
    return this.spaces.zone(id);
  }

  /** Every zone by id: a house has a handful, so one query serves a whole list of doors or spaces. */
  async zonesById(): Promise<Map<string, ZoneEntity>> {
    return new Map((await this.spaces.zones()).map((zone) => [zone.id, zone]));
  }

  resources(kind?: ResourceKindName | null): Promise<ResourceEntity[]> {
    return this.spaces.resources(kind);
  }

  resource(id: string): Promise<ResourceEntity | null> {
    return this.spaces.resource(id);
  }

  resourcesByIds(ids: string[]): Promise<ResourceEntity[]> {
    return this.spaces.resourcesByIds(ids);
  }

  /** Each resource's opening hours, for a list of resources read in one query. */
  async openingHoursOf(resourceIds: string[]): Promise<Array<{ id: string; items: OpeningHoursEntity[] }>> {
    return groupedByParent(resourceIds, await this.spaces.openingHoursOf(resourceIds), (hours) => hours.resourceId);
  }

  /** Each resource's rates, for a list of resources read in one query. */
  async ratesOf(resourceIds: string[]): Promise<Array<{ id: string; items: ResourceRateEntity[] }>> {
    return groupedByParent(resourceIds, await this.spaces.ratesOf(resourceIds), (rate) => rate.resourceId);
  }

  async bookable(resourceId: string): Promise<BookableResource> {
    const resource = await this.spaces.bookable(resourceId);
    if (!resource) throw AppError.notFound('Resource');
    return resource;
  }

  async createZone(actor: Actor | null, rawName: string, openToMembersAnytime: boolean, namesInput: NamesInput = null): Promise<ZoneEntity> {
    if (actor && !actor.isStaff) throw AppError.forbidden('Only stewards and admins manage spaces.');
    const name = await this.validZoneName(rawName, null);
    const names = validLocalizedNames(namesInput ?? [], ZONE_NAME_MAX);
    const zone = await this.spaces.insertZone({ name, names, openToMembersAnytime });
    this.events.append({ type: 'zone.created', actorId: actor?.personId ?? null, subjectType: 'zone', subjectId: zone.id, payload: { name, names, openToMembersAnytime } });
    return zone;
  }

  /**
   * Renames a zone or opens it to members at any hour (or stops doing so). Its doors decide
   * by the new hours from their next request; each is told to fetch its allowlist again.
   * Translations of its name are replaced when given (null keeps them).
   */
  async updateZone(actor: Actor, id: string, rawName: string, openToMembersAnytime: boolean, namesInput: NamesInput = null): Promise<ZoneEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins manage spaces.');
    const before = await this.spaces.zoneForUpdate(id);
    if (!before) throw AppError.notFound('Zone');
    const name = await this.validZoneName(rawName, id);
    const names = namesInput ? validLocalizedNames(namesInput, ZONE_NAME_MAX) : before.names;
    const changed = [
      ...(name !== before.name ? ['name'] : []),
      ...(sameNames(names, before.names) ? [] : ['names']),
      ...(openToMembersAnytime !== before.openToMembersAnytime ? ['openToMembersAnytime'] : []),
    ];
    if (changed.length === 0) return before;
    const zone = await this.spaces.updateZone(id, name, names, openToMembersAnytime);
    this.events.append({ type: 'zone.updated', actorId: actor.personId, subjectType: 'zone', subjectId: id, payload: { name, names, openToMembersAnytime, changed } });
    return zone;
  }

  private async validZoneName(rawName: string, zoneId: string | null): Promise<string> {
    const name = rawName.trim();
    if (name.length < 1 || name.length > ZONE_NAME_MAX) throw AppError.badInput(`A zone name has 1 to ${ZONE_NAME_MAX} characters.`, { field: 'name' });
    if (await this.spaces.zoneNameTaken(name, zoneId)) throw AppError.taken('A zone with this name already exists.', 'name');
    return name;
  }

  async createResource(actor: Actor | null, input: ResourceInput): Promise<ResourceEntity> {
    if (actor && !actor.isStaff) throw AppError.forbidden('Only stewards and admins manage spaces.');
    const { row, hours, rates } = await this.validResource(input, null);
    const names = validLocalizedNames(input.names ?? [], RESOURCE_NAME_MAX);
    const resource = await this.spaces.insertResource(row, names, hours, rates);
    this.events.append({ type: 'resource.created', actorId: actor?.personId ?? null, subjectType: 'resource', subjectId: resource.id, payload: { name: row.name, names, kind: row.kind, zoneId: row.zoneId } });
    return resource;
  }

  /**
   * Replaces what a steward may change of a resource. Bookings already made keep their times,
   * price and buffer (each booking holds its own copy): the new values apply to the bookings
   * made from now on. A move to another zone or a new qualification changes which doors its
   * bookings open, so the change is logged like any other and doors are told at once.
   */
  async updateResource(actor: Actor, id: string, input: ResourceInput): Promise<ResourceEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins manage spaces.');
    // Locked: two stewards saving at once are applied one after the other, each logged against what it replaced.
    const before = await this.spaces.bookableForUpdate(id);
    if (!before) throw AppError.notFound('Resource');
    const { row, hours, rates } = await this.validResource(input, id);
    const current = (await this.spaces.resource(id))!;
    const names = input.names ? validLocalizedNames(input.names, RESOURCE_NAME_MAX) : current.names;
    const changed = [...changedFields(before, row, hours, rates), ...(sameNames(names, current.names) ? [] : ['names'])];
    if (changed.length === 0) return current;
    const resource = await this.spaces.replaceResource(id, row, names, hours, rates);
    const moved = before.zoneId !== row.zoneId ? { previousZoneId: before.zoneId } : {};
    this.events.append({ type: 'resource.updated', actorId: actor.personId, subjectType: 'resource', subjectId: id, payload: { name: row.name, names, kind: row.kind, zoneId: row.zoneId, ...moved, changed } });
    return resource;
  }

  private async validResource(input: ResourceInput, resourceId: string | null) {
    const name = input.name.trim();
    if (name.length === 0) throw AppError.badInput('A resource needs a name.', { field: 'name' });
    if (!(await this.spaces.zone(input.zoneId))) throw AppError.notFound('Zone');
    if (input.requiredQualificationId && !(await this.qualifications.findById(input.requiredQualificationId))) throw AppError.notFound('Qualification');
    if (await this.spaces.resourceNameTaken(name, resourceId)) throw AppError.taken('A resource with this name already exists.', 'name');
    const { slotMinutes, minMinutes, maxMinutes } = input;
    if (1440 % slotMinutes !== 0) throw AppError.badInput('The slot grid must divide a day (5, 10, 15, 30, 60 minutes...).', { field: 'slotMinutes' });
    if (minMinutes % slotMinutes !== 0 || maxMinutes % slotMinutes !== 0) throw AppError.badInput('Minimum and maximum durations are whole slots.', { field: 'minMinutes' });
    if (minMinutes > maxMinutes) throw AppError.badInput('The minimum duration cannot exceed the maximum.', { field: 'minMinutes' });
    const hours = validateOpeningHours(input.openingHours);
    const rates: RateRow[] = (input.rates ?? []).map((r) => ({ tier: r.tier, centsPerHour: r.centsPerHour }));
    if (new Set(rates.map((r) => r.tier)).size !== rates.length) throw AppError.badInput('Give at most one rate per tariff tier.', { field: 'rates' });
    const row: ResourceRow = {
      name,
      kind: input.kind,
      capacity: input.capacity,
      // Ids as the database writes them: an id sent in capitals is the same zone, not a move.
      zoneId: uuidKey(input.zoneId),
      slotMinutes,
      minMinutes,
      maxMinutes,
      bufferMinutes: input.bufferMinutes,
      requiredQualificationId: input.requiredQualificationId ? uuidKey(input.requiredQualificationId) : null,
      requiresApproval: input.requiresApproval ?? false,
    };
    return { row, hours, rates };
  }
}

/** The names of what an update changes, for the log (the values are in the resource itself). */
function changedFields(before: BookableResource, row: ResourceRow, hours: WeeklyOpening[], rates: RateRow[]): string[] {
  const changed: string[] = (Object.keys(row) as Array<keyof ResourceRow>).filter((key) => before[key] !== row[key]);
  const hoursKey = (list: WeeklyOpening[]) => list.map((h) => `${h.weekday} ${h.opensMinute}-${h.closesMinute}`).sort().join(',');
  if (hoursKey(before.openingHours) !== hoursKey(hours)) changed.push('openingHours');
  const ratesKey = (list: RateRow[]) => list.map((r) => `${r.tier} ${r.centsPerHour}`).sort().join(',');
  if (ratesKey(before.rates) !== ratesKey(rates)) changed.push('rates');
  return changed;
}

function validateOpeningHours(input: Array<{ weekday: number; opens: string; closes: string }>): WeeklyOpening[] {
  const hours = input.map((h) => {
    const opensMinute = parseClock(h.opens, false);
    const closesMinute = parseClock(h.closes, true);
    if (opensMinute === null || closesMinute === null) throw AppError.badInput(`Opening hours are local times HH:mm (weekday ${h.weekday}).`);
    if (closesMinute <= opensMinute) {
      throw AppError.badInput(`On weekday ${h.weekday} the closing time must come after the opening time; use 24:00 and 00:00 of the next day to stay open across midnight.`);
    }
    return { weekday: h.weekday, opensMinute, closesMinute };
  });
  for (const a of hours) {
    for (const b of hours) {
      if (a !== b && a.weekday === b.weekday && a.opensMinute < b.closesMinute && b.opensMinute < a.closesMinute) {
        throw AppError.badInput(`Opening hours of weekday ${a.weekday} overlap.`);
      }
    }
  }
  return hours;
}
