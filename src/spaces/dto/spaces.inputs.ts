import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { LocalizedNameInput } from '../../common/i18n/localized-name.model';
import { TariffTier } from '../../identity/models/identity.enums';
import { ResourceKind } from '../models/spaces.models';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

@InputType('OpeningHoursInput')
export class OpeningHoursInput {
  @Field(() => Int) @IsInt() @Min(1) @Max(7) weekday: number;
  @Field() @Matches(CLOCK, { message: 'opens is a local time HH:mm' }) opens: string;
  @Field() @Matches(CLOCK, { message: 'closes is a local time HH:mm (24:00 for end of day)' }) closes: string;
}

@InputType('RateInput')
export class RateInput {
  @Field(() => TariffTier) @IsEnum(TariffTier) tier: TariffTier;
  @Field(() => Int) @IsInt() @Min(0) @Max(1_000_000) centsPerHour: number;
}

@InputType('ResourceInput')
export class ResourceInput {
  @Field() @IsString() @Length(1, 120) name: string;
  @Field(() => [LocalizedNameInput], { nullable: true, description: 'The name in other languages; all of them (null keeps those it has).' })
  @IsOptional() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => LocalizedNameInput)
  names?: LocalizedNameInput[] | null;
  @Field(() => ResourceKind) @IsEnum(ResourceKind) kind: ResourceKind;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000) capacity: number;
  @Field(() => ID) @IsUUID() zoneId: string;
  @Field(() => Int) @IsInt() @Min(5) @Max(1440) slotMinutes: number;
  @Field(() => Int) @IsInt() @Min(5) @Max(44_640) minMinutes: number;
  @Field(() => Int) @IsInt() @Min(5) @Max(44_640) maxMinutes: number;
  @Field(() => Int) @IsInt() @Min(0) @Max(1440) bufferMinutes: number;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() requiredQualificationId?: string | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() requiresApproval?: boolean | null;
  @Field(() => [OpeningHoursInput]) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => OpeningHoursInput) openingHours: OpeningHoursInput[];
  @Field(() => [RateInput], { nullable: true }) @IsOptional() @ArrayMaxSize(3) @ValidateNested({ each: true }) @Type(() => RateInput) rates?: RateInput[] | null;
}
