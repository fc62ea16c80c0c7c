import { Injectable, OnModuleInit } from '@nestjs/common';
import { Scheduler } from '../database/scheduler';
import { ProposalsService } from './proposals.service';

export const PROPOSAL_TRANSITIONS_JOB = 'governance.transitions';

/** Opens and closes votes within about a second of their due time, once across instances, and catches up after a restart. */
@Injectable()
export class GovernanceJobs implements OnModuleInit {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly proposals: ProposalsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(PROPOSAL_TRANSITIONS_JOB, 1_000, () => this.proposals.runDueTransitions());
  }
}
