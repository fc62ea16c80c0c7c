import { Module } from '@nestjs/common';
import { SpacesModule } from '../spaces/spaces.module';
import { HouseRulesRepository } from './house-rules.repository';
import { HouseRulesResolver } from './house-rules.resolver';
import { HouseRulesService } from './house-rules.service';

export const GOVERNANCE_RESOLVERS = [HouseRulesResolver];

@Module({
  imports: [SpacesModule],
  providers: [...GOVERNANCE_RESOLVERS, HouseRulesRepository, HouseRulesService],
  exports: [HouseRulesService],
})
export class GovernanceModule {}
