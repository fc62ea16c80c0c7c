import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum RuleKey {
  WEEKLY_QUOTA_MINUTES = 'WEEKLY_QUOTA_MINUTES',
  MAX_ADVANCE_DAYS = 'MAX_ADVANCE_DAYS',
  CANCELLATION_NOTICE_MINUTES = 'CANCELLATION_NOTICE_MINUTES',
  NO_SHOW_RELEASE_MINUTES = 'NO_SHOW_RELEASE_MINUTES',
  ACCESS_GRACE_MINUTES = 'ACCESS_GRACE_MINUTES',
  QUORUM_PERCENT = 'QUORUM_PERCENT',
  ADOPTION_THRESHOLD_PERCENT = 'ADOPTION_THRESHOLD_PERCENT',
  DISCUSSION_MIN_HOURS = 'DISCUSSION_MIN_HOURS',
  ACCESS_LOG_RETENTION_DAYS = 'ACCESS_LOG_RETENTION_DAYS',
}

registerEnumType(RuleKey, {
  name: 'RuleKey',
  valuesMap: {
    WEEKLY_QUOTA_MINUTES: { description: 'Most minutes one collective may hold on one resource per ISO week (local).' },
    NO_SHOW_RELEASE_MINUTES: { description: 'A booking not checked in this many minutes after its start is released as NO_SHOW.' },
    ACCESS_GRACE_MINUTES: { description: 'Badge access to a booked zone opens this many minutes before and closes after a booking.' },
  },
});

@ObjectType('HouseRule')
export class HouseRuleModel {
  @Field(() => RuleKey) key: RuleKey;
  resourceId: string | null;
  @Field(() => Int) value: number;
  setByProposalId: string | null;
  @Field(() => Date) updatedAt: Date;
  /** Kept for the record, not exposed: auditors read rules too. */
  setByPersonId: string | null;
}

@ObjectType('RuleChange')
export class RuleChangeModel {
  @Field(() => RuleKey) key: RuleKey;
  resourceId: string | null;
  @Field(() => Int) value: number;
}

@ObjectType('RuleLimit', { description: 'What a rule may be set to, by vote or by an admin.' })
export class RuleLimitModel {
  @Field(() => RuleKey) key: RuleKey;
  @Field(() => Int) min: number;
  @Field(() => Int) max: number;
  @Field({ description: 'Whether a resource may have its own value (otherwise house-wide only).' }) perResource: boolean;
}
