import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { RuleKey } from './rules.models';

export enum ProposalStatus { DISCUSSION = 'DISCUSSION', VOTING = 'VOTING', ADOPTED = 'ADOPTED', REJECTED = 'REJECTED', NO_QUORUM = 'NO_QUORUM', WITHDRAWN = 'WITHDRAWN' }
export enum VoteChoice { YES = 'YES', NO = 'NO', ABSTAIN = 'ABSTAIN' }
registerEnumType(ProposalStatus, { name: 'ProposalStatus' });
registerEnumType(VoteChoice, { name: 'VoteChoice' });

@ObjectType('Tally')
export class TallyModel {
  @Field(() => Int) yes: number;
  @Field(() => Int) no: number;
  @Field(() => Int) abstain: number;
  @Field(() => Int) electorateSize: number;
  @Field(() => Int) turnout: number;
  @Field() quorumReached: boolean;
  @Field() adopted: boolean;
}

@ObjectType('Comment')
export class CommentModel {
  @Field(() => ID) id: string;
  authorId: string;
  @Field() body: string;
  @Field(() => Date) createdAt: Date;
}

@ObjectType('Proposal')
export class ProposalModel {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field() body: string;
  authorId: string;
  @Field(() => ProposalStatus) status: ProposalStatus;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) discussionEndsAt: Date;
  @Field(() => Date) votingEndsAt: Date;
  @Field(() => Int) quorumPercent: number;
  @Field(() => Int) thresholdPercent: number;
  @Field(() => Int, { nullable: true, description: 'Fixed when voting opens; null before.' }) electorateSize: number | null;
  /** The result recorded at the close, read with the proposal so that its tally needs no query of its own. */
  yesCount: number | null;
  noCount: number | null;
  abstainCount: number | null;
}

@ObjectType('VoteReceipt')
export class VoteReceiptModel {
  @Field(() => ID) proposalId: string;
  @Field() receipt: string;
  @Field(() => Date) castAt: Date;
}

@InputType('RuleChangeInput')
export class RuleChangeInput {
  @Field(() => RuleKey) @IsEnum(RuleKey) key: RuleKey;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() resourceId?: string | null;
  @Field(() => Int) @IsInt() value: number;
}

@InputType('ProposalInput')
export class ProposalInput {
  @Field() @IsString() @Length(1, 200) title: string;
  @Field() @IsString() @Length(1, 20000) body: string;
  @Field(() => Date) discussionEndsAt: Date;
  @Field(() => Date) votingEndsAt: Date;
  @Field(() => [RuleChangeInput], { nullable: true }) @IsOptional() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RuleChangeInput) ruleChanges?: RuleChangeInput[] | null;
}
