import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { LocalizedNames } from '../common/i18n/localized-names';
import { TariffTierName } from '../identity/collective.entity';

export type ResourceKindName = 'ROOM' | 'KITCHEN' | 'WORKSHOP' | 'COWORKING' | 'STORAGE';

@Entity('resource')
export class ResourceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  /** The name in other languages (tag -> text); `name` is the house's own. */
  @Column('jsonb', { default: () => "'{}'" }) names: LocalizedNames;
  @Column() kind: ResourceKindName;
  @Column('int') capacity: number;
  @Column('uuid') zoneId: string;
  @Column('int') slotMinutes: number;
  @Column('int') minMinutes: number;
  @Column('int') maxMinutes: number;
  @Column('int') bufferMinutes: number;
  @Column({ type: 'uuid', nullable: true }) requiredQualificationId: string | null;
  @Column() requiresApproval: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Local wall-clock opening of one ISO weekday, in minutes since midnight (1440 = 24:00). */
@Entity('resource_opening_hours')
export class OpeningHoursEntity {
  @PrimaryColumn('uuid') resourceId: string;
  @PrimaryColumn('int') weekday: number;
  @PrimaryColumn('int') opensMinute: number;
  @Column('int') closesMinute: number;
}

@Entity('resource_rate')
export class ResourceRateEntity {
  @PrimaryColumn('uuid') resourceId: string;
  @PrimaryColumn('text') tier: TariffTierName;
  @Column('int') centsPerHour: number;
}

/** What a steward sets of a resource (the rest is the database's). */
export type ResourceRow = Omit<ResourceEntity, 'id' | 'createdAt' | 'names'>;
export type OpeningHoursRow = Omit<OpeningHoursEntity, 'resourceId'>;
export type RateRow = Omit<ResourceRateEntity, 'resourceId'>;
