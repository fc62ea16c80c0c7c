import { Injectable, OnModuleInit } from '@nestjs/common';
import { Scheduler } from '../database/scheduler';
import { BookingsService } from './bookings.service';

export const BOOKING_HOUSEKEEPING_JOB = 'bookings.housekeeping';

/** Releases no-shows within seconds of their due time, on whichever instance gets the lock. */
@Injectable()
export class BookingsJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly bookings: BookingsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(BOOKING_HOUSEKEEPING_JOB, 5_000, () => this.bookings.runHousekeeping());
  }
}
