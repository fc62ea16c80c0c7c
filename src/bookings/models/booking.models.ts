import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CollectiveModel } from '../../identity/models/collective.model';
import { ResourceModel } from '../../spaces/models/spaces.models';

export enum BookingStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  CHECKED_IN = 'CHECKED_IN',
  COMPLETED = 'COMPLETED',
  NO_SHOW = 'NO_SHOW',
  CANCELLED = 'CANCELLED',
}
registerEnumType(BookingStatus, { name: 'BookingStatus' });

@ObjectType('Booking')
export class BookingModel {
  @Field(() => ID) id: string;
  resourceId: string;
  collectiveId: string;
  bookedById: string | null;
  /** Filled for a whole list with two queries: a field resolver per row costs more than the SQL. */
  @Field(() => ResourceModel) resource: ResourceModel;
  @Field(() => CollectiveModel) collective: CollectiveModel;
  @Field() title: string;
  @Field(() => Date) startsAt: Date;
  @Field(() => Date) endsAt: Date;
  @Field(() => BookingStatus) status: BookingStatus;
  @Field(() => ID, { nullable: true, description: 'Shared by every occurrence of a recurring booking.' }) seriesId: string | null;
  @Field(() => Date, { nullable: true }) checkedInAt: Date | null;
  @Field(() => Int) priceCents: number;
  @Field(() => Int, { nullable: true }) attendees: number | null;
}

@ObjectType('TimeRange')
export class TimeRangeModel {
  @Field(() => Date) startsAt: Date;
  @Field(() => Date) endsAt: Date;
}
