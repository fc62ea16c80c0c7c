import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsBoolean, IsEmail, IsEnum, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import { CollectiveForm, MembershipRole, Role, TariffTier } from '../models/identity.enums';

/** "erased-…" is what erasure gives an account (personal-data.repository): never chosen. */
export const HANDLE_PATTERN = /^(?!erased-)[a-z0-9][a-z0-9._-]{1,39}$/;
export const LOCALE_PATTERN = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

@InputType('NewMemberInput', { description: 'The collective a new person joins, from today.' })
export class NewMemberInput {
  @Field(() => ID) @IsUUID() collectiveId: string;
  @Field(() => MembershipRole, { nullable: true }) @IsOptional() @IsIn(Object.values(MembershipRole)) role?: MembershipRole | null;
}

@InputType('PersonInput')
export class PersonInput {
  @Field() @IsString() @Length(1, 100) displayName: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(LOCALE_PATTERN) @MaxLength(35) locale?: string | null;
  @Field(() => [Role], { nullable: true }) @IsOptional() @ArrayMaxSize(4) @IsEnum(Role, { each: true }) roles?: Role[] | null;
  @Field(() => String, { nullable: true, description: 'Login name (lowercase letters, digits, . _ -); derived from the name when absent.' })
  @IsOptional() @Matches(HANDLE_PATTERN, { message: 'a handle is 2-40 lowercase letters, digits, dots, dashes or underscores, and does not start with "erased-"' })
  handle?: string | null;
  @Field(() => NewMemberInput, { nullable: true, description: 'Joins this collective in the same step: the person is created in it, or not at all.' })
  @IsOptional() @ValidateNested() @Type(() => NewMemberInput)
  membership?: NewMemberInput | null;
}

@InputType('CollectiveInput')
export class CollectiveInput {
  @Field() @IsString() @Length(1, 120) name: string;
  @Field(() => CollectiveForm) @IsEnum(CollectiveForm) form: CollectiveForm;
  @Field(() => TariffTier) @IsEnum(TariffTier) tariffTier: TariffTier;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() publicListing?: boolean | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) description?: string | null;
}

@InputType('MembershipInput')
export class MembershipInput {
  @Field(() => ID) @IsUUID() personId: string;
  @Field(() => ID) @IsUUID() collectiveId: string;
  @Field(() => MembershipRole, { nullable: true }) @IsOptional() @IsIn(Object.values(MembershipRole)) role?: MembershipRole | null;
  @Field(() => Date, { nullable: true }) startsAt?: Date | null;
  @Field(() => Date, { nullable: true }) endsAt?: Date | null;
}
