import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MembershipRoleName = 'MEMBER' | 'COORDINATOR';

@Entity('membership')
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') personId: string;
  @Column('uuid') collectiveId: string;
  @Column() role: MembershipRoleName;
  @Column({ type: 'timestamptz' }) startsAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) endsAt: Date | null;
  /** When it was recorded (startsAt may be earlier, for staff recording the past). */
  @Column({ type: 'timestamptz' }) createdAt: Date;
}

export function isMembershipActiveAt(membership: Pick<MembershipEntity, 'startsAt' | 'endsAt'>, at: Date): boolean {
  return membership.startsAt <= at && (membership.endsAt === null || membership.endsAt > at);
}
