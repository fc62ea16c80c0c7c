import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ResourcesResolver, ZonesResolver } from './spaces.resolver';
import { SpacesRepository } from './spaces.repository';
import { SpacesService } from './spaces.service';

export const SPACES_RESOLVERS = [ZonesResolver, ResourcesResolver];

@Module({
  imports: [IdentityModule],
  providers: [...SPACES_RESOLVERS, SpacesRepository, SpacesService],
  exports: [SpacesService],
})
export class SpacesModule {}
