import { Module } from '@nestjs/common';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { CollectivesRepository } from './collectives.repository';
import { CollectivesResolver } from './collectives.resolver';
import { CollectivesService } from './collectives.service';
import { DeviceKeys } from './device-keys';
import { IdentityJobs } from './identity.jobs';
import { IdentityPolicy } from './identity.policy';
import { MembershipsRepository } from './memberships.repository';
import { MembershipsResolver } from './memberships.resolver';
import { MembershipsService } from './memberships.service';
import { PasswordHasher } from './password-hasher';
import { PersonsRepository } from './persons.repository';
import { PersonsResolver } from './persons.resolver';
import { PersonsService } from './persons.service';
import { QualificationsRepository } from './qualifications.repository';
import { QualificationsResolver } from './qualifications.resolver';
import { QualificationsService } from './qualifications.service';

export const IDENTITY_RESOLVERS = [AuthResolver, PersonsResolver, CollectivesResolver, MembershipsResolver, QualificationsResolver];

/** What other modules use: who people are, where they belong, what they are qualified for. */
const SHARED = [
  PersonsRepository,
  PersonsService,
  CollectivesRepository,
  CollectivesService,
  MembershipsRepository,
  MembershipsService,
  QualificationsRepository,
  QualificationsService,
  IdentityPolicy,
];

@Module({
  providers: [...IDENTITY_RESOLVERS, AuthService, PasswordHasher, DeviceKeys, IdentityJobs, ...SHARED],
  exports: SHARED,
})
export class IdentityModule {}
