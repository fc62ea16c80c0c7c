import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { Clock } from '../common/time/clock';
import { formatInstant } from '../common/time/site-time';
import { EventLogRepository } from '../audit/event-log.repository';
import { isViolationOf } from '../database/pg-errors';
import { CollectivesRepository } from './collectives.repository';
import { MembershipInput } from './dto/identity.inputs';
import { groupedByParent } from '../common/grouped-by-parent';
import { IdentityPolicy } from './identity.policy';
import { MembershipEntity } from './membership.entity';
import { MembershipsRepository } from './memberships.repository';
import { PersonsRepository } from './persons.repository';

/** A start a few minutes ago is "now" from a device whose clock is a little behind. */
const BACKDATING_TOLERANCE_MS = 5 * 60_000;

@Injectable()
export class MembershipsService {
  constructor(
    private readonly memberships: MembershipsRepository,
    private readonly persons: PersonsRepository,
    private readonly collectives: CollectivesRepository,
    private readonly policy: IdentityPolicy,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  /** Staff add anyone with any role; a coordinator adds members to their own collective. */
  async add(actor: Actor | null, input: MembershipInput): Promise<MembershipEntity> {
    // One after the other: inside a transaction both queries share one connection.
    const person = await this.persons.findById(input.personId);
    const collective = await this.collectives.findById(input.collectiveId);
    if (actor && !actor.isStaff) {
      if (!(await this.policy.isCoordinator(actor.personId, input.collectiveId))) {
        throw AppError.forbidden('Only stewards, admins and the coordinators of this collective add members.');
      }
      if (input.role === 'COORDINATOR') throw AppError.forbidden('Only stewards and admins name coordinators.');
      // A membership that began in the past could put someone in the electorate of a proposal
      // made before they joined (DESIGN: "began before the proposal was created").
      if (input.startsAt && input.startsAt.getTime() < this.clock.now().getTime() - BACKDATING_TOLERANCE_MS) {
        throw AppError.forbidden('Only stewards and admins record a membership that began in the past.');
      }
    }
    if (!person || person.erasedAt) throw AppError.notFound('Person');
    if (!collective) throw AppError.notFound('Collective');
    const startsAt = input.startsAt ?? this.clock.now();
    const endsAt = input.endsAt ?? null;
    if (endsAt && endsAt <= startsAt) throw AppError.badInput('A membership ends after it starts.');
    try {
      const membership = await this.memberships.insert({
        personId: person.id,
        collectiveId: collective.id,
        role: input.role ?? 'MEMBER',
        startsAt,
        endsAt,
        createdAt: this.clock.now(),
      });
      this.events.append({
        type: 'membership.added',
        actorId: actor?.personId ?? null,
        subjectType: 'membership',
        subjectId: membership.id,
        payload: { personId: person.id, collectiveId: collective.id, role: membership.role, startsAt: formatInstant(startsAt), endsAt: endsAt && formatInstant(endsAt) },
      });
      return membership;
    } catch (error) {
      if (isViolationOf(error, 'membership_no_overlap')) {
        throw new AppError(ErrorCode.CONFLICT, 'This person is already a member of this collective for that period.');
      }
      throw error;
    }
  }

  /**
   * Ends a membership now or at a given date (one that has not started is withdrawn): staff,
   * the collective's coordinators, or the person leaving.
   */
  async end(actor: Actor, id: string, endsAtInput: Date | null): Promise<MembershipEntity> {
    const membership = await this.memberships.findByIdForUpdate(id);
    if (!membership) throw AppError.notFound('Membership');
    const allowed =
      actor.isStaff || actor.personId === membership.personId || (await this.policy.isCoordinator(actor.personId, membership.collectiveId));
    if (!allowed) throw AppError.forbidden('Only stewards, admins, the coordinators or the member themself end a membership.');
    const now = this.clock.now();
    if (membership.endsAt && membership.endsAt <= now) throw AppError.invalidState('This membership has already ended.');
    const startsAt = membership.startsAt.getTime();
    if (membership.endsAt?.getTime() === startsAt) throw AppError.invalidState('This membership was withdrawn before it started.');
    // One that has not started yet is withdrawn: it ends when it starts (an empty period, kept on record).
    const notStarted = startsAt > now.getTime();
    const endsAt = endsAtInput ?? (notStarted ? membership.startsAt : now);
    if (endsAt.getTime() < startsAt || (endsAt.getTime() === startsAt && !notStarted)) throw AppError.badInput('A membership ends after it starts.');
    // Ending never lengthens: a member or coordinator cannot stretch a time-limited membership
    // (and its rights: bookings, doors, votes). Stewards renew.
    if (!actor.isStaff && membership.endsAt && endsAt > membership.endsAt) {
      throw AppError.forbidden('Only a steward extends a membership; you may end it earlier.');
    }
    try {
      await this.memberships.setEnd(membership.id, endsAt);
    } catch (error) {
      if (isViolationOf(error, 'membership_no_overlap')) {
        throw new AppError(ErrorCode.CONFLICT, 'This person is already a member of this collective for part of that period.');
      }
      throw error;
    }
    this.events.append({
      type: 'membership.ended',
      actorId: actor.personId,
      subjectType: 'membership',
      subjectId: membership.id,
      payload: { personId: membership.personId, collectiveId: membership.collectiveId, endsAt: formatInstant(endsAt) },
    });
    return { ...membership, endsAt };
  }

  /** Each person's memberships, for a list of people read in one query. */
  async forPersons(personIds: string[]): Promise<Array<{ id: string; items: MembershipEntity[] }>> {
    return groupedByParent(personIds, await this.memberships.forPersons(personIds), (membership) => membership.personId);
  }

  /** Each collective's memberships, past ones included, for a list of collectives read in one query. */
  async forCollectives(collectiveIds: string[]): Promise<Array<{ id: string; items: MembershipEntity[] }>> {
    return groupedByParent(collectiveIds, await this.memberships.forCollectives(collectiveIds), (membership) => membership.collectiveId);
  }

  /**
   * Former members are people a member may no longer see (IdentityPolicy.canSeePerson): staff only.
   * `membersOf` reads all of a collective's memberships once allowed: a list of collectives reads them together.
   */
  async visibleMembers(
    actor: Actor,
    collectiveId: string,
    membersOf: (collectiveId: string) => Promise<MembershipEntity[]> = (id) => this.memberships.forCollective(id),
  ): Promise<MembershipEntity[]> {
    await this.policy.assertCanSeeMembers(actor, collectiveId);
    const all = await membersOf(collectiveId);
    if (actor.isStaff) return all;
    const now = this.clock.now();
    return all.filter((m) => m.startsAt <= now && (m.endsAt === null || m.endsAt > now));
  }
}
