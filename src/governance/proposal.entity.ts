import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { RuleKeyName } from './house-rule.entity';

export type ProposalStatusName = 'DISCUSSION' | 'VOTING' | 'ADOPTED' | 'REJECTED' | 'NO_QUORUM' | 'WITHDRAWN';
export type VoteChoiceName = 'YES' | 'NO' | 'ABSTAIN';

@Entity('proposal')
export class ProposalEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() title: string;
  @Column() body: string;
  @Column('uuid') authorId: string;
  @Column('text') status: ProposalStatusName;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) discussionEndsAt: Date;
  @Column({ type: 'timestamptz' }) votingEndsAt: Date;
  @Column('int') quorumPercent: number;
  @Column('int') thresholdPercent: number;
  @Column({ type: 'int', nullable: true }) electorateSize: number | null;
  @Column({ type: 'int', nullable: true }) yesCount: number | null;
  @Column({ type: 'int', nullable: true }) noCount: number | null;
  @Column({ type: 'int', nullable: true }) abstainCount: number | null;
  @Column({ type: 'boolean', nullable: true }) quorumReached: boolean | null;
  @Column({ type: 'boolean', nullable: true }) adopted: boolean | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
}

export interface RuleChangeRow {
  key: RuleKeyName;
  resourceId: string | null;
  value: number;
}

export interface CommentRow {
  id: string;
  proposalId: string;
  authorId: string;
  body: string;
  createdAt: Date;
}
