import { LocalizedNames } from '../common/i18n/localized-names';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type BadgeStatusName = 'ACTIVE' | 'LOST' | 'REVOKED';

@Entity('badge')
export class BadgeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column() label: string;
  /** HMAC of the uid with a server key: the uid itself is never stored. */
  @Column({ select: false }) uidHash: string;
  @Column('text') status: BadgeStatusName;
  @Column({ type: 'timestamptz' }) issuedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) statusChangedAt: Date | null;
}

@Entity('door')
export class DoorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column('jsonb', { default: () => "'{}'" }) names: LocalizedNames;
  @Column('uuid') zoneId: string;
  @Column({ select: false }) secret: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  /** Set when a steward retired the door: its signed requests are refused from then on. */
  @Column({ type: 'timestamptz', nullable: true }) retiredAt: Date | null;
}

@Entity('access_event')
export class AccessEventEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') doorId: string;
  @Column({ type: 'uuid', nullable: true }) badgeId: string | null;
  @Column({ type: 'uuid', nullable: true }) personId: string | null;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column('text') decision: 'ALLOW' | 'DENY';
  @Column() reason: string;
  @Column({ type: 'uuid', nullable: true }) bookingId: string | null;
  @Column() offline: boolean;
}
