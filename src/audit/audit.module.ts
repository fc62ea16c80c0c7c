import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { IdentityModule } from '../identity/identity.module';
import { SpacesModule } from '../spaces/spaces.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataResolver } from './personal-data.resolver';
import { PersonalDataService } from './personal-data.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';

export const AUDIT_RESOLVERS = [ReportsResolver, PersonalDataResolver];

@Module({
  imports: [IdentityModule, SpacesModule, AccessModule],
  controllers: [ReportsController, PersonalDataController],
  providers: [...AUDIT_RESOLVERS, ReportsRepository, ReportsService, PersonalDataRepository, PersonalDataService],
})
export class AuditModule {}
