import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CollectiveFormName = 'INFORMAL' | 'ASBL' | 'COOPERATIVE' | 'OTHER';
export type TariffTierName = 'SOLIDARITY' | 'REDUCED' | 'STANDARD';

@Entity('collective')
export class CollectiveEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column() form: CollectiveFormName;
  @Column() tariffTier: TariffTierName;
  @Column() publicListing: boolean;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
