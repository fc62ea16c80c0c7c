import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BookingsModule } from '../bookings/bookings.module';
import { GovernanceModule } from '../governance/governance.module';
import { IdentityModule } from '../identity/identity.module';
import { SpacesModule } from '../spaces/spaces.module';
import { DemoHouseService } from './demo-house.service';
import { DemoSpacesSeeder } from './demo-spaces.seeder';

@Module({
  imports: [IdentityModule, SpacesModule, GovernanceModule, BookingsModule, AccessModule],
  providers: [DemoHouseService, DemoSpacesSeeder],
  exports: [DemoHouseService],
})
export class DemoModule {}
