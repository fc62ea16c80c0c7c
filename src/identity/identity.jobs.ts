import { Injectable, OnModuleInit } from '@nestjs/common';
import { SessionsRepository } from '../common/auth/sessions.repository';
import { Clock } from '../common/time/clock';
import { Scheduler } from '../database/scheduler';
import { LOGIN_WINDOW_MINUTES } from './auth.service';
import { PersonsRepository } from './persons.repository';

export const LOGIN_ATTEMPTS_JOB = 'identity.forget-login-attempts';
export const REVOKED_TOKENS_JOB = 'identity.forget-revoked-tokens';

/**
 * Housekeeping: a count of login attempts (keyed by a hash of an e-mail or handle) is kept only
 * while it limits guessing, a signed-out token only until it would have expired anyway.
 */
@Injectable()
export class IdentityJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly persons: PersonsRepository,
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(REVOKED_TOKENS_JOB, 3_600_000, () => this.sessions.forgetRevokedBefore(this.clock.now()));
    this.scheduler.register(LOGIN_ATTEMPTS_JOB, 3_600_000, () => this.persons.forgetLoginAttemptsBefore(new Date(this.clock.now().getTime() - LOGIN_WINDOW_MINUTES * 60_000)));
  }
}
