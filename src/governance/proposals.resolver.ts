import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, OptionalActor } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { toPersonModel } from '../identity/identity.mappers';
import { PersonModel } from '../identity/models/person.model';
import { PersonsRepository } from '../identity/persons.repository';
import { ResourceModel } from '../spaces/models/spaces.models';
import { toResourceModel } from '../spaces/spaces.mappers';
import { SpacesService } from '../spaces/spaces.service';
import { RuleKeyName } from './house-rule.entity';
import { CommentModel, ProposalInput, ProposalModel, ProposalStatus, TallyModel, VoteChoice, VoteReceiptModel } from './models/proposal.models';
import { RuleChangeModel, RuleKey } from './models/rules.models';
import { ProposalEntity } from './proposal.entity';
import { ProposalsService } from './proposals.service';

export function toProposalModel(p: ProposalEntity): ProposalModel {
  return {
    id: p.id, title: p.title, body: p.body, authorId: p.authorId, status: p.status as ProposalStatus, createdAt: p.createdAt,
    discussionEndsAt: p.discussionEndsAt, votingEndsAt: p.votingEndsAt, quorumPercent: p.quorumPercent, thresholdPercent: p.thresholdPercent, electorateSize: p.electorateSize,
    yesCount: p.yesCount, noCount: p.noCount, abstainCount: p.abstainCount,
  };
}

/** Persons behind proposals and comments are hidden from auditors, like every person. */
async function visibleAuthor(loaders: RequestLoaders, persons: PersonsRepository, actor: Actor | null, personId: string): Promise<PersonModel> {
  if (!actor) throw AppError.unauthenticated();
  if (actor.isAuditorOnly) throw AppError.forbidden('Auditors see aggregated figures, never persons.');
  // The list of proposals, and a proposal's comments, read their authors once per request.
  const person = await loaders.for('person', (ids) => persons.findByIds(ids)).load(personId);
  if (!person) throw AppError.notFound('Person');
  return toPersonModel(person);
}

@Resolver(() => ProposalModel)
export class ProposalsResolver {
  constructor(
    private readonly proposalService: ProposalsService,
    private readonly persons: PersonsRepository,
  ) {}

  @Query(() => [ProposalModel])
  async proposals(@Args('status', { type: () => ProposalStatus, nullable: true }) status: ProposalStatus | null): Promise<ProposalModel[]> {
    return (await this.proposalService.list(status ?? null)).map(toProposalModel);
  }

  @Query(() => ProposalModel, { nullable: true })
  async proposal(@Args('id', { type: () => ID }) id: string): Promise<ProposalModel | null> {
    const proposal = await this.proposalService.get(id);
    return proposal && toProposalModel(proposal);
  }

  @Query(() => Boolean, { description: 'After the vote closes: whether a ballot with this receipt is in the count.' })
  verifyReceipt(@Args('proposalId', { type: () => ID }) proposalId: string, @Args('receipt') receipt: string): Promise<boolean> {
    return this.proposalService.verifyReceipt(proposalId, receipt);
  }

  @Mutation(() => ProposalModel)
  async createProposal(@CurrentActor() actor: Actor, @Args('input') input: ProposalInput): Promise<ProposalModel> {
    const ruleChanges = (input.ruleChanges ?? []).map((c) => ({ key: c.key as RuleKeyName, resourceId: c.resourceId ?? null, value: c.value }));
    return toProposalModel(await this.proposalService.create(actor, { ...input, ruleChanges }));
  }

