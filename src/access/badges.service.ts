import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { Clock } from '../common/time/clock';
import { EventLogRepository } from '../audit/event-log.repository';
import { AppSecrets } from '../database/app-secrets';
import { isViolationOf } from '../database/pg-errors';
import { PersonsRepository } from '../identity/persons.repository';
import { BadgeEntity, BadgeStatusName } from './access.entities';
import { AccessRepository } from './access.repository';
import { badgeKey, hmacHex, normalizeUid } from './door-protocol';

@Injectable()
export class BadgesService {
  constructor(
    private readonly access: AccessRepository,
    private readonly persons: PersonsRepository,
    private readonly secrets: AppSecrets,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  /** The keyed hash a uid is stored and looked up as. */
  async uidHash(normalizedUid: string): Promise<string> {
    return hmacHex(await this.secrets.get('badge-uid'), normalizedUid);
  }

  async issue(actor: Actor, personId: string, rawUid: string, rawLabel: string | null): Promise<BadgeEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins issue badges.');
    const uid = normalizeUid(rawUid.slice(0, 64));
    if (!uid) throw AppError.badInput('A badge uid is 4 to 32 hexadecimal characters, as the reader shows it (e.g. 04A1B2C3).');
    const label = (rawLabel ?? 'Badge').trim();
    if (label.length < 1 || label.length > 60) throw AppError.badInput('A badge label has 1 to 60 characters.');
    const person = await this.persons.findById(personId);
    if (!person || person.erasedAt) throw AppError.notFound('Person');
    const uidHash = await this.uidHash(uid);
    if (await this.access.activeBadgeWithUidHash(uidHash)) throw new AppError(ErrorCode.CONFLICT, 'This badge is already active for someone. Revoke it first.');
    let badge: BadgeEntity;
    try {
      badge = await this.access.insertBadge({ personId, label, uidHash, issuedAt: this.clock.now() });
    } catch (error) {
      if (isViolationOf(error, 'badge_active_uid_key')) throw new AppError(ErrorCode.CONFLICT, 'This badge is already active for someone. Revoke it first.');
      throw error;
    }
    await this.rememberDoorKeys(badge.id, uid);
    this.events.append({ type: 'badge.issued', actorId: actor.personId, subjectType: 'badge', subjectId: badge.id, payload: { personId } });
    return badge;
  }

  /** While the uid is at hand, compute the key each door will know this badge by offline; the doors that learnt one. */
  async rememberDoorKeys(badgeId: string, normalizedUid: string): Promise<string[]> {
    const doors = await this.access.doorsMissingKey(badgeId);
    await this.access.storeDoorKeys(doors.map((door) => ({ badgeId, doorId: door.id, badgeKey: badgeKey(door.secret, normalizedUid) })));
    return doors.map((door) => door.id);
  }

  async reportLost(actor: Actor, id: string): Promise<BadgeEntity> {
    const badge = await this.access.badgeForUpdate(id);
    if (!badge) throw AppError.notFound('Badge');
    if (!actor.isStaff && badge.personId !== actor.personId) throw AppError.forbidden('Only the holder or a steward reports a badge lost.');
    if (badge.status !== 'ACTIVE') throw AppError.invalidState('This badge is not active any more.');
    return this.changeStatus(actor, badge, 'LOST');
  }

  async revoke(actor: Actor, id: string): Promise<BadgeEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins revoke badges.');
    const badge = await this.access.badgeForUpdate(id);
    if (!badge) throw AppError.notFound('Badge');
    if (badge.status === 'REVOKED') throw AppError.invalidState('This badge is already revoked.');
    return this.changeStatus(actor, badge, 'REVOKED');
  }

  /** Used when a person is erased: every badge stops opening doors. */
  async revokeAllOf(actorId: string | null, personId: string): Promise<void> {
    for (const badge of await this.access.badges(personId)) {
      if (badge.status === 'REVOKED') continue;
      await this.access.setBadgeStatus(badge.id, 'REVOKED', this.clock.now());
      this.events.append({ type: 'badge.status_changed', actorId, subjectType: 'badge', subjectId: badge.id, payload: { personId, status: 'REVOKED' } });
    }
  }

  private async changeStatus(actor: Actor, badge: BadgeEntity, status: BadgeStatusName): Promise<BadgeEntity> {
    const at = this.clock.now();
    await this.access.setBadgeStatus(badge.id, status, at);
    this.events.append({ type: 'badge.status_changed', actorId: actor.personId, subjectType: 'badge', subjectId: badge.id, payload: { personId: badge.personId, status } });
    return { ...badge, status, statusChangedAt: at };
  }

  async list(actor: Actor, personId: string | null): Promise<BadgeEntity[]> {
    if (actor.isAuditorOnly) throw AppError.forbidden('Auditors see aggregated figures, never badges.');
    if (actor.isStaff) return this.access.badges(personId);
    if (personId && personId !== actor.personId) throw AppError.forbidden('You can only see your own badges.');
    return this.access.badges(actor.personId);
  }
}
