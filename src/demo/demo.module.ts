import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { DemoHouseService } from './demo-house.service';
import { DemoSpacesSeeder } from './demo-spaces.seeder';

@Module({
  imports: [IdentityModule],
  providers: [DemoHouseService, DemoSpacesSeeder],
  exports: [DemoHouseService],
})
export class DemoModule {}