  @Mutation(() => ProposalModel)
  async withdrawProposal(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<ProposalModel> {
    return toProposalModel(await this.proposalService.withdraw(actor, id));
  }

  @Mutation(() => CommentModel)
  async addComment(@CurrentActor() actor: Actor, @Args('proposalId', { type: () => ID }) proposalId: string, @Args('body') body: string): Promise<CommentModel> {
    return this.proposalService.comment(actor, proposalId, body);
  }

  @Mutation(() => VoteReceiptModel)
  async castVote(@CurrentActor() actor: Actor, @Args('proposalId', { type: () => ID }) proposalId: string, @Args('choice', { type: () => VoteChoice }) choice: VoteChoice): Promise<VoteReceiptModel> {
    const { receipt, castAt } = await this.proposalService.castVote(actor, proposalId, choice);
    return { proposalId, receipt, castAt };
  }

  // Every member's list of proposals asks the fields below of each proposal: each is read for
  // the whole list in one query, not once per proposal.
  @ResolveField(() => PersonModel)
  author(@Parent() proposal: ProposalModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<PersonModel> {
    return visibleAuthor(loaders, this.persons, actor, proposal.authorId);
  }

  @ResolveField(() => [RuleChangeModel])
  async ruleChanges(@Parent() proposal: ProposalModel, @Loaders() loaders: RequestLoaders): Promise<RuleChangeModel[]> {
    const changes = await loaders.for('proposal-rule-changes', (ids) => this.proposalService.ruleChangesOf(ids)).load(proposal.id);
    return (changes?.items ?? []).map((c) => ({ key: c.key as RuleKey, resourceId: c.resourceId, value: c.value }));
  }

  @ResolveField(() => Int, { description: 'Ballots cast so far.' })
  async turnout(@Parent() proposal: ProposalModel, @Loaders() loaders: RequestLoaders): Promise<number> {
    return (await loaders.for('proposal-turnouts', (ids) => this.proposalService.turnouts(ids)).load(proposal.id))?.turnout ?? 0;
  }

  @ResolveField(() => TallyModel, { nullable: true, description: 'Null until voting has closed.' })
  tally(@Parent() proposal: ProposalModel): TallyModel | null {
    return this.proposalService.tally(proposal);
  }

  @ResolveField(() => VoteChoice, { nullable: true, description: "The caller's own current choice; nobody else's is ever readable." })
  async myVote(@Parent() proposal: ProposalModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<VoteChoice | null> {
    if (!actor) return null;
    const ballot = await loaders.for('my-ballots', (ids) => this.proposalService.myVotes(actor, ids)).load(proposal.id);
    return (ballot?.choice ?? null) as VoteChoice | null;
  }

  @ResolveField(() => Boolean, { description: 'Whether the caller is in the frozen electorate and voting is open.' })
  async canVote(@Parent() proposal: ProposalModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<boolean> {
    if (!actor) return false;
    const electorates = loaders.for('my-electorates', (ids) => this.proposalService.myElectorates(actor, ids));
    return this.proposalService.canVote(actor, { id: proposal.id, status: proposal.status, votingEndsAt: proposal.votingEndsAt }, async (id) => (await electorates.load(id)) !== null);
  }

  @ResolveField(() => [CommentModel], { description: 'Not for auditors: members write comments, and what they write may say who they are.' })
  async comments(@Parent() proposal: ProposalModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<CommentModel[]> {
    if (actor?.isAuditorOnly) throw AppError.forbidden('Auditors see aggregated figures, never what members wrote to each other.');
    return (await loaders.for('proposal-comments', (ids) => this.proposalService.commentsOf(ids)).load(proposal.id))?.items ?? [];
  }
}

@Resolver(() => CommentModel)
export class CommentsResolver {
  constructor(private readonly persons: PersonsRepository) {}

  @ResolveField(() => PersonModel)
  author(@Parent() comment: CommentModel, @OptionalActor() actor: Actor | null, @Loaders() loaders: RequestLoaders): Promise<PersonModel> {
    return visibleAuthor(loaders, this.persons, actor, comment.authorId);
  }
}

@Resolver(() => RuleChangeModel)
export class RuleChangesResolver {
  constructor(private readonly spaces: SpacesService) {}

  @ResolveField(() => ResourceModel, { nullable: true })
  async resource(@Parent() change: RuleChangeModel, @Loaders() loaders: RequestLoaders): Promise<ResourceModel | null> {
    if (!change.resourceId) return null;
    const resource = await loaders.for('resource', (ids) => this.spaces.resourcesByIds(ids)).load(change.resourceId);
    return resource && toResourceModel(resource);
  }
}
