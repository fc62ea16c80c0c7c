import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RoleName = 'MEMBER' | 'STEWARD' | 'AUDITOR' | 'ADMIN';

@Entity('person')
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() displayName: string;
  /** Login name chosen at invitation, for people without e-mail. */
  @Column() handle: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column() locale: string;
  @Column('text', { array: true }) roles: RoleName[];
  @Column({ type: 'text', nullable: true, select: false }) passwordHash: string | null;
  @Column({ type: 'text', nullable: true, select: false }) inviteCodeHash: string | null;
  @Column({ type: 'timestamptz', nullable: true }) inviteExpiresAt: Date | null;
  @Column({ type: 'text', nullable: true, select: false }) calendarTokenHash: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) erasedAt: Date | null;
}
