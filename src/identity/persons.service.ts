import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { latinize } from './latin-handle';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/time/clock';
import { formatInstant } from '../common/time/site-time';
import { isUuid } from '../common/ids';
import { isLanguageTag } from '../common/i18n/localized-names';
import { EventLogRepository } from '../audit/event-log.repository';
import { PersonInput } from './dto/identity.inputs';
import { IdentityPolicy } from './identity.policy';
import { PasswordHasher } from './password-hasher';
import { PersonEntity, RoleName } from './person.entity';
import { PersonsRepository } from './persons.repository';
import { newInviteCode, normalizeInviteCode, sha256 } from './secret-codes';
import { assertPasswordShape } from './auth.service';

export const INVITE_VALID_DAYS = 30;

export interface CreatePersonOptions {
  /** Set directly (first admin, demo house) instead of handing out an invite code. */
  password?: string;
}

@Injectable()
export class PersonsService {
  constructor(
    private readonly persons: PersonsRepository,
    private readonly policy: IdentityPolicy,
    private readonly hasher: PasswordHasher,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor | null, input: PersonInput, options: CreatePersonOptions = {}): Promise<{ person: PersonEntity; inviteCode: string; inviteExpiresAt: Date }> {
    const roles = [...new Set<RoleName>(input.roles?.length ? input.roles : ['MEMBER'])];
    if (actor) {
      if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins add people.');
      if (!actor.mayHandleRoles(roles)) {
        throw AppError.forbidden('Only an admin gives the steward, auditor or admin role.');
      }
    }
    const email = input.email?.trim() || null;
    if (email && (await this.persons.emailTaken(email))) {
      throw AppError.taken('This e-mail address is already used by someone else.', 'email');
    }
    let handle = input.handle ?? null;
    if (handle && (await this.persons.handleTaken(handle))) {
      throw AppError.taken('This name for logging in is already taken. Choose another.', 'handle');
    }
    handle ??= await this.freeHandle(input.displayName);
    const inviteCode = newInviteCode();
    const inviteExpiresAt = this.inviteExpiry();
    if (options.password !== undefined) assertPasswordShape(options.password);
    const person = await this.persons.insert({
      displayName: input.displayName.trim(),
      handle,
      email,
      locale: input.locale ?? 'fr',
      roles,
      passwordHash: options.password !== undefined ? await this.hasher.hash(options.password) : null,
      inviteCodeHash: options.password !== undefined ? null : sha256(normalizeInviteCode(inviteCode)),
      inviteExpiresAt: options.password !== undefined ? null : inviteExpiresAt,
    });
    this.events.append({ type: 'person.created', actorId: actor?.personId ?? null, subjectType: 'person', subjectId: person.id, payload: { roles } });
    return { person, inviteCode, inviteExpiresAt };
  }

  /**
   * A new one-time code for someone who lost theirs or forgot their password; any earlier
   * code stops working. The password, if there is one, keeps working until the code is
   * redeemed: a steward at the desk must not be able to lock someone out by mistake.
   */
  async resetInvite(actor: Actor, personId: string): Promise<{ person: PersonEntity; inviteCode: string; inviteExpiresAt: Date }> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins give a new code.');
    const person = await this.persons.findByIdForUpdate(personId);
    if (!person || person.erasedAt) throw AppError.notFound('Person');
    if (!actor.mayHandleRoles(person.roles)) throw AppError.forbidden('Only an admin gives a steward, an admin or an auditor a new code.');
    const inviteCode = newInviteCode();
    const inviteExpiresAt = this.inviteExpiry();
    await this.persons.setInviteCode(person.id, sha256(normalizeInviteCode(inviteCode)), inviteExpiresAt);
    this.events.append({ type: 'person.invite_reset', actorId: actor.personId, subjectType: 'person', subjectId: person.id, payload: { expiresAt: formatInstant(inviteExpiresAt) } });
    return { person, inviteCode, inviteExpiresAt };
  }

  private inviteExpiry(): Date {
    return new Date(this.clock.now().getTime() + INVITE_VALID_DAYS * 86_400_000);
  }

  async get(actor: Actor, id: string): Promise<PersonEntity> {
    if (!isUuid(id) && !actor.isAuditorOnly) throw AppError.notFound('Person');
    await this.policy.assertCanSeePerson(actor, id);
    const person = await this.persons.findById(id);
    if (!person || person.erasedAt) throw AppError.notFound('Person');
    return person;
  }

  async search(actor: Actor, text: string | null): Promise<PersonEntity[]> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins browse people.');
    const trimmed = text?.trim().slice(0, 100) || null;
    return this.persons.search(trimmed, 200);
  }

  /** The interface language is the person's own choice; any BCP 47 tag is kept (fr, ar, ps, so...). */
  async setMyLocale(actor: Actor, locale: string): Promise<PersonEntity> {
    if (!isLanguageTag(locale)) throw AppError.badInput('A language is a tag like fr, en, ar or ps.');
    await this.persons.setLocale(actor.personId, locale);
    return (await this.persons.findById(actor.personId))!;
  }

  async me(actor: Actor): Promise<PersonEntity | null> {
    return this.persons.findById(actor.personId);
  }

  /** A readable login name from the display name: "Amina Diallo" -> "amina.diallo", then "amina.diallo2"; "فاطمة" -> "fatma". */
  private async freeHandle(displayName: string): Promise<string> {
    const base =
      latinize(displayName)
        .replace(/[^a-z0-9]+/g, '.')
        .replace(/^\.+|\.+$/g, '')
        .slice(0, 30) || 'member';
    const root = base.length >= 2 ? base : `${base}.member`;
    for (let n = 1; n < 1000; n++) {
      const candidate = n === 1 ? root : `${root}${n}`;
      if (!(await this.persons.handleTaken(candidate))) return candidate;
    }
    throw AppError.badInput('Please choose a handle for this person.');
  }
}
