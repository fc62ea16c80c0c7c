import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { CollectivesService } from './collectives.service';
import { MembershipInput } from './dto/identity.inputs';
import { toCollectiveModel, toMembershipModel, toPersonModel } from './identity.mappers';
import { MembershipsService } from './memberships.service';
import { CollectiveModel, MembershipModel } from './models/collective.model';
import { PersonModel } from './models/person.model';
import { PersonsRepository } from './persons.repository';

@Resolver(() => MembershipModel)
export class MembershipsResolver {
  constructor(
    private readonly memberships: MembershipsService,
    private readonly collectives: CollectivesService,
    private readonly persons: PersonsRepository,
  ) {}

  @Mutation(() => MembershipModel)
  async addMembership(@CurrentActor() actor: Actor, @Args('input') input: MembershipInput): Promise<MembershipModel> {
    return toMembershipModel(await this.memberships.add(actor, input));
  }

  @Mutation(() => MembershipModel)
  async endMembership(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('endsAt', { type: () => Date, nullable: true }) endsAt: Date | null,
  ): Promise<MembershipModel> {
    return toMembershipModel(await this.memberships.end(actor, id, endsAt ?? null));
  }

  // A collective's members, or a person's memberships, are read as lists: their people and collectives once per request.
  @ResolveField(() => PersonModel)
  async person(@Parent() membership: MembershipModel, @Loaders() loaders: RequestLoaders): Promise<PersonModel> {
    const person = await loaders.for('person', (ids) => this.persons.findByIds(ids)).load(membership.personId);
    if (!person) throw AppError.notFound('Person');
    return toPersonModel(person);
  }

  @ResolveField(() => CollectiveModel)
  async collective(@Parent() membership: MembershipModel, @Loaders() loaders: RequestLoaders): Promise<CollectiveModel> {
    const collective = await loaders.for('collective', (ids) => this.collectives.byIds(ids)).load(membership.collectiveId);
    if (!collective) throw AppError.notFound('Collective');
    return toCollectiveModel(collective);
  }
}
