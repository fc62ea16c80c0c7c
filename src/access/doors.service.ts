import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { NamesInput, sameNames, validLocalizedNames } from '../common/i18n/localized-names';
import { Clock } from '../common/time/clock';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { SpacesService } from '../spaces/spaces.service';
import { DoorEntity } from './access.entities';
import { AccessRepository } from './access.repository';
import { DoorAuthService } from './door-auth.service';

const DOOR_NAME_MAX = 120;

function validDoorName(rawName: string): string {
  const name = rawName.trim();
  if (name.length < 1 || name.length > DOOR_NAME_MAX) throw AppError.badInput(`A door name has 1 to ${DOOR_NAME_MAX} characters.`, { field: 'name' });
  return name;
}

@Injectable()
export class DoorsService {
  constructor(
    private readonly access: AccessRepository,
    private readonly spaces: SpacesService,
    private readonly events: EventLogRepository,
    private readonly auth: DoorAuthService,
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The secret is returned once, to be typed into the door controller; the server keeps it to check signatures. */
  async register(actor: Actor, rawName: string, zoneId: string, namesInput: NamesInput = null): Promise<{ door: DoorEntity; secret: string }> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins register doors.');
    const name = validDoorName(rawName);
    const names = validLocalizedNames(namesInput ?? [], DOOR_NAME_MAX);
    if (!(await this.spaces.zone(zoneId))) throw AppError.notFound('Zone');
    const secret = randomBytes(32).toString('hex');
    const door = await this.access.insertDoor({ name, names, zoneId, secret });
    this.events.append({ type: 'door.registered', actorId: actor.personId, subjectType: 'door', subjectId: door.id, payload: { name, names, zoneId } });
    return { door, secret };
  }

  /**
   * Renames a door or translates its name (null keeps the translations). Nothing a door
   * decides depends on its name, so its controller is not told; pages that show it are.
   * A retired door may be renamed too: its past entries still name it.
   */
  async rename(actor: Actor, id: string, rawName: string, namesInput: NamesInput = null): Promise<DoorEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins rename doors.');
    const before = await this.access.doorForUpdate(id);
    if (!before) throw AppError.notFound('Door');
    const name = validDoorName(rawName);
    const names = namesInput ? validLocalizedNames(namesInput, DOOR_NAME_MAX) : before.names;
    const changed = [...(name !== before.name ? ['name'] : []), ...(sameNames(names, before.names) ? [] : ['names'])];
    if (changed.length === 0) return before;
    await this.access.renameDoor(id, name, names);
    this.events.append({ type: 'door.renamed', actorId: actor.personId, subjectType: 'door', subjectId: id, payload: { name, names, changed } });
    return { ...before, name, names };
  }

  /**
   * Retires a door whose controller is lost, stolen or replaced. Its next decision request
   * is refused on every instance (AccessDecisionService checks); its allowlist, offline
   * uploads and live socket once each instance's event stream shows the retirement, at once
   * on this one. Offline decisions it had not uploaded are refused too: a stolen controller
   * could make them up. Retiring a retired door changes nothing.
   */
  async retire(actor: Actor, id: string): Promise<DoorEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins retire doors.');
    const result = await this.access.retireDoor(id, this.clock.now());
    if (!result) throw AppError.notFound('Door');
    const { door, retiredNow } = result;
    if (retiredNow) {
      this.events.append({ type: 'door.retired', actorId: actor.personId, subjectType: 'door', subjectId: door.id, payload: { name: door.name, zoneId: door.zoneId } });
      this.db.afterCommit(() => this.auth.forget(door.id));
    }
    return door;
  }

  list(): Promise<DoorEntity[]> {
    return this.access.doors();
  }
}
