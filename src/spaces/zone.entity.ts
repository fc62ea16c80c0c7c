import { LocalizedNames } from '../common/i18n/localized-names';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('zone')
export class ZoneEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  /** The name in other languages (tag -> text); `name` is the house's own. */
  @Column('jsonb', { default: () => "'{}'" }) names: LocalizedNames;
  @Column() openToMembersAnytime: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
