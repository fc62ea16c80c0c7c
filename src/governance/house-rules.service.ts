import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Clock } from '../common/time/clock';
import { EventLogRepository } from '../audit/event-log.repository';
import { SpacesService } from '../spaces/spaces.service';
import { HouseRuleEntity, RuleKeyName } from './house-rule.entity';
import { HouseRulesRepository } from './house-rules.repository';
import { ruleChangeProblem } from './rule-limits';

export interface RuleSource {
  actorId: string | null;
  /** The adopted proposal that carries the change; null for founding values and admin emergencies. */
  proposalId: string | null;
}

/**
 * The one rule store. Bookings, doors and governance read rules here; values change only
 * through an adopted proposal or an admin's logged emergency change.
 */
@Injectable()
export class HouseRulesService {
  constructor(
    private readonly rules: HouseRulesRepository,
    private readonly spaces: SpacesService,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  value(key: RuleKeyName, resourceId: string | null = null): Promise<number> {
    return this.rules.value(key, resourceId);
  }

  current(): Promise<HouseRuleEntity[]> {
    return this.rules.current();
  }

  history(key: RuleKeyName, resourceId: string | null): Promise<HouseRuleEntity[]> {
    return this.rules.history(key, resourceId);
  }

  async assertValidChange(key: RuleKeyName, resourceId: string | null, value: number): Promise<void> {
    const problem = ruleChangeProblem(key, resourceId, value);
    if (problem) throw AppError.badInput(problem);
    if (resourceId && !(await this.spaces.resource(resourceId))) throw AppError.notFound('Resource');
  }

  /** Must run inside the transaction of whatever decided the change. */
  async set(key: RuleKeyName, resourceId: string | null, value: number, source: RuleSource): Promise<HouseRuleEntity> {
    await this.assertValidChange(key, resourceId, value);
    const now = this.clock.now();
    const previous = await this.rules.lockCurrent(key, resourceId);
    if (previous) await this.rules.close(previous.id, now);
    const rule = await this.rules.insert({ key, resourceId, value, setByProposalId: source.proposalId, setByPersonId: source.actorId, validFrom: now });
    this.events.append({
      type: 'rule.set',
      actorId: source.actorId,
      subjectType: 'house_rule',
      subjectId: rule.id,
      payload: { key, resourceId, value, proposalId: source.proposalId, previous: previous?.value ?? null },
    });
    return rule;
  }
}
