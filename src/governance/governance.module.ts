import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { SpacesModule } from '../spaces/spaces.module';
import { GovernanceJobs } from './governance.jobs';
import { HouseRulesRepository } from './house-rules.repository';
import { HouseRulesResolver } from './house-rules.resolver';
import { HouseRulesService } from './house-rules.service';
import { ProposalsRepository } from './proposals.repository';
import { CommentsResolver, ProposalsResolver, RuleChangesResolver } from './proposals.resolver';
import { ProposalsService } from './proposals.service';

export const GOVERNANCE_RESOLVERS = [HouseRulesResolver, ProposalsResolver, CommentsResolver, RuleChangesResolver];

@Module({
  imports: [SpacesModule, IdentityModule],
  providers: [...GOVERNANCE_RESOLVERS, HouseRulesRepository, HouseRulesService, ProposalsRepository, ProposalsService, GovernanceJobs],
  exports: [HouseRulesService, ProposalsService],
})
export class GovernanceModule {}
