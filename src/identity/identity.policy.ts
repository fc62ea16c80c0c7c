import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/time/clock';
import { MembershipsRepository } from './memberships.repository';

/** Who may see and manage whom. Kept in one place so every module asks the same questions. */
@Injectable()
export class IdentityPolicy {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Members see themselves and the people they currently share a collective with; staff see
   * everyone; auditors no one. A list of people passes `colleagues` (read once per request)
   * instead of asking the database about each person.
   */
  async canSeePerson(actor: Actor, personId: string, colleagues?: () => Promise<ReadonlySet<string>>): Promise<boolean> {
    if (actor.personId === personId) return true;
    if (actor.isStaff) return true;
    if (actor.isAuditorOnly) return false;
    if (colleagues) return (await colleagues()).has(personId);
    return this.memberships.shareActiveCollective(actor.personId, personId, this.clock.now());
  }

  /** The people a member shares a collective with now. */
  async colleaguesNow(actor: Actor): Promise<ReadonlySet<string>> {
    return new Set(await this.memberships.peopleSharingActiveCollective(actor.personId, this.clock.now()));
  }

  async assertCanSeePerson(actor: Actor, personId: string): Promise<void> {
    if (actor.isAuditorOnly && actor.personId !== personId) {
      throw AppError.forbidden('Auditors see aggregated figures, never persons.');
    }
    if (!(await this.canSeePerson(actor, personId))) throw AppError.forbidden('You can only see people of your own collectives.');
  }

  /** E-mail and handle are contact data: the person and the house team only. */
  canSeeContact(actor: Actor | null, personId: string): boolean {
    return actor !== null && (actor.personId === personId || actor.isStaff);
  }

  async isActiveMember(personId: string, collectiveId: string): Promise<boolean> {
    return (await this.memberships.activeMembership(personId, collectiveId, this.clock.now())) !== null;
  }

  async isCoordinator(personId: string, collectiveId: string): Promise<boolean> {
    const membership = await this.memberships.activeMembership(personId, collectiveId, this.clock.now());
    return membership?.role === 'COORDINATOR';
  }

  /** Staff, or members of the collective, may list its members. */
  async assertCanSeeMembers(actor: Actor, collectiveId: string): Promise<void> {
    if (actor.isStaff) return;
    if (actor.isAuditorOnly) throw AppError.forbidden('Auditors see aggregated figures, never persons.');
    if (!(await this.isActiveMember(actor.personId, collectiveId))) {
      throw AppError.forbidden('Only members of this collective can see its members.');
    }
  }
}
