import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';

@InputType('BookInput')
export class BookInput {
  @Field(() => ID) @IsUUID() resourceId: string;
  @Field(() => ID) @IsUUID() collectiveId: string;
  @Field() @IsString() @Length(1, 120) title: string;
  @Field(() => Date) startsAt: Date;
  @Field(() => Date) endsAt: Date;
  @Field(() => String, { nullable: true, description: 'RFC 5545 RRULE (FREQ=WEEKLY;BYDAY=TU;COUNT=8), expanded in Europe/Brussels wall-clock time.' })
  @IsOptional() @IsString() @MaxLength(300) rrule?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000) attendees?: number | null;
  @Field(() => [Date], {
    nullable: true,
    description: "Starts of the rrule's occurrences to leave out (the taken ones a CONFLICT listed): the others are booked as one series.",
  })
  @IsOptional() @IsArray() @ArrayMaxSize(100) skipOccurrences?: Date[] | null;
}
