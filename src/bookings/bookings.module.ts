import { Module } from '@nestjs/common';
import { GovernanceModule } from '../governance/governance.module';
import { IdentityModule } from '../identity/identity.module';
import { SpacesModule } from '../spaces/spaces.module';
import { BookingsJobs } from './bookings.jobs';
import { BookingsRepository } from './bookings.repository';
import { BookingsResolver } from './bookings.resolver';
import { BookingsService } from './bookings.service';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarFeedService } from './calendar-feed.service';

export const BOOKINGS_RESOLVERS = [BookingsResolver];

@Module({
  imports: [IdentityModule, SpacesModule, GovernanceModule],
  controllers: [CalendarFeedController],
  providers: [...BOOKINGS_RESOLVERS, BookingsRepository, BookingsService, BookingsJobs, CalendarFeedService],
  exports: [BookingsService, BookingsRepository],
})
export class BookingsModule {}
