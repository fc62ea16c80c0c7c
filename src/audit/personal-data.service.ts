import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/time/clock';
import { AppSecrets } from '../database/app-secrets';
import { ATTENDANCE_PSEUDONYM_SECRET } from '../access/access.jobs';
import { BadgesService } from '../access/badges.service';
import { AccessRepository } from '../access/access.repository';
import { PersonsRepository } from '../identity/persons.repository';
import { PersonEntity } from '../identity/person.entity';
import { EventLogRepository } from './event-log.repository';
import { PersonalDataRepository } from './personal-data.repository';

/** GDPR: a person's own copy of their data, and erasure when they leave. */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly data: PersonalDataRepository,
    private readonly persons: PersonsRepository,
    private readonly badges: BadgesService,
    private readonly access: AccessRepository,
    private readonly secrets: AppSecrets,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  async export(actor: Actor): Promise<Record<string, unknown>> {
    return { exportedAt: this.clock.now().toISOString(), ...(await this.data.collect(actor.personId)) };
  }

  async erase(actor: Actor, personId: string): Promise<PersonEntity> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins erase a person.');
    if (personId === actor.personId) throw AppError.badInput('Ask another steward to erase your own account.');
    // Locked: of two stewards erasing the same person at once, the second finds it done.
    const person = await this.persons.findByIdForUpdate(personId);
    if (!person) throw AppError.notFound('Person');
    if (person.erasedAt) throw AppError.invalidState('This person has already been erased.');
    if (!actor.mayHandleRoles(person.roles)) throw AppError.forbidden('Only an admin erases a steward, an admin or an auditor.');
    const at = this.clock.now();
    await this.badges.revokeAllOf(actor.personId, personId);
    // Attendance keeps counting their visits; the door events themselves go.
    await this.access.moveEventsToAttendance({ personId }, await this.secrets.get(ATTENDANCE_PSEUDONYM_SECRET));
    await this.data.anonymise(personId, at);
    this.events.append({ type: 'person.erased', actorId: actor.personId, subjectType: 'person', subjectId: personId, payload: {} });
    return (await this.persons.findById(personId))!;
  }
}
