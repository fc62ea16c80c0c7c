import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ResourceModel } from '../../spaces/models/spaces.models';

export enum Granularity { DAY = 'DAY', WEEK = 'WEEK', MONTH = 'MONTH' }
registerEnumType(Granularity, { name: 'Granularity', description: 'Local periods in Europe/Brussels: a DAY has 23 to 25 hours, a WEEK starts on Monday, a MONTH is a calendar month.' });

@ObjectType('OccupancyRow')
export class OccupancyRowModel {
  @Field(() => ResourceModel) resource: ResourceModel;
  @Field(() => Date) periodStart: Date;
  @Field(() => Date) periodEnd: Date;
  @Field(() => Int, { description: 'Minutes open by the opening hours.' }) openMinutes: number;
  @Field(() => Int, { description: 'Overlap with the period of bookings CONFIRMED, CHECKED_IN, COMPLETED or NO_SHOW (buffers excluded).' }) bookedMinutes: number;
  @Field(() => Int, { description: 'The same for CHECKED_IN and COMPLETED bookings.' }) usedMinutes: number;
  @Field(() => Int, { description: 'Bookings starting in the period (CONFIRMED, CHECKED_IN, COMPLETED or NO_SHOW).' }) bookings: number;
  @Field(() => Int) noShows: number;
  @Field(() => Int) cancellations: number;
  @Field(() => Int) distinctCollectives: number;
  @Field(() => Float, { description: 'bookedMinutes / openMinutes (0 when closed).' }) occupancyRate: number;
  @Field(() => Float, { description: 'usedMinutes / openMinutes (0 when closed).' }) utilizationRate: number;
}

@ObjectType('AttendanceRow')
export class AttendanceRowModel {
  @Field(() => Date) periodStart: Date;
  @Field(() => Date) periodEnd: Date;
  @Field(() => Int, { description: 'Distinct badges admitted at any door in the period; a count, never a list.' }) uniqueVisitors: number;
  @Field(() => Int) entries: number;
}
