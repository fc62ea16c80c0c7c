import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, OptionalActor, Public, Roles } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { CollectivesService } from './collectives.service';
import { CollectiveInput } from './dto/identity.inputs';
import { toCollectiveModel, toMembershipModel } from './identity.mappers';
import { MembershipsService } from './memberships.service';
import { CollectiveModel, MembershipModel } from './models/collective.model';

@Resolver(() => CollectiveModel)
export class CollectivesResolver {
  constructor(
    private readonly collectiveService: CollectivesService,
    private readonly memberships: MembershipsService,
  ) {}

  @Query(() => [CollectiveModel])
  async collectives(): Promise<CollectiveModel[]> {
    return (await this.collectiveService.list()).map(toCollectiveModel);
  }

  @Query(() => CollectiveModel, { nullable: true })
  async collective(@Args('id', { type: () => ID }) id: string): Promise<CollectiveModel | null> {
    const collective = await this.collectiveService.get(id);
    return collective && toCollectiveModel(collective);
  }

  @Public()
  @Query(() => [CollectiveModel], { description: 'Collectives that chose to be listed; needs no login.' })
  async directory(): Promise<CollectiveModel[]> {
    return (await this.collectiveService.directory()).map(toCollectiveModel);
  }

  @Roles('STEWARD', 'ADMIN')
  @Mutation(() => CollectiveModel)
  async createCollective(@CurrentActor() actor: Actor, @Args('input') input: CollectiveInput): Promise<CollectiveModel> {
    return toCollectiveModel(await this.collectiveService.create(actor, input));
  }

  @ResolveField(() => [MembershipModel], { description: 'Staff see every membership, past ones included; members see who belongs now.' })
  async members(@Parent() collective: CollectiveModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<MembershipModel[]> {
    if (!actor) throw AppError.unauthenticated();
    // A steward's list of collectives reads every collective's members in one query.
    const members = loaders.for('collective-memberships', (ids) => this.memberships.forCollectives(ids));
    return (await this.memberships.visibleMembers(actor, collective.id, async (id) => (await members.load(id))?.items ?? [])).map(toMembershipModel);
  }
}
