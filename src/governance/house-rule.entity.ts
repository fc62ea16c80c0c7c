import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RULE_KEYS = [
  'WEEKLY_QUOTA_MINUTES',
  'MAX_ADVANCE_DAYS',
  'CANCELLATION_NOTICE_MINUTES',
  'NO_SHOW_RELEASE_MINUTES',
  'ACCESS_GRACE_MINUTES',
  'QUORUM_PERCENT',
  'ADOPTION_THRESHOLD_PERCENT',
  'DISCUSSION_MIN_HOURS',
  'ACCESS_LOG_RETENTION_DAYS',
] as const;
export type RuleKeyName = (typeof RULE_KEYS)[number];

/** One value of one rule over time; the current value has no validTo. */
@Entity('house_rule')
export class HouseRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') key: RuleKeyName;
  @Column({ type: 'uuid', nullable: true }) resourceId: string | null;
  @Column('int') value: number;
  @Column({ type: 'uuid', nullable: true }) setByProposalId: string | null;
  @Column({ type: 'uuid', nullable: true }) setByPersonId: string | null;
  @Column({ type: 'timestamptz' }) validFrom: Date;
  @Column({ type: 'timestamptz', nullable: true }) validTo: Date | null;
}
