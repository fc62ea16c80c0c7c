import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { Scheduler } from '../database/scheduler';
import { LOGIN_WINDOW_MINUTES } from './auth.service';
import { PersonsRepository } from './persons.repository';

export const LOGIN_ATTEMPTS_JOB = 'identity.forget-login-attempts';

/** Privacy housekeeping: a count of login attempts (keyed by a hash of an e-mail or handle) is kept only while it limits guessing. */
@Injectable()
export class IdentityJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly persons: PersonsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(LOGIN_ATTEMPTS_JOB, 3_600_000, () => this.persons.forgetLoginAttemptsBefore(new Date(this.clock.now().getTime() - LOGIN_WINDOW_MINUTES * 60_000)));
  }
}
