import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { GovernanceModule } from '../governance/governance.module';
import { IdentityModule } from '../identity/identity.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { SpacesModule } from '../spaces/spaces.module';
import { AccessDecisionService } from './access-decision.service';
import { AccessSnapshots } from './access-snapshots.service';
import { AccessJobs } from './access.jobs';
import { AccessRepository } from './access.repository';
import { AccessEventsResolver, BadgesResolver, DoorsResolver } from './access.resolver';
import { BadgesService } from './badges.service';
import { DoorApiController } from './door-api.controller';
import { DoorAuthService } from './door-auth.service';
import { DoorDecisionEndpoint } from './door-decision.endpoint';
import { DoorDecisionQueue } from './door-decision.queue';
import { DoorsGateway } from './doors.gateway';
import { DoorsService } from './doors.service';

export const ACCESS_RESOLVERS = [BadgesResolver, DoorsResolver, AccessEventsResolver];

@Module({
  imports: [IdentityModule, SpacesModule, GovernanceModule, BookingsModule, RealtimeModule],
  controllers: [DoorApiController],
  providers: [...ACCESS_RESOLVERS, AccessRepository, BadgesService, DoorsService, AccessDecisionService, AccessSnapshots, DoorDecisionQueue, DoorDecisionEndpoint, DoorAuthService, DoorsGateway, AccessJobs],
  exports: [BadgesService, DoorsService, AccessRepository, AccessJobs],
})
export class AccessModule {}
