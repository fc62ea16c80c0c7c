import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { LocalizedNameInput, NAMES_ARG } from '../common/i18n/localized-name.model';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { QualificationsService } from '../identity/qualifications.service';
import { QualificationModel } from '../identity/models/collective.model';
import { TariffTier } from '../identity/models/identity.enums';
import { toQualificationModel } from '../identity/identity.mappers';
import { ResourceInput } from './dto/spaces.inputs';
import { OpeningHoursModel, RateModel, ResourceKind, ResourceModel, ZoneModel } from './models/spaces.models';
import { formatClock } from './opening-hours';
import { toResourceModel, toZoneModel } from './spaces.mappers';
import { SpacesService } from './spaces.service';

@Resolver(() => ZoneModel)
export class ZonesResolver {
  constructor(private readonly spaces: SpacesService) {}

  @Query(() => [ZoneModel])
  async zones(): Promise<ZoneModel[]> {
    return (await this.spaces.zones()).map(toZoneModel);
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => ZoneModel)
  async createZone(
    @CurrentActor() actor: Actor,
    @Args('name') name: string,
    @Args('openToMembersAnytime') openToMembersAnytime: boolean,
    @Args('names', { type: () => [LocalizedNameInput], nullable: true, description: NAMES_ARG }) names: LocalizedNameInput[] | null,
  ): Promise<ZoneModel> {
    return toZoneModel(await this.spaces.createZone(actor, name, openToMembersAnytime, names));
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => ZoneModel, { description: "Renames a zone or changes whether members enter it at any hour; its doors follow from their next request." })
  async updateZone(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('name') name: string,
    @Args('openToMembersAnytime') openToMembersAnytime: boolean,
    @Args('names', { type: () => [LocalizedNameInput], nullable: true, description: NAMES_ARG }) names: LocalizedNameInput[] | null,
  ): Promise<ZoneModel> {
    return toZoneModel(await this.spaces.updateZone(actor, id, name, openToMembersAnytime, names));
  }
}

@Resolver(() => ResourceModel)
export class ResourcesResolver {
  constructor(
    private readonly spaces: SpacesService,
    private readonly qualificationService: QualificationsService,
  ) {}

  @Query(() => [ResourceModel])
  async resources(@Args('kind', { type: () => ResourceKind, nullable: true }) kind: ResourceKind | null): Promise<ResourceModel[]> {
    return (await this.spaces.resources(kind)).map(toResourceModel);
  }

  @Query(() => ResourceModel, { nullable: true })
  async resource(@Args('id', { type: () => ID }) id: string): Promise<ResourceModel | null> {
    const resource = await this.spaces.resource(id);
    return resource && toResourceModel(resource);
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => ResourceModel)
  async createResource(@CurrentActor() actor: Actor, @Args('input') input: ResourceInput): Promise<ResourceModel> {
    return toResourceModel(await this.spaces.createResource(actor, input));
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => ResourceModel, {
    description: 'Replaces what a steward sets of a resource. Bookings already made keep their times, price and buffer; the new values apply to bookings made from now on.',
  })
  async updateResource(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string, @Args('input') input: ResourceInput): Promise<ResourceModel> {
    return toResourceModel(await this.spaces.updateResource(actor, id, input));
  }

  // The list of spaces is read whole by every calendar: what its spaces point to is read once per request, not once per space.
  @ResolveField(() => ZoneModel)
  async zone(@Parent() resource: ResourceModel, @Loaders() loaders: RequestLoaders): Promise<ZoneModel> {
    const zone = (await loaders.once('zones-by-id', () => this.spaces.zonesById())).get(resource.zoneId);
    if (!zone) throw AppError.notFound('Zone');
    return toZoneModel(zone);
  }

  @ResolveField(() => QualificationModel, { nullable: true })
  async requiredQualification(@Parent() resource: ResourceModel, @Loaders() loaders: RequestLoaders): Promise<QualificationModel | null> {
    if (!resource.requiredQualificationId) return null;
    const qualification = await loaders.for('qualification', (ids) => this.qualificationService.byIds(ids)).load(resource.requiredQualificationId);
    return qualification && toQualificationModel(qualification);
  }

  @ResolveField(() => [OpeningHoursModel])
  async openingHours(@Parent() resource: ResourceModel, @Loaders() loaders: RequestLoaders): Promise<OpeningHoursModel[]> {
    const hours = await loaders.for('resource-opening-hours', (ids) => this.spaces.openingHoursOf(ids)).load(resource.id);
    return (hours?.items ?? []).map((h) => ({ weekday: h.weekday, opens: formatClock(h.opensMinute), closes: formatClock(h.closesMinute) }));
  }

  @ResolveField(() => [RateModel])
  async rates(@Parent() resource: ResourceModel, @Loaders() loaders: RequestLoaders): Promise<RateModel[]> {
    const rates = await loaders.for('resource-rates', (ids) => this.spaces.ratesOf(ids)).load(resource.id);
    return (rates?.items ?? []).map((r) => ({ tier: r.tier as TariffTier, centsPerHour: r.centsPerHour }));
  }
}
