import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { Loaders, RequestLoaders } from '../common/request-loaders';
import { ResourceModel } from '../spaces/models/spaces.models';
import { toResourceModel } from '../spaces/spaces.mappers';
import { SpacesService } from '../spaces/spaces.service';
import { HouseRuleEntity } from './house-rule.entity';
import { HouseRulesService } from './house-rules.service';
import { HouseRuleModel, RuleKey, RuleLimitModel } from './models/rules.models';
import { RULE_LIMITS } from './rule-limits';
import { ProposalModel } from './models/proposal.models';
import { ProposalsService } from './proposals.service';
import { toProposalModel } from './proposals.resolver';

export function toHouseRuleModel(rule: HouseRuleEntity): HouseRuleModel {
  return {
    key: rule.key as RuleKey,
    resourceId: rule.resourceId,
    value: rule.value,
    setByProposalId: rule.setByProposalId,
    setByPersonId: rule.setByPersonId,
    updatedAt: rule.validFrom,
  };
}

@Resolver(() => HouseRuleModel)
export class HouseRulesResolver {
  constructor(
    private readonly rules: HouseRulesService,
    private readonly spaces: SpacesService,
    private readonly proposals: ProposalsService,
  ) {}

  @Query(() => [HouseRuleModel])
  async houseRules(): Promise<HouseRuleModel[]> {
    return (await this.rules.current()).map(toHouseRuleModel);
  }

  @Query(() => [HouseRuleModel], { description: 'Every value a rule has had, newest first.' })
  async houseRuleHistory(
    @Args('key', { type: () => RuleKey }) key: RuleKey,
    @Args('resourceId', { type: () => ID, nullable: true }) resourceId: string | null,
  ): Promise<HouseRuleModel[]> {
    return (await this.rules.history(key, resourceId ?? null)).map(toHouseRuleModel);
  }

  @Query(() => [RuleLimitModel], { description: 'The range of each rule, so that a proposal form can say what is allowed.' })
  ruleLimits(): RuleLimitModel[] {
    return Object.entries(RULE_LIMITS).map(([key, limit]) => ({ key: key as RuleKey, ...limit }));
  }

  @Roles('ADMIN')
  @Mutation(() => HouseRuleModel, { description: 'ADMIN only: founding values and emergencies; every other change goes through a proposal.' })
  async setHouseRule(
    @CurrentActor() actor: Actor,
    @Args('key', { type: () => RuleKey }) key: RuleKey,
    @Args('resourceId', { type: () => ID, nullable: true }) resourceId: string | null,
    @Args('value', { type: () => Int }) value: number,
  ): Promise<HouseRuleModel> {
    return toHouseRuleModel(await this.rules.set(key, resourceId ?? null, value, { actorId: actor.personId, proposalId: null }));
  }

  // The house rules are read as one list: their proposals and resources once per request, not once per rule.
  @ResolveField(() => ProposalModel, { nullable: true, description: 'The adopted proposal that set this value; null for the founding value.' })
  async setBy(@Parent() rule: HouseRuleModel, @Loaders() loaders: RequestLoaders): Promise<ProposalModel | null> {
    const proposal = rule.setByProposalId ? await loaders.for('proposal', (ids) => this.proposals.byIds(ids)).load(rule.setByProposalId) : null;
    return proposal && toProposalModel(proposal);
  }

  @ResolveField(() => ResourceModel, { nullable: true })
  async resource(@Parent() rule: HouseRuleModel, @Loaders() loaders: RequestLoaders): Promise<ResourceModel | null> {
    if (!rule.resourceId) return null;
    const resource = await loaders.for('resource', (ids) => this.spaces.resourcesByIds(ids)).load(rule.resourceId);
    return resource && toResourceModel(resource);
  }
}
