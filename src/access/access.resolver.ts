import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, OptionalActor, Roles } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { LocalizedNameInput, NAMES_ARG } from '../common/i18n/localized-name.model';
import { toLocalizedNameList } from '../common/i18n/localized-names';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { IdentityPolicy } from '../identity/identity.policy';
import { toPersonModel } from '../identity/identity.mappers';
import { PersonModel } from '../identity/models/person.model';
import { PersonsRepository } from '../identity/persons.repository';
import { ZoneModel } from '../spaces/models/spaces.models';
import { toZoneModel } from '../spaces/spaces.mappers';
import { SpacesService } from '../spaces/spaces.service';
import { AccessEventEntity, BadgeEntity, DoorEntity } from './access.entities';
import { AccessRepository } from './access.repository';
import { BadgesService } from './badges.service';
import { DoorsService } from './doors.service';
import { AccessDecision, AccessEventModel, BadgeModel, BadgeStatus, DoorModel, DoorRegistrationModel } from './models/access.models';

const MAX_RANGE_MS = 366 * 86_400_000;

const toBadgeModel = (b: BadgeEntity): BadgeModel => ({ id: b.id, personId: b.personId, label: b.label, status: b.status as BadgeStatus, issuedAt: b.issuedAt });
const toDoorModel = (d: DoorEntity): DoorModel => ({ id: d.id, name: d.name, names: toLocalizedNameList(d.names), zoneId: d.zoneId, retiredAt: d.retiredAt ?? null });
const toEventModel = (e: AccessEventEntity): AccessEventModel => ({
  id: e.id, doorId: e.doorId, badgeId: e.badgeId, personId: e.personId, at: e.at, decision: e.decision as AccessDecision, reason: e.reason, bookingId: e.bookingId, offline: e.offline,
});

function assertRange(from: Date, to: Date): void {
  if (to <= from || to.getTime() - from.getTime() > MAX_RANGE_MS) throw AppError.badInput('"to" comes after "from", at most a year later.');
}

@Resolver(() => BadgeModel)
export class BadgesResolver {
  constructor(
    private readonly badgeService: BadgesService,
    private readonly persons: PersonsRepository,
    private readonly policy: IdentityPolicy,
  ) {}

  @Query(() => [BadgeModel], { description: 'Stewards: anyone\'s badges (all without personId); members: their own.' })
  async badges(@CurrentActor() actor: Actor, @Args('personId', { type: () => ID, nullable: true }) personId: string | null): Promise<BadgeModel[]> {
    return (await this.badgeService.list(actor, personId ?? null)).map(toBadgeModel);
  }

  @Mutation(() => BadgeModel)
  async issueBadge(
    @CurrentActor() actor: Actor,
    @Args('personId', { type: () => ID }) personId: string,
    @Args('uid') uid: string,
    @Args('label', { type: () => String, nullable: true }) label: string | null,
  ): Promise<BadgeModel> {
    return toBadgeModel(await this.badgeService.issue(actor, personId, uid, label ?? null));
  }

