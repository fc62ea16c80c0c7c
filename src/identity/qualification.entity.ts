import { LocalizedNames } from '../common/i18n/localized-names';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('qualification')
export class QualificationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  /** The name in other languages (tag -> text); `name` is the house's own. */
  @Column('jsonb', { default: () => "'{}'" }) names: LocalizedNames;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('qualification_grant')
export class QualificationGrantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') qualificationId: string;
  @Column({ type: 'uuid', nullable: true }) grantedById: string | null;
  @Column({ type: 'timestamptz' }) grantedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) expiresAt: Date | null;
}
