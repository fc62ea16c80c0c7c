import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type BookingStatusName = 'PENDING' | 'CONFIRMED' | 'CHECKED_IN' | 'COMPLETED' | 'NO_SHOW' | 'CANCELLED';
export const ACTIVE_STATUSES: BookingStatusName[] = ['PENDING', 'CONFIRMED', 'CHECKED_IN'];

@Entity('booking')
export class BookingEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') resourceId: string;
  @Column('uuid') collectiveId: string;
  @Column({ type: 'uuid', nullable: true }) bookedById: string | null;
  @Column() title: string;
  @Column({ type: 'timestamptz' }) startsAt: Date;
  @Column({ type: 'timestamptz' }) endsAt: Date;
  /** The resource's buffer when booked: the exclusion constraint holds [startsAt, endsAt + buffer). */
  @Column('int') bufferMinutes: number;
  @Column('text') status: BookingStatusName;
  @Column({ type: 'uuid', nullable: true }) seriesId: string | null;
  @Column({ type: 'text', nullable: true }) rrule: string | null;
  @Column({ type: 'int', nullable: true }) attendees: number | null;
  @Column('int') priceCents: number;
  @Column({ type: 'timestamptz', nullable: true }) checkedInAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