  @Mutation(() => BadgeModel)
  async reportBadgeLost(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<BadgeModel> {
    return toBadgeModel(await this.badgeService.reportLost(actor, id));
  }

  @Mutation(() => BadgeModel)
  async revokeBadge(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<BadgeModel> {
    return toBadgeModel(await this.badgeService.revoke(actor, id));
  }

  @ResolveField(() => PersonModel)
  async person(@Parent() badge: BadgeModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<PersonModel> {
    if (!actor) throw AppError.unauthenticated();
    await this.policy.assertCanSeePerson(actor, badge.personId);
    // A steward's list of every badge reads their holders once per request.
    const person = await loaders.for('person', (ids) => this.persons.findByIds(ids)).load(badge.personId);
    if (!person) throw AppError.notFound('Person');
    return toPersonModel(person);
  }
}

@Resolver(() => DoorModel)
export class DoorsResolver {
  constructor(
    private readonly doorService: DoorsService,
    private readonly spaces: SpacesService,
    private readonly access: AccessRepository,
  ) {}

  @Query(() => [DoorModel])
  async doors(): Promise<DoorModel[]> {
    return (await this.doorService.list()).map(toDoorModel);
  }

  @Mutation(() => DoorRegistrationModel)
  async registerDoor(
    @CurrentActor() actor: Actor,
    @Args('name') name: string,
    @Args('zoneId', { type: () => ID }) zoneId: string,
    @Args('names', { type: () => [LocalizedNameInput], nullable: true, description: NAMES_ARG }) names: LocalizedNameInput[] | null,
  ): Promise<DoorRegistrationModel> {
    const { door, secret } = await this.doorService.register(actor, name, zoneId, names);
    return { door: toDoorModel(door), secret };
  }

  @Mutation(() => DoorModel, { description: 'STEWARD/ADMIN: renames a door or translates its name; what it decides does not change.' })
  async renameDoor(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('name') name: string,
    @Args('names', { type: () => [LocalizedNameInput], nullable: true, description: NAMES_ARG }) names: LocalizedNameInput[] | null,
  ): Promise<DoorModel> {
    return toDoorModel(await this.doorService.rename(actor, id, name, names));
  }

  @Mutation(() => DoorModel, { description: 'STEWARD/ADMIN: a door whose controller is lost, stolen or replaced stops being trusted at once.' })
  async retireDoor(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<DoorModel> {
    return toDoorModel(await this.doorService.retire(actor, id));
  }

  @ResolveField(() => Date, {
    nullable: true,
    description: 'STEWARD/ADMIN: when the door last had a decision (asked online or uploaded from offline); null when none is kept. A door that stays silent may be offline.',
  })
  async lastDecisionAt(@Parent() door: DoorModel, @CurrentActor() actor: Actor, @Loaders() loaders: RequestLoaders): Promise<Date | null> {
    if (!actor.isStaff) throw AppError.forbidden('Only stewards and admins see door activity.');
    const last = await loaders.for('door-last-decision', (ids) => this.access.lastDecisions(ids)).load(door.id);
    return last?.at ?? null;
  }

  @ResolveField(() => ZoneModel)
  async zone(@Parent() door: DoorModel, @Loaders() loaders: RequestLoaders): Promise<ZoneModel> {
    // A house has a handful of zones: one query for all of them serves every door of a long list.
    const zone = (await loaders.once('zones-by-id', () => this.spaces.zonesById())).get(door.zoneId);
    if (!zone) throw AppError.notFound('Zone');
    return toZoneModel(zone);
  }
}

@Resolver(() => AccessEventModel)
export class AccessEventsResolver {
  constructor(
    private readonly access: AccessRepository,
    private readonly persons: PersonsRepository,
  ) {}

  @Roles('STEWARD', 'ADMIN')
  @Query(() => [AccessEventModel], { description: 'Stewards and admins: door decisions, newest first.' })
  async accessEvents(
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
    @Args('doorId', { type: () => ID, nullable: true }) doorId: string | null,
  ): Promise<AccessEventModel[]> {
    assertRange(from, to);
    return (await this.access.events(from, to, { doorId })).map(toEventModel);
  }

  @Query(() => [AccessEventModel], { description: 'My own door decisions (GDPR art. 15), newest first.' })
  async myAccessEvents(@CurrentActor() actor: Actor, @Args('from', { type: () => Date }) from: Date, @Args('to', { type: () => Date }) to: Date): Promise<AccessEventModel[]> {
    assertRange(from, to);
    return (await this.access.events(from, to, { personId: actor.personId })).map(toEventModel);
  }

  // A day's list holds hundreds of decisions: their doors, badges and people are read once per request, not once per decision.
  @ResolveField(() => DoorModel)
  async door(@Parent() event: AccessEventModel, @Loaders() loaders: RequestLoaders): Promise<DoorModel> {
    const door = await loaders.for('door', (ids) => this.access.doorsByIds(ids)).load(event.doorId);
    if (!door) throw AppError.notFound('Door');
    return toDoorModel(door);
  }

  @ResolveField(() => BadgeModel, { nullable: true })
  async badge(@Parent() event: AccessEventModel, @Loaders() loaders: RequestLoaders): Promise<BadgeModel | null> {
    const badge = event.badgeId ? await loaders.for('badge', (ids) => this.access.badgesByIds(ids)).load(event.badgeId) : null;
    return badge && toBadgeModel(badge);
  }

  @ResolveField(() => PersonModel, { nullable: true })
  async person(@Parent() event: AccessEventModel, @Loaders() loaders: RequestLoaders): Promise<PersonModel | null> {
    const person = event.personId ? await loaders.for('person', (ids) => this.persons.findByIds(ids)).load(event.personId) : null;
    return person && toPersonModel(person);
  }
}
