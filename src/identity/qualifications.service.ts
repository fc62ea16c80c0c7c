import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { NamesInput, sameNames, validLocalizedNames } from '../common/i18n/localized-names';
import { Clock } from '../common/time/clock';
import { formatInstant } from '../common/time/site-time';
import { EventLogRepository } from '../audit/event-log.repository';
import { groupedByParent } from '../common/grouped-by-parent';
import { PersonsRepository } from './persons.repository';
import { QualificationEntity, QualificationGrantEntity } from './qualification.entity';
import { QualificationsRepository } from './qualifications.repository';

const NAME_MAX = 120;

@Injectable()
export class QualificationsService {
  constructor(
    private readonly qualifications: QualificationsRepository,
    private readonly persons: PersonsRepository,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  list(): Promise<QualificationEntity[]> {
    return this.qualifications.findAll();
  }

  get(id: string): Promise<QualificationEntity | null> {
    return this.qualifications.findById(id);
  }

  byIds(ids: string[]): Promise<QualificationEntity[]> {
    return this.qualifications.findByIds(ids);
  }

  async create(actor: Actor | null, rawName: string, namesInput: NamesInput = null): Promise<QualificationEntity> {
    if (actor && !actor.isStaff) throw AppError.forbidden('Only stewards and admins define qualifications.');
    const name = await this.validName(rawName, null);
    const names = validLocalizedNames(namesInput ?? [], NAME_MAX);
    const qualification = await this.qualifications.insert(name, names);
    this.events.append({ type: 'qualification.created', actorId: actor?.personId ?? null, subjectType: 'qualification', subjectId: qualification.id, payload: { name, names } });
    return qualification;
  }

  /** Renames a training or translates its name; who holds it does not change. */
  async update(actor: Actor, id: string, rawName: string, namesInput: NamesInput): Promise<QualificationEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins define qualifications.');
    const before = await this.qualifications.findByIdForUpdate(id);
    if (!before) throw AppError.notFound('Qualification');
    const name = await this.validName(rawName, before.id);
    const names = namesInput ? validLocalizedNames(namesInput, NAME_MAX) : before.names;
    const changed = [...(name !== before.name ? ['name'] : []), ...(sameNames(names, before.names) ? [] : ['names'])];
    if (changed.length === 0) return before;
    await this.qualifications.update(before.id, name, names);
    this.events.append({ type: 'qualification.updated', actorId: actor.personId, subjectType: 'qualification', subjectId: before.id, payload: { name, names, changed } });
    return { ...before, name, names };
  }

  private async validName(rawName: string, exceptId: string | null): Promise<string> {
    const name = rawName.trim();
    if (name.length < 1 || name.length > NAME_MAX) throw AppError.badInput(`A qualification name has 1 to ${NAME_MAX} characters.`, { field: 'name' });
    if (await this.qualifications.nameTaken(name, exceptId)) throw AppError.taken('This qualification already exists.', 'name');
    return name;
  }

  /** Stewards grant a qualification (hygiene training, machine induction), optionally until a date. */
  async grant(actor: Actor | null, personId: string, qualificationId: string, expiresAt: Date | null): Promise<QualificationGrantEntity> {
    if (actor && !actor.isStaff) throw AppError.forbidden('Only stewards and admins grant qualifications.');
    const person = await this.persons.findById(personId);
    const qualification = await this.qualifications.findById(qualificationId);
    if (!person || person.erasedAt) throw AppError.notFound('Person');
    if (!qualification) throw AppError.notFound('Qualification');
    const now = this.clock.now();
    if (expiresAt && expiresAt <= now) throw AppError.badInput('The expiry date must be in the future.');
    // The ids as the database writes them (an id sent in capitals is the same person).
    const ids = { personId: person.id, qualificationId: qualification.id };
    const grant = await this.qualifications.upsertGrant({ ...ids, grantedById: actor?.personId ?? null, grantedAt: now, expiresAt });
    this.events.append({
      type: 'qualification.granted',
      actorId: actor?.personId ?? null,
      subjectType: 'person',
      subjectId: person.id,
      payload: { ...ids, expiresAt: expiresAt && formatInstant(expiresAt) },
    });
    return grant;
  }

  /**
   * Ends a grant now (a misuse, a training to redo): the door and new bookings need it again
   * from the next request. The grant stays listed with its end, as memberships do.
   */
  async revoke(actor: Actor, personId: string, qualificationId: string): Promise<QualificationGrantEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins withdraw qualifications.');
    const grant = await this.qualifications.grantForUpdate(personId, qualificationId);
    if (!grant) throw AppError.notFound('QualificationGrant');
    const now = this.clock.now();
    if (grant.expiresAt && grant.expiresAt <= now) throw AppError.invalidState('This qualification has already ended.');
    await this.qualifications.endGrant(grant.id, now);
    // The ids as the database writes them: the log's chain and readers compare them as text.
    this.events.append({ type: 'qualification.revoked', actorId: actor.personId, subjectType: 'person', subjectId: grant.personId, payload: { personId: grant.personId, qualificationId: grant.qualificationId } });
    return { ...grant, expiresAt: now };
  }

  /** Each person's grants, for a list of people read in one query. */
  async grantsOfPersons(personIds: string[]): Promise<Array<{ id: string; items: QualificationGrantEntity[] }>> {
    return groupedByParent(personIds, await this.qualifications.grantsOfPersons(personIds), (grant) => grant.personId);
  }
}
