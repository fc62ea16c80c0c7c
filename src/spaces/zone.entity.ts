import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('zone')
export class ZoneEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column() openToMembersAnytime: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
